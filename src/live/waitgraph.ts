/**
 * The proof that invocations hang: a wait-for graph read from the server's introspection tables.
 *
 * An invocation is dead when it can only move on after other dead invocations do:
 * - suspended, and every completion it waits for is the result of a call to (or an attach on) a
 *   dead invocation; a timer among them (a sleep, `orTimeout`) or any other kind of completion
 *   means it may still wake up;
 * - queued in the inbox of an object key whose lock is held by a dead invocation.
 * The dead set is the greatest set with that property. Every member of a non-empty dead set waits
 * on another member, so the set contains a cycle: a deadlock, not a slow invocation.
 *
 * Work is linear in the snapshot's size: a member leaves the set once, and then only the
 * invocations that wait on it are looked at again.
 */

export interface InvocationRow {
  id: string;
  service: string;
  /** The object key or workflow id; "" for a service. */
  key: string;
  /** False for a service's invocation, which has no key (where the server says so). */
  keyed?: boolean;
  handler: string;
  status: string;
  invokedBy: string | null;
  /** Completion ids a suspended invocation waits for. */
  waitingFor: number[];
  /** When the server created it (ISO 8601), where known. */
  createdAt?: string;
  /** When its status last changed (ISO 8601), where known: for a suspended one, since when. */
  modifiedAt?: string;
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

/**
 * The greatest subset of `candidates` in which every member waits only on members: members
 * leave when one of their waits leads outside, and their leaving is passed on to their waiters.
 */
function closeOver(candidates: Set<string>, waits: (id: string) => readonly WaitEdge[]): Set<string> {
  const waiters = new Map<string, string[]>();
  const leaving: string[] = [];
  for (const id of candidates) {
    for (const e of waits(id)) {
      if (!candidates.has(e.to)) leaving.push(id);
      else {
        let list = waiters.get(e.to);
        if (!list) waiters.set(e.to, (list = []));
        list.push(id);
      }
    }
  }
  const alive = new Set(candidates);
  while (leaving.length > 0) {
    const id = leaving.pop()!;
    if (!alive.delete(id)) continue;
    for (const w of waiters.get(id) ?? []) if (alive.has(w)) leaving.push(w);
  }
  return alive;
}

/** The invocations of this snapshot that can never finish, and the waits that hold them. */
export function deadSet(s: Snapshot): DeadSet {
  const waits = waitsOf(s);
  const candidates = new Set<string>();
  for (const [id, w] of waits) if (w) candidates.add(id);
  const ids = closeOver(candidates, (id) => waits.get(id) ?? []);
  const edges: WaitEdge[] = [];
  for (const id of ids) edges.push(...waits.get(id)!);
  return { ids, edges };
}

/** Members dead in both snapshots, with the later snapshot's waits: the proof is stable. */
export function stableDeadSet(earlier: DeadSet, later: DeadSet): DeadSet {
  const byFrom = new Map<string, WaitEdge[]>();
  for (const e of later.edges) {
    let list = byFrom.get(e.from);
    if (!list) byFrom.set(e.from, (list = []));
    list.push(e);
  }
  // Removing members that died only in the later snapshot may leave waits on non-members.
  const ids = closeOver(new Set([...later.ids].filter((id) => earlier.ids.has(id))), (id) => byFrom.get(id) ?? []);
  return { ids, edges: later.edges.filter((e) => ids.has(e.from)) };
}

/** Follows first waits from `start` until a node repeats or a covered node is reached. */
function walkFirstWaits(start: string, next: Map<string, WaitEdge[]>, stop: (id: string) => boolean): { path: string[]; repeatAt: number } {
  const path: string[] = [];
  const at = new Map<string, number>();
  let cur = start;
  while (!at.has(cur) && !stop(cur)) {
    at.set(cur, path.length);
    path.push(cur);
    const e = next.get(cur)?.[0];
    if (!e) break;
    cur = e.to;
  }
  return { path, repeatAt: at.get(cur) ?? -1 };
}

function firstWaits(dead: DeadSet): Map<string, WaitEdge[]> {
  const next = new Map<string, WaitEdge[]>();
  for (const e of dead.edges) {
    let list = next.get(e.from);
    if (!list) next.set(e.from, (list = []));
    list.push(e);
  }
  return next;
}

/** One cycle through the dead set for each group of invocations that wait on each other. */
export function cyclesOf(dead: DeadSet): WaitEdge[][] {
  return groupsOf(dead).map((g) => g.cycle);
}

export interface DeadGroup {
  /** The waits around one cycle, each member once. */
  cycle: WaitEdge[];
  /** Dead invocations off the cycle whose waits lead into it. */
  behind: string[];
}

/**
 * The dead set split by cycle: every member follows its first wait until it reaches a cycle, and
 * belongs to the first cycle it reaches. Each member is walked once.
 */
export function groupsOf(dead: DeadSet): DeadGroup[] {
  const next = firstWaits(dead);
  const groupOf = new Map<string, number>();
  const groups: DeadGroup[] = [];
  for (const start of [...dead.ids].sort()) {
    if (groupOf.has(start)) continue;
    const { path, repeatAt } = walkFirstWaits(start, next, (id) => groupOf.has(id));
    let g: number;
    if (repeatAt >= 0) {
      g = groups.length;
      const cycleNodes = path.slice(repeatAt);
      groups.push({ cycle: cycleNodes.map((id) => next.get(id)![0]!), behind: [] });
      for (const id of cycleNodes) groupOf.set(id, g);
      path.length = repeatAt;
    } else {
      const last = path.length > 0 ? next.get(path[path.length - 1]!)?.[0]?.to : undefined;
      const reached = last === undefined ? undefined : groupOf.get(last);
      if (reached === undefined) continue;
      g = reached;
    }
    for (const id of path) {
      groupOf.set(id, g);
      groups[g]!.behind.push(id);
    }
  }
  return groups;
}

/** `Counter/k1/add --call--> Counter/k1/get --lock--> Counter/k1/add`. */
export function describeCycle(cycle: WaitEdge[], label: (id: string) => string): string {
  if (cycle.length === 0) return "";
  const parts = [label(cycle[0]!.from)];
  for (const e of cycle) parts.push(`--${e.kind}--> ${label(e.to)}`);
  return parts.join(" ");
}

/**
 * Open invocations that wait on a call, an attach or a lock (by what the snapshot shows) and are
 * not in `dead`: suspended with a timer or another completion among their waits, queued behind a
 * live holder, or running with a call or attach to an invocation that is still open (with the
 * bidirectional protocol a blocked call stays "running" until the server's inactivity timeout).
 */
export function unprovenWaits(s: Snapshot, dead: ReadonlySet<string>): string[] {
  const open = new Set(s.invocations.map((i) => i.id));
  const inboxed = new Set(s.inbox.map((r) => r.id));
  const waitsOnOpen = new Set<string>();
  const commandsOf = new Map<string, JournalCommand[]>();
  for (const c of s.commands) {
    let list = commandsOf.get(c.invocation);
    if (!list) commandsOf.set(c.invocation, (list = []));
    list.push(c);
    if (c.kind !== "sleep" && open.has(c.target)) waitsOnOpen.add(c.invocation);
  }
  const out: string[] = [];
  for (const inv of s.invocations) {
    if (dead.has(inv.id)) continue;
    if (inboxed.has(inv.id)) out.push(inv.id);
    else if (inv.status === "suspended") {
      const awaited = new Set(inv.waitingFor);
      if ((commandsOf.get(inv.id) ?? []).some((c) => c.kind !== "sleep" && awaited.has(c.completion))) out.push(inv.id);
    } else if (waitsOnOpen.has(inv.id)) out.push(inv.id);
  }
  return out;
}
