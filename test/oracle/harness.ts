/**
 * The test side of the oracle: finds a way into a fresh network namespace, starts the runner
 * there, and reads its results. The server, the SDK endpoint and the driver all live inside
 * the namespace, which has nothing but loopback: restate-server's start-up release check, or
 * anything else, cannot reach out, and nothing outside can reach in.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Plan, ProgramRun, RunResults } from "./protocol.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../..");
const require = createRequire(import.meta.url);

/** The server the oracle and the live tests run: the devDependency's, or `RESTATE_SERVER_BIN` (to check another version). */
export const SERVER_BIN = process.env.RESTATE_SERVER_BIN || path.join(repoRoot, "node_modules/@restatedev/restate-server-linux-x64/bin/restate-server");

/** Scratch space inside the repository, so compiled programs resolve the SDK. */
export function scratchDir(name: string): string {
  const dir = path.join(repoRoot, "node_modules/.cache/restate-oracle", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export type Isolation = { ok: true; unshare: string[] } | { ok: false; reason: string };

let probed: Isolation | null = null;

/**
 * How to enter a network namespace of our own: `unshare -n` as root, else `unshare -rn` in a
 * user namespace. A PID namespace comes with it where possible, so that when the runner dies,
 * for whatever reason, the kernel ends everything it started.
 */
export function isolation(): Isolation {
  if (probed) return probed;
  if (process.platform !== "linux") return (probed = { ok: false, reason: "the oracle needs Linux network namespaces" });
  if (!existsSync(SERVER_BIN)) return (probed = { ok: false, reason: `no restate-server binary at ${SERVER_BIN}` });
  const tools = spawnSync("sh", ["-c", "command -v unshare && command -v ip"], { encoding: "utf8" });
  if (tools.status !== 0) return (probed = { ok: false, reason: "`unshare` (util-linux) and `ip` (iproute2) are needed" });
  const root = process.getuid?.() === 0;
  const candidates = [
    ...(root ? [["-n", "-p", "-f", "--kill-child"], ["-n"]] : []),
    ["-r", "-n", "-p", "-f", "--kill-child"],
    ["-r", "-n"],
  ];
  const tried: string[] = [];
  for (const flags of candidates) {
    const r = spawnSync("unshare", [...flags, "sh", "-c", "ip link set lo up"], { encoding: "utf8", timeout: 10_000 });
    if (r.status === 0) return (probed = { ok: true, unshare: ["unshare", ...flags] });
    tried.push(`unshare ${flags.join(" ")}: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`);
  }
  return (probed = { ok: false, reason: `cannot create a network namespace (${tried.join("; ")})` });
}

const children = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of children) {
    try {
      if (c.pid !== undefined && c.exitCode === null) process.kill(c.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

export interface RunOptions {
  workDir: string;
  maxServicesPerBatch?: number;
  deadlineMs?: number;
  pollMs?: number;
  parallelServers?: number;
  /** Bound on the whole run; the runner is killed after it. */
  timeoutMs: number;
}

/** Runs the programs on a real server inside a private network namespace. */
export async function runPrograms(programs: ProgramRun[], options: RunOptions): Promise<RunResults> {
  const iso = isolation();
  if (!iso.ok) throw new Error(iso.reason);
  const plan: Plan = {
    serverBin: SERVER_BIN,
    workDir: options.workDir,
    resultFile: path.join(options.workDir, "results.json"),
    programs,
    maxServicesPerBatch: options.maxServicesPerBatch ?? 400,
    deadlineMs: options.deadlineMs ?? 20_000,
    parallelServers: options.parallelServers ?? 4,
    pollMs: options.pollMs ?? 250,
  };
  const planFile = path.join(options.workDir, "plan.json");
  writeFileSync(planFile, JSON.stringify(plan));
  rmSync(plan.resultFile, { force: true });
  const logFile = path.join(options.workDir, "runner.log");
  const code = await runIsolated(path.join(here, "runner.ts"), [planFile], { logFile, timeoutMs: options.timeoutMs });
  if (code !== 0 || !existsSync(plan.resultFile)) {
    const tail = existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n") : "";
    throw new Error(`oracle runner failed (${code}); log ${logFile}:\n${tail}`);
  }
  return JSON.parse(readFileSync(plan.resultFile, "utf8")) as RunResults;
}

/**
 * Runs a TypeScript script (through tsx) inside a fresh network namespace that has only
 * loopback, with its output in `logFile`; resolves to its exit code (or signal). Killed after
 * `timeoutMs`, and when this process dies.
 */
export async function runIsolated(script: string, args: string[], options: { logFile: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<number | string> {
  const iso = isolation();
  if (!iso.ok) throw new Error(iso.reason);
  const fd = openSync(options.logFile, "w");
  const tsx = pathToFileURL(require.resolve("tsx")).href;
  const child = spawn(
    iso.unshare[0]!,
    [...iso.unshare.slice(1), "sh", "-c", 'ip link set lo up && exec "$0" "$@"', process.execPath, "--import", tsx, script, ...args],
    // stdin is a pipe held by this process only: when we die, however, the runner sees it close.
    { cwd: repoRoot, stdio: ["pipe", fd, fd], env: { ...process.env, RESTATE_LOGGING: "ERROR", ...options.env } },
  );
  closeSync(fd);
  children.add(child);
  const code = await new Promise<number | string>((resolve) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, "SIGTERM");
      setTimeout(() => child.exitCode === null && child.pid !== undefined && process.kill(child.pid, "SIGKILL"), 3000).unref();
    }, options.timeoutMs);
    child.once("exit", (c, s) => {
      clearTimeout(timer);
      resolve(c ?? s ?? "?");
    });
    child.once("error", (e) => {
      clearTimeout(timer);
      resolve(e.message);
    });
  });
  children.delete(child);
  return code;
}
