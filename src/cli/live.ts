/**
 * `eslint-plugin-restate live`: proves the deadlocks of a running Restate cluster from its
 * introspection tables, points at the calls in the local checkout, and says how to break them.
 */
import path from "node:path";
import { type AdminClient, LiveError, adminClient } from "../live/admin.js";
import { type CodeView, codeView } from "../live/code.js";
import { type LiveProof, deadlockId, prove } from "../live/prove.js";
import { DEFAULT_MAX_INVOCATIONS, DEFAULT_PAGE_SIZE, readSnapshot } from "../live/snapshot.js";
import { plural } from "../report/text.js";
import { type Explained, explain, formatDeadlockText, formatMermaid, formatText, toJson, unprovenLines } from "./live-format.js";
import { type GoLoader, folderProblem, readProject } from "./project.js";

export const LIVE_USAGE = `Usage: eslint-plugin-restate live [options]

Proves the deadlocks of a running Restate cluster: reads the admin API's introspection tables
(read-only queries) twice, --confirm milliseconds apart, and prints every cycle of invocations
that wait on each other in both snapshots, hop by hop with the call in the code that waits, what
is stuck behind it, and the command that breaks it by cancelling the youngest member.

Options:
  --admin <url>           the admin endpoint (default: $RESTATE_ADMIN_URL, else http://localhost:9070)
  --header <name: value>  an extra request header; may be repeated
                          ($RESTATE_AUTH_TOKEN is sent as a bearer token and never printed)
  --insecure              do not verify TLS certificates (prints a warning)
  --project <dir>         the code to point at (default: the project of the current folder)
  --no-project            read no code: no source lines, no static verdict
  --format text|json|mermaid   (default: text)
  --confirm <ms>          time between the two snapshots of a proof (default 1000, at least 1000)
  --watch <seconds>       check again every so many seconds until interrupted, printing each
                          deadlock once when proven and once when it ends
  --cancel                cancel the youngest member of every deadlock found
  --max-invocations <n>   refuse (exit 2) above this many open invocations (default ${DEFAULT_MAX_INVOCATIONS})
  --page-size <n>         rows per query (default ${DEFAULT_PAGE_SIZE})
  -h, --help              print this help

Exit codes: 0 no deadlock (with --watch: none open when interrupted), 1 a deadlock was found,
2 an error: bad usage, an endpoint that cannot be reached or is not a Restate admin API, an
answer not understood, an unsupported server version.`;

/** Server versions whose introspection tables this command was verified against. */
export const SUPPORTED_VERSIONS = ["1.6", "1.7"];

type Writer = (s: string) => void;
type Format = "text" | "json" | "mermaid";

export interface LiveOptions {
  out: Writer;
  err: Writer;
  loadGo?: GoLoader;
  sleep?: (ms: number) => Promise<void>;
  stopSignal?: AbortSignal;
  env: NodeJS.ProcessEnv;
}

