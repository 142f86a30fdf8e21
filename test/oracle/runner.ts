/**
 * Runs inside a network namespace that has only loopback: serves the programs' services from an
 * SDK endpoint in this process, starts restate-server, sends the scenarios' invocations and
 * watches the server's introspection tables until every program has either completed or is
 * proven dead (see src/live/waitgraph.ts). Usage: node --import tsx runner.ts <plan.json>
 */
import "./polyfill.js";
import { readFileSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import type { Invocation, Plan, ProgramResult, ProgramRun, RunResults, Scenario, Site } from "./protocol.js";
import { type RestateServer, query, registerDeployment, runIsolatedMain, sendInvocation, sleep, startServer } from "./server.js";
import { adminClient } from "../../src/live/admin.js";
import { readSnapshot } from "../../src/live/snapshot.js";
import { type DeadSet, type InvocationRow, type Snapshot, cyclesOf, deadSet, describeCycle, stableDeadSet } from "../../src/live/waitgraph.js";

type Sdk = typeof import("@restatedev/restate-sdk");
type Definition = { name: string };

function log(...args: unknown[]): void {
  process.stderr.write(`[oracle-runner] ${args.map(String).join(" ")}\n`);
}

function isDefinition(v: unknown): v is Definition {
  if (typeof v !== "object" || v === null) return false;
  const d = v as Record<string, unknown>;
  return typeof d.name === "string" && ["service", "object", "workflow"].some((k) => typeof d[k] === "object" && d[k] !== null);
}

/** The definitions a program's modules export, each once. */
async function loadProgram(run: ProgramRun): Promise<Definition[]> {
  const out = new Map<string, Definition>();
  for (const m of run.modules) {
    const mod = (await import(pathToFileURL(m).href)) as Record<string, unknown>;
    for (const v of Object.values(mod)) if (isDefinition(v) && !out.has(v.name)) out.set(v.name, v);
  }
  return [...out.values()];
}

interface Loaded {
  run: ProgramRun;
  defs: Definition[];
}

/** Packs programs into batches whose service names do not collide, up to `max` services each. */
function batches(programs: Loaded[], max: number): Loaded[][] {
  const out: { names: Set<string>; items: Loaded[] }[] = [];
  for (const p of programs) {
    const names = p.defs.map((d) => d.name);
    let batch = out.find((b) => b.names.size + names.length <= max && names.every((n) => !b.names.has(n)));
    if (!batch) out.push((batch = { names: new Set(), items: [] }));
    names.forEach((n) => batch!.names.add(n));
    batch.items.push(p);
  }
  return out.map((b) => b.items);
}

async function serveEndpoint(sdk: Sdk, defs: Definition[]): Promise<{ url: string; close(): Promise<void> }> {
  type Options = Parameters<Sdk["createEndpointHandler"]>[0];
  // restate.serve() would bind every interface, and bidirectional streams keep blocked calls
  // "running": request-response mode lets a waiting invocation suspend, which the proof reads.
  const handler = sdk.createEndpointHandler({ services: defs as unknown as Options["services"], bidirectional: false });
  const server = http2.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Suspended invocations leave no open streams, but a stuck session must not keep us here.
        setTimeout(resolve, 2000).unref();
      }),
  };
}

function send(server: RestateServer, call: Invocation): Promise<string> {
  const target = [call.service, ...(call.key !== undefined ? [encodeURIComponent(call.key)] : []), call.handler].join("/");
  return sendInvocation(server, target, call.input);
}

/** One snapshot, read as the product's `live` command reads it. */
async function snapshot(server: RestateServer): Promise<Snapshot> {
  return (await readSnapshot(adminClient({ url: server.admin }))).snapshot;
}

function emptyResult(id: string): ProgramResult {
  return { id, outcome: "completed", cycles: [], cycleWaits: [], hungScenarios: [], stuck: [], errors: [], settleMs: 0 };
}

