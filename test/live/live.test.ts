/**
 * `eslint-plugin-restate live` against a real restate-server, in the oracle's private network
 * namespace (see test/oracle/README.md): the cycles of fixtures/live are found with the right
 * members, source lines and queues, the negatives are not, `--cancel` ends the cycles, `--watch`
 * sees them come and go, and a bidirectional endpoint's blocked call is counted unproven until
 * the server's inactivity timeout suspends it.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isolation, repoRoot, runIsolated } from "../oracle/harness.js";
import type { LiveRecord, LiveRun } from "./protocol.js";

const iso = isolation();

interface MemberJson {
  invocation: string;
  service: string;
  key: string | null;
  handler: string;
  status: string;
  waitsFor: { kind: string; invocation: string };
  source: string | null;
  sources: string[];
}
interface DeadlockJson {
  members: MemberJson[];
  static: string;
  queuedBehind: number;
  break: string;
}
interface LiveJson {
  deadlocks: DeadlockJson[];
  unproven: number;
}

/** `Orders/o1 place call fixtures/live/src/orders.ts:10`, one line per member. */
function hop(m: MemberJson): string {
  return [`${m.service}${m.key === null ? "" : `/${m.key}`} ${m.handler}`, m.waitsFor.kind, m.source ?? "-"].join(" ");
}

/** A cycle's hops from its smallest one, so that where the server's clock starts it does not matter. */
function canonical(d: DeadlockJson): string[] {
  const hops = d.members.map(hop);
  const start = hops.indexOf([...hops].sort()[0]!);
  return [...hops.slice(start), ...hops.slice(0, start)];
}

function parse(run: LiveRun | undefined): LiveJson {
  expect(run, "the runner recorded this run").toBeDefined();
  return JSON.parse(run!.out) as LiveJson;
}

const src = "fixtures/live/src";
const EXPECTED: Record<string, { hops: string[]; static: string; queuedBehind: number }> = {
  self: { hops: [`Counter/c1 add call ${src}/counter.ts:8`, "Counter/c1 get lock -"], static: "certain", queuedBehind: 1 },
  crossFile: {
    hops: [`Orders/o1 place call ${src}/orders.ts:10`, `Payments/o1 charge call ${src}/payments.ts:10`, "Orders/o1 total lock -"],
    static: "certain",
    queuedBehind: 1,
  },
  threeObjects: {
    hops: ["Alpha/t1 finish lock -", `Alpha/t1 start call ${src}/triangle.ts:8`, `Beta/t1 relay call ${src}/triangle.ts:20`, `Gamma/t1 relay call ${src}/triangle.ts:29`],
    static: "certain",
    queuedBehind: 0,
  },
  lockInversion: {
    hops: [`Account/a deposit lock -`, `Account/a transfer call ${src}/accounts.ts:13`, "Account/b deposit lock -", `Account/b transfer call ${src}/accounts.ts:13`],
    static: "possible",
    queuedBehind: 0,
  },
  workflowAttach: { hops: ["Mailbox/u1 verify attach -", `Signup/u1 run call ${src}/signup.ts:11`], static: "missed", queuedBehind: 0 },
  throughService: {
    hops: [`Pricing quote call ${src}/pricing.ts:8`, "Shop/s1 stock lock -", `Shop/s1 buy call ${src}/shop.ts:9`],
    static: "certain",
    queuedBehind: 0,
  },
};
const NEGATIVE_SERVICES = ["Sleeper", "Library", "Ping", "Clock", "Slow"];

