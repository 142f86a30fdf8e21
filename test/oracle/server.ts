import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";

/** A port nobody listens on right now, on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface RestateServer {
  pid: number;
  admin: string;
  ingress: string;
  log: string;
  stop(): Promise<void>;
}

/** Every server this process started and has not stopped yet (stopped on exit, by PID). */
const running = new Set<ChildProcess>();

export function killAllServers(): void {
  for (const child of running) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  running.clear();
}

/** How many times a server that exits while starting is started again, on other ports. */
const START_ATTEMPTS = 3;

/**
 * Starts restate-server bound to 127.0.0.1 only, with a fresh data folder, and waits until the
 * admin API answers. Ports are picked free each time, so a restart never races a closing socket.
 * A port found free may still be taken by another server starting in parallel before this one
 * binds it: a server that exits while starting is started again on other ports.
 */
export async function startServer(bin: string, workDir: string, name: string, settings: Record<string, string> = {}): Promise<RestateServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(bin, workDir, name, settings);
    } catch (e) {
      if (!(e instanceof ServerExited) || attempt >= START_ATTEMPTS) throw e;
    }
  }
}

class ServerExited extends Error {}

/** The last lines of a server's log, for an error message. */
function logTail(log: string): string {
  try {
    return readFileSync(log, "utf8").trim().split("\n").slice(-5).join("\n");
  } catch {
    return "";
  }
}

async function startOnce(bin: string, workDir: string, name: string, settings: Record<string, string>): Promise<RestateServer> {
  const [node, admin, ingress] = [await freePort(), await freePort(), await freePort()];
  const baseDir = path.join(workDir, `${name}-data`);
  rmSync(baseDir, { recursive: true, force: true });
  mkdirSync(baseDir, { recursive: true });
  const log = path.join(workDir, `${name}.log`);
  const fd = openSync(log, "w");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    RESTATE_LISTEN_MODE: "tcp",
    RESTATE_BIND_IP: "127.0.0.1",
    RESTATE_BIND_ADDRESS: `127.0.0.1:${node}`,
    RESTATE_ADVERTISED_ADDRESS: `http://127.0.0.1:${node}/`,
    RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${admin}`,
    RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ingress}`,
    RESTATE_INGRESS__ADVERTISED_INGRESS_ENDPOINT: `http://127.0.0.1:${ingress}/`,
    RESTATE_DISABLE_TELEMETRY: "true",
    RESTATE_DEFAULT_NUM_PARTITIONS: "1",
    RESTATE_ROCKSDB_TOTAL_MEMORY_SIZE: "256MiB",
    RESTATE_LOG_FILTER: "warn",
    ...settings,
  };
  const child = spawn(bin, ["--base-dir", baseDir, "--no-logo"], { env, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  running.add(child);
  const adminUrl = `http://127.0.0.1:${admin}`;
  const stop = async () => {
    running.delete(child);
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // already gone
      }
      await Promise.race([exited, sleep(5000)]);
    }
    rmSync(baseDir, { recursive: true, force: true });
  };
  try {
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new ServerExited(`restate-server exited with ${child.exitCode}; see ${log}:\n${logTail(log)}`);
      if (Date.now() - started > 30_000) throw new Error(`restate-server did not answer within 30 s; see ${log}`);
      try {
        const r = await fetch(`${adminUrl}/health`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      await sleep(25);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { pid: child.pid!, admin: adminUrl, ingress: `http://127.0.0.1:${ingress}`, log, stop };
}

export async function registerDeployment(server: RestateServer, uri: string): Promise<void> {
  let last = "";
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const r = await fetch(`${server.admin}/deployments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ uri, force: true }),
      });
      if (r.ok) return;
      last = `${r.status} ${(await r.text()).slice(0, 500)}`;
    } catch (e) {
      last = String(e);
    }
    await sleep(100);
  }
  throw new Error(`registering ${uri} failed: ${last}`);
}

/**
 * Sends an invocation through the ingress (`POST /<Service>[/<key>]/<handler>/send`, the key
 * already encoded in `target`) and resolves to its id. The ingress learns a new deployment
 * asynchronously: a 404 or a server error is tried again for a while.
 */
export async function sendInvocation(server: RestateServer, target: string, input: unknown = null): Promise<string> {
  let last = "";
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      const r = await fetch(`${server.ingress}/${target}/send`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input ?? null),
      });
      const text = await r.text();
      if (r.ok) return (JSON.parse(text) as { invocationId: string }).invocationId;
      last = `${r.status} ${text.slice(0, 300)}`;
      if (r.status !== 404 && r.status < 500) break;
    } catch (e) {
      last = String(e);
    }
    await sleep(50);
  }
  throw new Error(`sending ${target}: ${last}`);
}

/** Runs SQL on the admin /query endpoint (the sys_* introspection tables). */
export async function query<T>(server: RestateServer, sql: string): Promise<T[]> {
  const r = await fetch(`${server.admin}/query`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: sql }),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`query failed (${r.status}): ${text.slice(0, 500)}\n${sql}`);
  return (JSON.parse(text) as { rows: T[] }).rows;
}

/**
 * Runs the body of a script started by `runIsolated`, and ends the process with its outcome
 * (0, or 1 with the error on stderr). Every server it started is stopped on a signal, when the
 * test side (which holds our stdin) goes away, even killed, and at exit.
 */
export function runIsolatedMain(body: () => Promise<void>, name: string): void {
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    process.on(signal, () => {
      killAllServers();
      process.exit(130);
    });
  }
  process.stdin.on("end", () => {
    process.stderr.write(`[${name}] parent went away; stopping\n`);
    killAllServers();
    process.exit(3);
  });
  process.stdin.resume();
  process.on("unhandledRejection", (e) => process.stderr.write(`[${name}] unhandled rejection: ${e instanceof Error ? e.message : String(e)}\n`));
  process.on("exit", killAllServers);
  body().then(
    () => {
      killAllServers();
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`[${name}] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      killAllServers();
      process.exit(1);
    },
  );
}