interface Args {
  admin: string;
  headers: Record<string, string>;
  insecure: boolean;
  project: string | null;
  format: Format;
  confirmMs: number;
  watchSeconds: number | null;
  cancel: boolean;
  maxInvocations: number;
  pageSize: number;
}

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Args | string {
  const args: Args = {
    admin: env.RESTATE_ADMIN_URL || "http://localhost:9070",
    headers: {},
    insecure: false,
    project: ".",
    format: "text",
    confirmMs: 1000,
    watchSeconds: null,
    cancel: false,
    maxInvocations: DEFAULT_MAX_INVOCATIONS,
    pageSize: DEFAULT_PAGE_SIZE,
  };
  const positive = (name: string, v: string, min: number): number | string => {
    const n = Number(v);
    return Number.isFinite(n) && n >= min && /^\d+(\.\d+)?$/.test(v) ? n : `${name} needs a number of at least ${min}, not ${JSON.stringify(v)}`;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const needsValue = ["--admin", "--header", "--project", "--format", "--confirm", "--watch", "--max-invocations", "--page-size"];
    let value: string | undefined;
    if (needsValue.includes(flag)) {
      value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith("--"))) return `${flag} needs a value`;
    } else if (inline !== undefined) return `${flag} takes no value`;
    switch (flag) {
      case "--admin":
        args.admin = value!;
        break;
      case "--header": {
        const colon = value!.indexOf(":");
        if (colon <= 0) return `--header needs "name: value"`;
        args.headers[value!.slice(0, colon).trim().toLowerCase()] = value!.slice(colon + 1).trim();
        break;
      }
      case "--insecure":
        args.insecure = true;
        break;
      case "--project":
        args.project = value!;
        break;
      case "--no-project":
        args.project = null;
        break;
      case "--format":
        if (value !== "text" && value !== "json" && value !== "mermaid") return `unknown format: ${value}`;
        args.format = value;
        break;
      case "--confirm": {
        const n = positive("--confirm", value!, 1000);
        if (typeof n === "string") return `${n} (two snapshots less than a second apart prove nothing)`;
        args.confirmMs = n;
        break;
      }
      case "--watch": {
        const n = positive("--watch", value!, 1);
        if (typeof n === "string") return n;
        args.watchSeconds = n;
        break;
      }
      case "--cancel":
        args.cancel = true;
        break;
      case "--max-invocations":
      case "--page-size": {
        const n = positive(flag, value!, 1);
        if (typeof n === "string") return n;
        if (flag === "--page-size") args.pageSize = Math.floor(n);
        else args.maxInvocations = Math.floor(n);
        break;
      }
      default:
        return a.startsWith("-") ? `unknown option: ${a}` : `live takes no positional argument (${a}); the code is given with --project`;
    }
  }
  if (args.watchSeconds !== null && args.format === "mermaid") return "--watch prints text or JSON lines, not mermaid";
  return args;
}

export async function live(argv: string[], options: LiveOptions): Promise<number> {
  const { out, err, env } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  if (argv.some((a) => a === "--help" || a === "-h")) {
    out(`${LIVE_USAGE}\n`);
    return 0;
  }
  const parsed = parseArgs(argv, env);
  const token = env.RESTATE_AUTH_TOKEN || undefined;
  const secret = (s: string) => (token ? s.split(token).join("***") : s);
  const fail = (message: string, usage = false): number => {
    err(secret(`eslint-plugin-restate live: ${message}\n${usage ? `${LIVE_USAGE}\n` : ""}`));
    return 2;
  };
  if (typeof parsed === "string") return fail(parsed, true);
  const args = parsed;
  try {
    if (args.insecure) err("eslint-plugin-restate live: warning: --insecure: TLS certificates are not verified; anyone on the path can read the token and the answers\n");
    const client = adminClient({ url: args.admin, headers: args.headers, token, insecure: args.insecure });
    const { version } = await client.version();
    if (!SUPPORTED_VERSIONS.some((v) => version === v || version.startsWith(`${v}.`))) {
      return fail(`restate-server ${version} at ${client.shown} is not supported: this command reads the introspection tables of restate-server ${SUPPORTED_VERSIONS.map((v) => `${v}.x`).join(", ")}`);
    }
    const code = await loadCode(args.project, options, err);
    const snapshot = () => readSnapshot(client, { pageSize: args.pageSize, maxInvocations: args.maxInvocations });
    if (args.watchSeconds !== null) return await watch(client, args, code, snapshot, sleep, options);

    const first = await snapshot();
    await sleep(args.confirmMs);
    const second = await snapshot();
    const proof = prove(first.snapshot, second.snapshot);
    const explained = explain(proof, code?.view ?? null);
    if (args.format === "json") out(`${JSON.stringify(toJson(explained, proof), null, 2)}\n`);
    else if (args.format === "mermaid") out(formatMermaid(explained));
    else out(formatText(explained, proof, { admin: client.shown, confirmMs: second.at - first.at, project: code?.shown ?? null }));
    if (args.cancel) await cancelAll(client, explained, args.format === "text" ? out : err);
    return explained.length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof LiveError) return fail(e.message);
    return fail(`unexpected error: ${(e as Error)?.stack ?? String(e)}`);
  }
}

