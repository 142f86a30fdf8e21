/**
 * The analyzer's deadlock verdicts against a real restate-server (see test/oracle/README.md).
 * Runs only where a private network namespace can be made (`unshare` + `ip`); elsewhere the
 * server tests are skipped with the reason.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateProgram } from "./generator.js";
import { isolation, repoRoot } from "./harness.js";
import { type Agreement, DISAGREEMENTS, type FixtureCase, type ProgramCase, checkFixtures, checkPrograms, formatCase } from "./oracle.js";
import { isBounded, scenariosOf } from "./program.js";
import { cyclesOf, deadSet, stableDeadSet, type Snapshot } from "../../src/live/waitgraph.js";

const iso = isolation();
if (!iso.ok) console.warn(`[oracle] server tests skipped: ${iso.reason}`);

// CI sets RESTATE_ORACLE_REQUIRED=1 so that a machine that cannot run the oracle fails loudly.
it.runIf(process.env.RESTATE_ORACLE_REQUIRED === "1")("the oracle can run here (RESTATE_ORACLE_REQUIRED=1)", () => {
  expect(iso.ok ? "" : iso.reason).toBe("");
});

const fixturesDir = path.join(repoRoot, "fixtures/deadlock");
/** Every deadlock fixture, and the resolution fixtures that declare how to run them (a workspace's packages importing one another by name). */
const fixtureDirs = [
  ...readdirSync(fixturesDir).map((f) => path.join(fixturesDir, f)),
  ...readdirSync(path.join(repoRoot, "fixtures/resolution"))
    .map((f) => path.join(repoRoot, "fixtures/resolution", f))
    .filter((d) => existsSync(path.join(d, "scenario.json"))),
].sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
const fixtures = fixtureDirs.map((d) => path.basename(d));

/** The fixed programs `npm test` runs: seeds FIRST_SEED .. FIRST_SEED + PROGRAMS - 1. */
const FIRST_SEED = 1;
const PROGRAMS = 40;

/**
 * Disagreements the analyzer is known to have on these seeds (see test/oracle/README.md,
 * "Known disagreements"). The test fails when one goes away, too: then drop it from here.
 */
// Disagreements the analyzer is known to have on the seeds below (none at present). A new
// one fails the test, and so does a listed one that has gone away.
const KNOWN: Record<string, Agreement> = {};

describe("wait-for graph proof", () => {
  const inv = (id: string, status: string, waitingFor: number[] = []) => ({
    id,
    service: "O",
    key: "k",
    handler: id,
    status,
    invokedBy: null,
    waitingFor,
  });

  it("proves a self-deadlock: a call queued behind its caller's lock", () => {
    const snap: Snapshot = {
      invocations: [inv("add", "suspended", [2]), inv("get", "pending")],
      commands: [{ kind: "call", invocation: "add", target: "get", completion: 2 }],
      locks: [{ service: "O", key: "k", holder: "add" }],
      inbox: [{ service: "O", key: "k", id: "get" }],
    };
    const dead = deadSet(snap);
    expect([...dead.ids].sort()).toEqual(["add", "get"]);
    expect(cyclesOf(stableDeadSet(dead, deadSet(snap))).map((c) => c.map((e) => e.kind))).toEqual([["call", "lock"]]);
  });

  it("does not count a wait bounded by a timer (orTimeout) as dead", () => {
    const snap: Snapshot = {
      invocations: [inv("add", "suspended", [2, 3]), inv("get", "pending")],
      commands: [
        { kind: "call", invocation: "add", target: "get", completion: 2 },
        { kind: "sleep", invocation: "add", completion: 3 },
      ],
      locks: [{ service: "O", key: "k", holder: "add" }],
      inbox: [{ service: "O", key: "k", id: "get" }],
    };
    expect(deadSet(snap).ids.size).toBe(0);
  });

  it("does not count a wait on a running invocation as dead", () => {
    const snap: Snapshot = {
      invocations: [inv("a", "suspended", [2]), inv("b", "running")],
      commands: [{ kind: "call", invocation: "a", target: "b", completion: 2 }],
      locks: [],
      inbox: [],
    };
    expect(deadSet(snap).ids.size).toBe(0);
  });

  it("keeps only members dead in both snapshots", () => {
    const first: Snapshot = {
      invocations: [inv("a", "suspended", [1]), inv("b", "suspended", [1])],
      commands: [
        { kind: "call", invocation: "a", target: "b", completion: 1 },
        { kind: "attach", invocation: "b", target: "a", completion: 1 },
      ],
      locks: [],
      inbox: [],
    };
    const later: Snapshot = { ...first, invocations: [inv("a", "suspended", [1]), inv("b", "running")] };
    expect(deadSet(first).ids.size).toBe(2);
    expect(stableDeadSet(deadSet(first), deadSet(later)).ids.size).toBe(0);
  });
});