/** Folds one round's result into the program's: a proven hang outranks a stall, an error both. */
function merge(into: ProgramResult, r: ProgramResult): void {
  const rank = { completed: 0, stuck: 1, hung: 2, error: 3 } as const;
  if (rank[r.outcome] > rank[into.outcome]) into.outcome = r.outcome;
  into.cycles.push(...r.cycles);
  into.cycleWaits.push(...r.cycleWaits);
  into.hungScenarios.push(...r.hungScenarios);
  into.stuck.push(...r.stuck);
  into.errors.push(...r.errors);
  into.settleMs = Math.max(into.settleMs, r.settleMs);
}

/**
 * One server lifetime: sends the given scenarios, watches until every program involved has
 * completed or is proven dead (or the deadline passes), and stops the server.
 */
async function runRound(
  plan: Plan,
  endpointUrl: string,
  work: { id: string; scenarios: Scenario[] }[],
  programOf: Map<string, string>,
  name: string,
): Promise<ProgramResult[]> {
  const results = new Map<string, ProgramResult>(work.map((w) => [w.id, emptyResult(w.id)]));
  let server: RestateServer | null = null;
  try {
    server = await startServer(plan.serverBin, plan.workDir, name);
    await registerDeployment(server, endpointUrl);
    const srv = server;

    // Scenario of each entry invocation, to say which callers a cycle needs.
    const scenarioOfEntry = new Map<string, string>();
    const jobs = work.flatMap((w) => w.scenarios.map((s) => ({ id: w.id, s })));
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const { id, s } = jobs[next++]!;
        const sent = await Promise.allSettled(s.calls.map((c) => send(srv, c)));
        for (const r of sent) {
          if (r.status === "fulfilled") scenarioOfEntry.set(r.value, `${id}:${s.name}`);
          else {
            results.get(id)!.errors.push(String(r.reason));
            results.get(id)!.outcome = "error";
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));

    const open = new Set(work.map((w) => w.id));
    let previous: DeadSet | null = null;
    let stable: DeadSet = { ids: new Set(), edges: [] };
    let lastRows: InvocationRow[] = [];
    for (;;) {
      const snap = await snapshot(srv);
      const rows = snap.invocations;
      lastRows = rows;
      const dead = deadSet(snap);
      stable = previous ? stableDeadSet(previous, dead) : { ids: new Set(), edges: [] };
      previous = dead;
      const openByProgram = new Map<string, InvocationRow[]>();
      for (const r of rows) {
        const id = programOf.get(r.service);
        if (id) openByProgram.set(id, [...(openByProgram.get(id) ?? []), r]);
      }
      for (const id of [...open]) {
        const mine = openByProgram.get(id) ?? [];
        if (mine.length === 0 || mine.every((r) => stable.ids.has(r.id))) {
          open.delete(id);
          const res = results.get(id)!;
          res.settleMs = Date.now() - started;
          if (mine.length > 0 && res.outcome !== "error") res.outcome = "hung";
        }
      }
      if (open.size === 0 || Date.now() - started > plan.deadlineMs) break;
      await sleep(plan.pollMs);
    }

    // Verdicts for programs still open at the deadline, and the proof for the hung ones.
    const label = new Map<string, string>();
    const site = new Map<string, Site>();
    for (const r of lastRows) {
      label.set(r.id, `${r.service}/${r.key}${r.key ? "/" : ""}${r.handler}`);
      site.set(r.id, { service: r.service, key: r.key, handler: r.handler });
    }
    const unknownSite: Site = { service: "?", key: "", handler: "?" };
    const all = await query<{ id: string; invoked_by_id: string | null }>(srv, "SELECT id, invoked_by_id FROM sys_invocation");
    const parent = new Map(all.map((r) => [r.id, r.invoked_by_id]));
    const rootScenario = (id: string): string | undefined => {
      let cur: string | null | undefined = id;
      for (let hops = 0; cur && hops < 1000; hops++) {
        const s = scenarioOfEntry.get(cur);
        if (s) return s;
        cur = parent.get(cur);
      }
      return undefined;
    };
    for (const cycle of cyclesOf(stable)) {
      const id = programOf.get(site.get(cycle[0]!.from)?.service ?? "");
      const res = id ? results.get(id) : undefined;
      if (!res) continue;
      res.cycles.push(describeCycle(cycle, (i) => label.get(i) ?? i));
      res.cycleWaits.push(cycle.map((e) => ({ from: site.get(e.from) ?? unknownSite, to: site.get(e.to) ?? unknownSite, kind: e.kind })));
      for (const e of cycle) {
        const s = rootScenario(e.from);
        if (s && !res.hungScenarios.includes(s)) res.hungScenarios.push(s);
      }
    }
    for (const id of open) {
      const res = results.get(id)!;
      res.settleMs = Date.now() - started;
      const notDead = lastRows.filter((r) => programOf.get(r.service) === id && !stable.ids.has(r.id));
      res.stuck = notDead.map((r) => `${label.get(r.id) ?? r.id} (${r.status})`);
      if (res.outcome !== "error") res.outcome = res.cycles.length > 0 ? "hung" : "stuck";
    }
    const failing = await query<{ id: string; service: string; last_failure: string | null }>(
      srv,
      "SELECT id, target_service_name AS service, last_failure FROM sys_invocation WHERE status = 'backing-off'",
    ).catch(() => []);
    for (const f of failing) {
      const res = results.get(programOf.get(f.service) ?? "");
      if (res) res.errors.push(`${label.get(f.id) ?? f.id} keeps failing: ${String(f.last_failure ?? "").slice(0, 300)}`);
    }
  } catch (e) {
    for (const res of results.values()) {
      res.outcome = "error";
      res.errors.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
  } finally {
    await server?.stop();
  }
  return [...results.values()];
}

/**
 * A batch shares one endpoint. Programs whose scenarios may meet (ProgramRun.isolate) get one
 * server per scenario, in rounds; all others run every scenario in the first round.
 */
async function runBatch(sdk: Sdk, plan: Plan, batch: Loaded[], index: number): Promise<ProgramResult[]> {
  const programOf = new Map<string, string>();
  for (const p of batch) for (const d of p.defs) programOf.set(d.name, p.run.id);
  const endpoint = await serveEndpoint(
    sdk,
    batch.flatMap((p) => p.defs),
  );
  const results = new Map<string, ProgramResult>(batch.map((p) => [p.run.id, emptyResult(p.run.id)]));
  try {
    const rounds = Math.max(1, ...batch.map((p) => (p.run.isolate ? p.run.scenarios.length : 1)));
    // Rounds are independent servers: a few run side by side (each mostly waits).
    let next = 0;
    const worker = async () => {
      while (next < rounds) {
        const r = next++;
        const work = batch
          .map((p) => ({ id: p.run.id, scenarios: p.run.isolate ? p.run.scenarios.slice(r, r + 1) : r === 0 ? p.run.scenarios : [] }))
          .filter((w) => w.scenarios.length > 0);
        if (work.length === 0) continue;
        for (const res of await runRound(plan, endpoint.url, work, programOf, `server-${index}-${r}`)) merge(results.get(res.id)!, res);
      }
    };
    await Promise.all(Array.from({ length: Math.min(plan.parallelServers, rounds) }, worker));
  } finally {
    await endpoint.close();
  }
  return [...results.values()];
}

async function main(): Promise<void> {
  const planFile = process.argv[2];
  if (!planFile) throw new Error("usage: runner.ts <plan.json>");
  const plan = JSON.parse(readFileSync(planFile, "utf8")) as Plan;
  const t0 = Date.now();
  const sdk: Sdk = await import("@restatedev/restate-sdk");
  const loaded: Loaded[] = [];
  const failed: ProgramResult[] = [];
  for (const run of plan.programs) {
    try {
      loaded.push({ run, defs: await loadProgram(run) });
    } catch (e) {
      failed.push({ ...emptyResult(run.id), outcome: "error", errors: [`loading: ${String(e)}`] });
    }
  }
  const groups = batches(loaded, plan.maxServicesPerBatch);
  const programs: ProgramResult[] = [...failed];
  for (const [i, batch] of groups.entries()) {
    const t = Date.now();
    programs.push(...(await runBatch(sdk, plan, batch, i)));
    log(`batch ${i + 1}/${groups.length}: ${batch.length} programs in ${Date.now() - t} ms`);
  }
  const results: RunResults = { programs, batches: groups.length, wallMs: Date.now() - t0 };
  writeFileSync(plan.resultFile, JSON.stringify(results, null, 1));
}

runIsolatedMain(main, "oracle-runner");