interface Code {
  view: CodeView;
  shown: string;
}

async function loadCode(project: string | null, options: LiveOptions, err: Writer): Promise<Code | null> {
  if (project === null) return null;
  const folder = path.resolve(project);
  const problem = folderProblem(folder);
  if (problem) throw new LiveError(`--project ${project}: ${problem}`);
  const read = await readProject(folder, undefined, options.loadGo);
  if (read.goProblem) err(`eslint-plugin-restate live: the source lines leave out ${plural(read.goFiles.length, "Go file")}: ${read.goProblem}\n`);
  if (read.analysis.graph.nodes.size === 0) {
    err(`eslint-plugin-restate live: no Restate handlers in ${path.relative(process.cwd(), read.root) || "."}: no source lines (give the code with --project DIR)\n`);
    return null;
  }
  return { view: codeView(read.analysis, process.cwd()), shown: path.relative(process.cwd(), read.root) || "." };
}

async function cancelAll(client: AdminClient, explained: Explained[], say: Writer): Promise<void> {
  for (const { deadlock } of explained) {
    const id = deadlock.youngest.invocation;
    await client.cancel(id);
    say(`Cancelled ${id} (${deadlock.youngest.service}${deadlock.youngest.key === null ? "" : `/${deadlock.youngest.key}`} ${deadlock.youngest.handler}).\n`);
  }
}

/** Checks every `watchSeconds` until stopped; each deadlock is printed when proven and when it ends. */
async function watch(
  client: AdminClient,
  args: Args,
  code: Code | null,
  snapshot: () => ReturnType<typeof readSnapshot>,
  sleep: (ms: number) => Promise<void>,
  options: LiveOptions,
): Promise<number> {
  const { out } = options;
  const stop = options.stopSignal ?? signalOnInterrupt();
  const open = new Map<string, Explained>();
  // Each check proves from the last two snapshots, so they must be at least --confirm apart.
  const every = Math.max(args.watchSeconds! * 1000, args.confirmMs);
  let previous = await snapshot();
  let lastUnproven = -1;
  const textOptions = { admin: client.shown, confirmMs: every, project: code?.shown ?? null };
  while (!stop.aborted) {
    await Promise.race([sleep(every), new Promise<void>((r) => stop.addEventListener("abort", () => r(), { once: true }))]);
    if (stop.aborted) break;
    const current = await snapshot();
    const proof: LiveProof = prove(previous.snapshot, current.snapshot);
    previous = current;
    const explained = explain(proof, code?.view ?? null);
    const now = new Map(explained.map((e) => [deadlockId(e.deadlock), e]));
    const time = new Date(current.at).toISOString();
    for (const [id, e] of now) {
      if (open.has(id)) continue;
      open.set(id, e);
      if (args.format === "json") out(`${JSON.stringify({ event: "proven", at: time, deadlock: e.json })}\n`);
      else out(`[${time}] proven\n${formatDeadlockText(e, 1, 1, textOptions)}\n\n`);
      if (args.cancel) await cancelAll(client, [e], args.format === "json" ? options.err : out);
    }
    for (const [id, e] of [...open]) {
      if (now.has(id)) continue;
      open.delete(id);
      const members = e.deadlock.members.map((m) => m.invocation);
      if (args.format === "json") out(`${JSON.stringify({ event: "ended", at: time, members })}\n`);
      else out(`[${time}] ended: the deadlock of ${members.join(", ")} is over\n\n`);
    }
    if (args.format === "text" && proof.unproven.length !== lastUnproven && proof.unproven.length > 0) {
      out(`[${time}] ${unprovenLines(proof).join("\n")}\n\n`);
    }
    lastUnproven = proof.unproven.length;
  }
  return open.size > 0 ? 1 : 0;
}

function signalOnInterrupt(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return controller.signal;
}
