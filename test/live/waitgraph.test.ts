import { describe, expect, it } from "vitest";
import { prove } from "../../src/live/prove.js";
import { type InvocationRow, type Snapshot, deadSet, groupsOf, unprovenWaits } from "../../src/live/waitgraph.js";

const row = (id: string, status: string, waitingFor: number[] = [], createdAt = id): InvocationRow => ({
  id,
  service: "O",
  key: id.split("-")[0]!,
  handler: id,
  status,
  invokedBy: null,
  waitingFor,
  createdAt,
});

/** a → b (call), b → a's key (queued behind a); c queued behind a too; d calls c. */
function cycleWithTails(): Snapshot {
  return {
    invocations: [row("k1-a", "suspended", [1], "1"), row("k1-b", "pending", [], "2"), row("k1-c", "pending", [], "3"), row("k2-d", "suspended", [1], "4")],
    commands: [
      { kind: "call", invocation: "k1-a", target: "k1-b", completion: 1 },
      { kind: "call", invocation: "k2-d", target: "k1-c", completion: 1 },
    ],
    locks: [{ service: "O", key: "k1", holder: "k1-a" }],
    inbox: [
      { service: "O", key: "k1", id: "k1-b" },
      { service: "O", key: "k1", id: "k1-c" },
    ],
  };
}

describe("wait-for graph", () => {
  it("splits the dead set into its cycle and what waits on it", () => {
    const groups = groupsOf(deadSet(cycleWithTails()));
    expect(groups).toHaveLength(1);
    expect(groups[0]!.cycle.map((e) => `${e.from}>${e.to}:${e.kind}`).sort()).toEqual(["k1-a>k1-b:call", "k1-b>k1-a:lock"]);
    expect(groups[0]!.behind.sort()).toEqual(["k1-c", "k2-d"]);
  });

  it("starts a deadlock at its oldest member and cancels its youngest", () => {
    const proof = prove(cycleWithTails(), cycleWithTails());
    expect(proof.deadlocks).toHaveLength(1);
    const d = proof.deadlocks[0]!;
    expect(d.members.map((m) => m.invocation)).toEqual(["k1-a", "k1-b"]);
    expect(d.youngest.invocation).toBe("k1-b");
    expect(d.behind.map((b) => b.invocation)).toEqual(["k1-c", "k2-d"]);
  });

  it("counts waits it cannot prove: a timer among the awaited, a running call on an open invocation, a queue behind a live holder", () => {
    const s: Snapshot = {
      invocations: [row("k1-a", "suspended", [1, 2]), row("k1-b", "pending"), row("k2-r", "running"), row("k3-x", "running"), row("k4-s", "suspended", [1])],
      commands: [
        { kind: "call", invocation: "k1-a", target: "k1-b", completion: 1 },
        { kind: "sleep", invocation: "k1-a", completion: 2 },
        { kind: "call", invocation: "k2-r", target: "k3-x", completion: 1 },
        { kind: "sleep", invocation: "k4-s", completion: 1 },
      ],
      locks: [{ service: "O", key: "k1", holder: "k1-a" }],
      inbox: [{ service: "O", key: "k1", id: "k1-b" }],
    };
    const dead = deadSet(s);
    expect(dead.ids.size).toBe(0);
    // k3-x runs without waiting; k4-s only sleeps.
    expect(unprovenWaits(s, dead.ids).sort()).toEqual(["k1-a", "k1-b", "k2-r"]);
  });

  it("holds nothing dead on a chain of waits that ends in a running invocation, whatever the order of the rows", () => {
    const n = 1000;
    const invocations: InvocationRow[] = [];
    const commands: Snapshot["commands"] = [];
    for (let i = 0; i < n; i++) {
      invocations.push(row(`k${i}-x`, i === n - 1 ? "running" : "suspended", i === n - 1 ? [] : [1]));
      if (i < n - 1) commands.push({ kind: "call", invocation: `k${i}-x`, target: `k${i + 1}-x`, completion: 1 });
    }
    // The running end is listed last: every member leaves only once the one after it has.
    const s: Snapshot = { invocations, commands, locks: [], inbox: [] };
    expect(deadSet(s).ids.size).toBe(0);
  });
});
