/**
 * Deadlocks proven from two snapshots: the members of each cycle in wait order, what is stuck
 * behind it, and which member to cancel to break it.
 */
import { type InvocationRow, type Snapshot, type WaitKind, deadSet, groupsOf, stableDeadSet, unprovenWaits } from "./waitgraph.js";

export interface LiveInvocation {
  invocation: string;
  service: string;
  /** null for a service, which has no key. */
  key: string | null;
  handler: string;
  status: string;
  createdAt: string | null;
  /** When the status last changed: for a suspended invocation, since when it is suspended. */
  since: string | null;
}

export interface LiveMember extends LiveInvocation {
  waitsFor: { kind: WaitKind; invocation: string };
}

export interface LiveDeadlock {
  /** Exactly the invocations on the cycle, from the oldest, each waiting for the next. */
  members: LiveMember[];
  /** Dead invocations off the cycle: queued on a member's key, or waiting on the cycle. */
  behind: LiveInvocation[];
  /** The member to cancel: the youngest, whose work is the least to lose. */
  youngest: LiveMember;
}

export interface LiveProof {
  deadlocks: LiveDeadlock[];
  /** Open invocations that wait on a call, attach or lock and are not proven dead. */
  unproven: LiveInvocation[];
  /** Open invocations in the later snapshot. */
  open: number;
}

function toInvocation(row: InvocationRow | undefined, id: string): LiveInvocation {
  if (!row) return { invocation: id, service: "?", key: null, handler: "?", status: "?", createdAt: null, since: null };
  return {
    invocation: row.id,
    service: row.service,
    key: row.keyed === false ? null : row.key,
    handler: row.handler,
    status: row.status,
    createdAt: row.createdAt ?? null,
    since: row.modifiedAt ?? null,
  };
}

/** Created earlier first; the id breaks ties so the order never depends on the server's. */
function older(a: LiveInvocation, b: LiveInvocation): number {
  return (a.createdAt ?? "").localeCompare(b.createdAt ?? "") || a.invocation.localeCompare(b.invocation);
}

/** The deadlocks dead in both snapshots (taken some time apart), with the later one's facts. */
export function prove(earlier: Snapshot, later: Snapshot): LiveProof {
  const stable = stableDeadSet(deadSet(earlier), deadSet(later));
  const rows = new Map(later.invocations.map((r) => [r.id, r]));
  const deadlocks: LiveDeadlock[] = [];
  for (const group of groupsOf(stable)) {
    let members: LiveMember[] = group.cycle.map((e) => ({ ...toInvocation(rows.get(e.from), e.from), waitsFor: { kind: e.kind, invocation: e.to } }));
    const first = members.reduce((best, m, i) => (older(m, members[best]!) < 0 ? i : best), 0);
    members = [...members.slice(first), ...members.slice(0, first)];
    const youngest = members.reduce((y, m) => (older(m, y) > 0 ? m : y), members[0]!);
    const behind = group.behind.map((id) => toInvocation(rows.get(id), id)).sort(older);
    deadlocks.push({ members, behind, youngest });
  }
  deadlocks.sort((a, b) => older(a.members[0]!, b.members[0]!));
  const unproven = unprovenWaits(later, stable.ids).map((id) => toInvocation(rows.get(id), id));
  return { deadlocks, unproven, open: later.invocations.length };
}

/** The same cycle in another check: its members, in any order. */
export function deadlockId(d: LiveDeadlock): string {
  return d.members
    .map((m) => m.invocation)
    .sort()
    .join(",");
}