describe.runIf(iso.ok)("live: deadlocks of a running server", () => {
  let record: LiveRecord;
  beforeAll(async () => {
    const work = path.join(repoRoot, "node_modules/.cache/restate-live");
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const result = path.join(work, "result.json");
    const logFile = path.join(work, "runner.log");
    const code = await runIsolated(path.join(repoRoot, "test/live/runner.ts"), [result, work], { logFile, timeoutMs: 170_000 });
    if (code !== 0) throw new Error(`live runner failed (${code}):\n${readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n")}`);
    record = JSON.parse(readFileSync(result, "utf8")) as LiveRecord;
  }, 180_000);

  it("finds each cycle with its members in wait order, the waiting calls, the static verdict and the queue behind it", () => {
    expect(record.json!.code).toBe(1);
    const found = parse(record.json).deadlocks;
    const byHops = new Map(found.map((d) => [canonical(d).join(" | "), d]));
    for (const [name, want] of Object.entries(EXPECTED)) {
      const d = byHops.get(want.hops.join(" | "));
      expect(d, `${name}: ${want.hops.join(" | ")} among\n${[...byHops.keys()].join("\n")}`).toBeDefined();
      expect(d!.static, name).toBe(want.static);
      expect(d!.queuedBehind, name).toBe(want.queuedBehind);
      // Every member waits for the next one, and the cycle closes.
      d!.members.forEach((m, i) => expect(m.waitsFor.invocation).toBe(d!.members[(i + 1) % d!.members.length]!.invocation));
      expect(d!.break).toMatch(/^restate invocations cancel inv_\w+$/);
      expect(d!.members.map((m) => m.invocation)).toContain(d!.break.split(" ").pop());
      for (const m of d!.members) expect(m.source).toBe(m.sources[0] ?? null);
    }
    expect(found).toHaveLength(Object.keys(EXPECTED).length);
  });

  it("lists every call that can have made a wait, the first as its source", () => {
    const charge = parse(record.json).deadlocks.flatMap((d) => d.members).find((m) => m.service === "Payments");
    expect(charge?.sources).toEqual([`${src}/payments.ts:10`, `${src}/payments.ts:13`]);
    expect(record.text!.out).toContain(`waits for its call to Orders/o1 total at one of ${src}/payments.ts:10, ${src}/payments.ts:13`);
  });

  it("names the invocations the scenario sent", () => {
    const ids = new Set(parse(record.json).deadlocks.flatMap((d) => d.members.map((m) => m.invocation)));
    for (const name of ["Counter/c1 add", "Orders/o1 place", "Alpha/t1 start", "Account/a transfer", "Account/b transfer", "Signup/u1 run", "Shop/s1 buy"]) {
      expect(ids.has(record.sent[name]!), name).toBe(true);
    }
  });

  it("reports none of the negatives: a long sleep, a chain ending at a shared handler, sends, a wait with a timeout, a slow run", () => {
    const out = parse(record.json);
    for (const d of out.deadlocks) for (const m of d.members) expect(NEGATIVE_SERVICES).not.toContain(m.service);
    // Sleeper/z poke behind the sleeping nap; Clock/c tick (a call and a timer); Clock/c tock behind tick.
    expect(out.unproven).toBe(3);
  });

  it("prints text with the hops, the source lines, the queue and the cancel command", () => {
    const text = record.text!;
    expect(text.code).toBe(1);
    expect(text.out).toContain("Deadlock 1 of 6: ");
    expect(text.out).toMatch(/Orders\/o1 place \(inv_\w+, suspended since [\d-]+T[\d:.]+Z\)\n\s+waits for its call to Payments\/o1 charge at fixtures\/live\/src\/orders\.ts:10/);
    expect(text.out).toMatch(/waits for the lock of Orders\/o1 held by inv_\w+ \(Orders\/o1 place\)/);
    expect(text.out).toContain("Stuck behind it: 1 invocation (Orders/o1: 1)");
    expect(text.out).toMatch(/Break it: restate invocations cancel inv_\w+ {3}\(cancels the youngest member, Orders\/o1 total\)/);
    expect(text.out).toContain("Source lines come from the local checkout (fixtures/live), which may differ from what is deployed.");
    expect(text.out).toContain("3 invocations wait on a call, attach or lock without proof of a deadlock");
  });

  it("draws the cycles in Mermaid, cycle edges in red", () => {
    expect(record.mermaid!.code).toBe(1);
    expect(record.mermaid!.out).toMatch(/^flowchart LR\n/);
    expect(record.mermaid!.out).toContain("linkStyle ");
    expect(record.mermaid!.out).toContain('-.->|"behind"|');
  });

  it("without the code, proves the same cycles with no source lines", () => {
    const out = parse(record.noProject);
    expect(out.deadlocks).toHaveLength(6);
    for (const d of out.deadlocks) {
      expect(d.static).toBe("missed");
      for (const m of d.members) expect(m.sources).toEqual([]);
    }
  });

  it("reads the same snapshot in pages of two rows", () => {
    const canon = (j: LiveJson) => j.deadlocks.map((d) => canonical(d).join(" | ")).sort();
    expect(canon(parse(record.smallPages))).toEqual(canon(parse(record.json)));
  });

  it("refuses to answer from part of the data above --max-invocations", () => {
    expect(record.cap!.code).toBe(2);
    expect(record.cap!.err).toMatch(/\d+ open invocations, more than --max-invocations 3/);
  });

  it("never prints the token", () => {
    expect(record.token!.code).toBe(1);
    expect(JSON.stringify(record.token)).not.toContain("tok-3f9a-live-secret");
  });

  it("--cancel cancels the youngest member of each cycle; then the cycle and what queued behind it run to their end", () => {
    expect(record.cancel!.code).toBe(1);
    const cancelled = [...record.cancel!.err.matchAll(/^Cancelled (inv_\w+) /gm)].map((m) => m[1]);
    const breaks = parse(record.cancel).deadlocks.map((d) => d.break.split(" ").pop());
    expect(cancelled.sort()).toEqual(breaks.sort());
    expect(record.openAfterCancel).toEqual([]);
    const outcomes = new Map(record.outcomes!.map((o) => [o.id, o]));
    // A cancelled invocation is gone from the table, or kept (while retained) as cancelled.
    for (const id of cancelled) {
      const o = outcomes.get(id!);
      if (o) expect(o.completion_failure ?? "", id).toMatch(/cancel/i);
    }
    // The harmless calls queued behind the cycles ran.
    expect(outcomes.get(record.sent["Counter/c1 touch"]!)?.completion_result).toBe("success");
    expect(outcomes.get(record.sent["Orders/o1 status"]!)?.completion_result).toBe("success");
    // A second run finds none and exits 0.
    expect(record.after!.code).toBe(0);
    expect(parse(record.after).deadlocks).toEqual([]);
  });

  it("--watch prints each deadlock once when proven and once when it ends", () => {
    expect(record.watch!.code).toBe(0);
    const events = record.watch!.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; deadlock?: DeadlockJson; members?: string[] });
    const proven = events.filter((e) => e.event === "proven");
    const ended = events.filter((e) => e.event === "ended");
    expect(proven).toHaveLength(6);
    expect(ended).toHaveLength(6);
    expect(new Set(ended.map((e) => e.members!.slice().sort().join()))).toEqual(new Set(proven.map((e) => e.deadlock!.members.map((m) => m.invocation).sort().join())));
    expect(events.findIndex((e) => e.event === "ended")).toBeGreaterThan(events.map((e) => e.event).lastIndexOf("proven"));
  });

  it("with a bidirectional endpoint, counts a blocked call unproven until the inactivity timeout suspends it, then proves the cycle", () => {
    const early = parse(record.bidiEarly);
    expect(record.bidiEarly!.code).toBe(0);
    expect(early.deadlocks).toEqual([]);
    expect(early.unproven).toBeGreaterThanOrEqual(1);
    expect(record.bidiLate!.code).toBe(1);
    expect(parse(record.bidiLate).deadlocks.map((d) => canonical(d))).toEqual([[`Counter/b1 add call ${src}/counter.ts:8`, "Counter/b1 get lock -"]]);
    expect(record.bidiLateAfterMs!).toBeGreaterThanOrEqual(7000);
  });
});
