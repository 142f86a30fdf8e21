/**
 * The proof that invocations hang: a wait-for graph read from the server's introspection tables.
 *
 * An invocation is dead when it can only move on after other dead invocations do:
 * - suspended, and every completion it waits for is the result of a call to (or an attach on) a
 *   dead invocation; a timer among them (a sleep, `orTimeout`) or any other kind of completion
 *   means it may still wake up;
 * - queued in the inbox of an object key whose lock is held by a dead invocation.
 * The dead set is the greatest set with that property (computed by removing members until
 * nothing changes). Every member of a non-empty dead set waits on another member, so the set
 * contains a cycle: a deadlock, not a slow invocation.
 */

export interface InvocationRow {
  id: string;
  service: string;
  key: string;
  handler: string;
  status: string;
  invokedBy: string | null;
  /** Completion ids a suspended invocation waits for. */
  waitingFor: number[];
}

export type JournalCommand =
  | { kind: "call"; invocation: string; target: string; completion: number }
  | { kind: "attach"; invocation: string; target: string; completion: number }
  | { kind: "sleep"; invocation: string; completion: number };

export interface LockRow {
  service: string;
  key: string;
  holder: string;
}

export interface InboxRow {
  service: string;
  key: string;
  id: string;
}

export interface Snapshot {
  /** Invocations that have not completed. */
  invocations: InvocationRow[];
  commands: JournalCommand[];
  locks: LockRow[];
  inbox: InboxRow[];
}

export type WaitKind = "call" | "attach" | "lock";

export interface WaitEdge {
  from: string;
  to: string;
  kind: WaitKind;
}

export interface DeadSet {
  ids: Set<string>;
  edges: WaitEdge[];
}

/** What each open invocation waits for; null when it may still progress on its own. */
function waitsOf(s: Snapshot): Map<string, WaitEdge[] | null> {
  const byCompletion = new Map<string, JournalCommand>();
  for (const c of s.commands) byCompletion.set(`${c.invocation}#${c.completion}`, c);
  const holders = new Map<string, string>();
  for (const l of s.locks) holders.set(`${l.service}\u0000${l.key}`, l.holder);
  const inboxed = new Map<string, InboxRow>();
  for (const r of s.inbox) inboxed.set(r.id, r);

  const out = new Map<string, WaitEdge[] | null>();
  for (const inv of s.invocations) {
    const queued = inboxed.get(inv.id);
    if (queued) {
      const holder = holders.get(`${queued.service}\u0000${queued.key}`);
      out.set(inv.id, holder && holder !== inv.id ? [{ from: inv.id, to: holder, kind: "lock" }] : null);
      continue;
    }
    if (inv.status !== "suspended" || inv.waitingFor.length === 0) {
      out.set(inv.id, null);
      continue;
    }
    const edges: WaitEdge[] = [];
    let mayWake = false;
    for (const completion of inv.waitingFor) {
      const c = byCompletion.get(`${inv.id}#${completion}`);
      if (!c || c.kind === "sleep") {
        mayWake = true;
        break;
      }
      edges.push({ from: inv.id, to: c.target, kind: c.kind });
    }
    out.set(inv.id, mayWake ? null : edges);
  }
  return out;
}

/** The invocations of this snapshot that can never finish, and the waits that hold them. */
export function deadSet(s: Snapshot): DeadSet {
  const waits = waitsOf(s);
  const alive = new Set<string>();
  for (const [id, w] of waits) if (w) alive.add(id);
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of alive) {
      // Every wait must be on a member: one wait on anything else may let it go on.
      if (waits.get(id)!.some((e) => !alive.has(e.to))) {
        alive.delete(id);
        changed = true;
      }
    }
  }
  const edges: WaitEdge[] = [];
  for (const id of alive) edges.push(...waits.get(id)!);
  return { ids: alive, edges };
}

/** Members dead in both snapshots, with the later snapshot's waits: the proof is stable. */
export function stableDeadSet(earlier: DeadSet, later: DeadSet): DeadSet {
  const ids = new Set([...later.ids].filter((id) => earlier.ids.has(id)));
  // Removing members that died only in the later snapshot may leave waits on non-members.
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of ids) {
      if (later.edges.some((e) => e.from === id && !ids.has(e.to))) {
        ids.delete(id);
        changed = true;
      }
    }
  }
  return { ids, edges: later.edges.filter((e) => ids.has(e.from)) };
}

/** One cycle through the dead set for each group of invocations that wait on each other. */
export function cyclesOf(dead: DeadSet): WaitEdge[][] {
  const next = new Map<string, WaitEdge[]>();
  for (const e of dead.edges) next.set(e.from, [...(next.get(e.from) ?? []), e]);
  const cycles: WaitEdge[][] = [];
  const covered = new Set<string>();
  for (const start of [...dead.ids].sort()) {
    if (covered.has(start)) continue;
    // Follow first waits until a node repeats: every member has one, so this ends in a cycle.
    const order: string[] = [];
    const at = new Map<string, number>();
    let cur = start;
    while (!at.has(cur) && !covered.has(cur)) {
      at.set(cur, order.length);
      order.push(cur);
      const e = next.get(cur)?.[0];
      if (!e) break;
      cur = e.to;
    }
    for (const id of order) covered.add(id);
    const from = at.get(cur);
    if (from === undefined) continue;
    const cycleNodes = order.slice(from);
    cycles.push(cycleNodes.map((id) => next.get(id)![0]!));
  }
  return cycles;
}

/** `Counter/k1/add --call--> Counter/k1/get --lock--> Counter/k1/add`. */
export function describeCycle(cycle: WaitEdge[], label: (id: string) => string): string {
  if (cycle.length === 0) return "";
  const parts = [label(cycle[0]!.from)];
  for (const e of cycle) parts.push(`--${e.kind}--> ${label(e.to)}`);
  return parts.join(" ");
}