describe("random programs", () => {
  it("are the same for the same seed, and every run of them ends", () => {
    expect(generateProgram(7)).toEqual(generateProgram(7));
    for (let seed = 1; seed <= 200; seed++) expect(isBounded(generateProgram(seed)), `seed ${seed}`).toBe(true);
  });

  it("start every handler alone and every pair of lock holders together", () => {
    const p = generateProgram(5);
    const handlers = p.components.reduce((n, c) => n + c.handlers.length, 0);
    const scenarios = scenariosOf(p, "X_");
    expect(scenarios.filter((s) => s.calls.length === 1)).toHaveLength(handlers);
    expect(scenarios.some((s) => s.calls.length === 2)).toBe(true);
  });
});

describe.skipIf(!iso.ok)("oracle: fixture projects on a real Restate server", () => {
  let cases: FixtureCase[] = [];
  beforeAll(async () => {
    cases = await checkFixtures(fixtureDirs, { timeoutMs: 240_000 });
  }, 300_000);

  it.each(fixtures)("%s: the server does what scenario.json says, and the analyzer agrees", (name) => {
    expect(existsSync(path.join(fixtureDirs[fixtures.indexOf(name)]!, "scenario.json")), "every deadlock fixture declares its entry points").toBe(true);
    const c = cases.find((x) => x.name === name)!;
    expect(c.result.errors).toEqual([]);
    expect(c.result.outcome, c.result.cycles.join("\n")).toBe(c.expect === "hang" ? "hung" : "completed");
    if (c.verdict === "certain") expect(c.result.outcome).toBe("hung");
    if (c.result.outcome === "hung") expect(c.verdict).not.toBe("none");
    if (c.verdict === "none") expect(c.result.outcome).toBe("completed");
    if (c.expect === "hang") expect(c.result.cycles.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!iso.ok)(`oracle: ${PROGRAMS} random programs on a real Restate server`, () => {
  let cases: ProgramCase[] = [];
  beforeAll(async () => {
    const specs = Array.from({ length: PROGRAMS }, (_, i) => generateProgram(FIRST_SEED + i));
    cases = await checkPrograms(specs, { timeoutMs: 240_000, label: "test" });
    // A program that reached no verdict by the deadline ran on a machine busy with the rest of the
    // suite: it gets one more run of its own (a real disagreement shows again).
    const unsettled = cases.filter((c) => c.result.outcome === "error" || c.result.outcome === "stuck").map((c) => c.spec);
    if (unsettled.length > 0) {
      const again = await checkPrograms(unsettled, { timeoutMs: 240_000, label: "test-again" });
      cases = cases.map((c) => again.find((a) => a.spec.id === c.spec.id) ?? c);
    }
  }, 560_000);

  it("every program runs to a verdict (completes, or hangs with a proven cycle)", () => {
    const odd = cases.filter((c) => c.result.outcome === "error" || c.result.outcome === "stuck");
    expect(odd.map((c) => formatCase(c, "no verdict"))).toEqual([]);
  });

  it("static verdicts and the server agree, apart from the known disagreements", () => {
    const found: Record<string, Agreement> = {};
    for (const c of cases) if (DISAGREEMENTS.includes(c.agreement)) found[c.spec.id] = c.agreement;
    const unexpected = cases.filter((c) => found[c.spec.id] && KNOWN[c.spec.id] !== found[c.spec.id]);
    expect(unexpected.map((c) => formatCase(c, "unexpected disagreement"))).toEqual([]);
    expect(found).toEqual(KNOWN);
  });

  it("the runs cover both outcomes and every kind of static verdict", () => {
    const outcomes = new Set(cases.map((c) => c.result.outcome));
    const verdicts = new Set(cases.map((c) => c.verdict));
    expect([...outcomes].sort()).toEqual(["completed", "hung"]);
    expect([...verdicts].sort()).toEqual(["certain", "none", "possible"]);
  });
});
