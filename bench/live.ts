/**
 * What `eslint-plugin-restate live` costs:
 * 1. the proof over generated snapshots of open invocations (cycles of several shapes, what is
 *    queued behind them, chains of waits that end in a running invocation, sleepers), two
 *    snapshots as the command takes them;
 * 2. with `--server`, reading one snapshot from a real restate-server holding about 1,000 open
 *    invocations (in the oracle's network namespace): queries and time, by page size.
 *
 * Usage: tsx bench/live.ts [--invocations 10000] [--runs 5] [--server]
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { prove } from "../src/live/prove.js";
import type { InvocationRow, Snapshot } from "../src/live/waitgraph.js";
import { isolation, repoRoot, runIsolated } from "../test/oracle/harness.js";
import { Random } from "./random.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** About `n` open invocations; a quarter on cycles, a quarter behind them, the rest live waits. */
export function generateSnapshot(n: number, seed = 1): Snapshot {
  const random = new Random(seed);
  const rand = () => random.next();
  const s: Snapshot = { invocations: [], commands: [], locks: [], inbox: [] };
  let next = 0;
  const id = () => `inv_${(next++).toString(36).padStart(8, "0")}`;
  const at = () => new Date(1_700_000_000_000 + next * 7).toISOString();
  const add = (service: string, key: string, status: string, waitingFor: number[] = []): InvocationRow => {
    const r: InvocationRow = { id: id(), service, key, handler: "h", status, invokedBy: null, waitingFor, createdAt: at(), modifiedAt: at() };
    s.invocations.push(r);
    return r;
  };
  let key = 0;
  while (s.invocations.length < n) {
    const shape = rand();
    const k = `k${key++}`;
    if (shape < 0.5) {
      // A cycle of 2–5 objects on one key: each holds its lock and calls the next; the last call queues behind the first.
      const len = 2 + Math.floor(rand() * 4);
      const holders = Array.from({ length: len }, (_, i) => add(`S${i}`, k, "suspended", [1]));
      const closing = add("S0", k, "pending");
      holders.forEach((h, i) => {
        const target = i + 1 < len ? holders[i + 1]! : closing;
        s.commands.push({ kind: "call", invocation: h.id, target: target.id, completion: 1 });
        s.locks.push({ service: h.service, key: k, holder: h.id });
      });
      s.inbox.push({ service: "S0", key: k, id: closing.id });
      // Queued behind the cycle's first lock.
      for (let q = Math.floor(rand() * 4); q > 0; q--) s.inbox.push({ service: "S0", key: k, id: add("S0", k, "pending").id });
    } else if (shape < 0.8) {
      // A chain of waits that ends in a running invocation: slow, not dead.
      const len = 2 + Math.floor(rand() * 20);
      const chain = Array.from({ length: len }, (_, i) => add(`C${i}`, k, i === len - 1 ? "running" : "suspended", i === len - 1 ? [] : [1]));
      chain.slice(0, -1).forEach((c, i) => s.commands.push({ kind: "call", invocation: c.id, target: chain[i + 1]!.id, completion: 1 }));
    } else {
      // A sleeper holding its key, with a queue.
      const sleeper = add("Z", k, "suspended", [1]);
      s.commands.push({ kind: "sleep", invocation: sleeper.id, completion: 1 });
      s.locks.push({ service: "Z", key: k, holder: sleeper.id });
      for (let q = 1 + Math.floor(rand() * 3); q > 0; q--) s.inbox.push({ service: "Z", key: k, id: add("Z", k, "pending").id });
    }
  }
  return s;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function proofBench(): Promise<void> {
  const n = arg("invocations", 10_000);
  const runs = arg("runs", 5);
  const first = generateSnapshot(n);
  const second = generateSnapshot(n);
  const times: number[] = [];
  let result = prove(first, second);
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = prove(first, second);
    times.push(performance.now() - t);
  }
  console.log(
    `proof over two snapshots of ${first.invocations.length} open invocations (${first.commands.length} journal commands, ${first.inbox.length} queued): ` +
      `median ${median(times).toFixed(0)} ms of ${runs} (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}); ` +
      `${result.deadlocks.length} deadlocks, ${result.deadlocks.reduce((a, d) => a + d.behind.length, 0)} behind them, ${result.unproven.length} unproven`,
  );
}

async function serverBench(): Promise<void> {
  const iso = isolation();
  if (!iso.ok) {
    console.log(`server measurement skipped: ${iso.reason}`);
    return;
  }
  const work = path.join(repoRoot, "node_modules/.cache/restate-live-bench");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const result = path.join(work, "result.json");
  const logFile = path.join(work, "runner.log");
  const code = await runIsolated(path.join(repoRoot, "bench/live-server.ts"), [result, work], { logFile, timeoutMs: 300_000 });
  if (code !== 0) throw new Error(`bench runner failed (${code}): see ${logFile}`);
  for (const line of JSON.parse(readFileSync(result, "utf8")) as string[]) console.log(line);
}

await proofBench();
if (process.argv.includes("--server")) await serverBench();
