import type { KeyExpr } from "../model/types.js";
import { type CallGraph, type HandlerNode, type WaitEdge, stronglyConnected } from "./graph.js";

/** How a value of the invocation a chain has reached relates to the key the chain started with. */
type Rel =
  | { t: "same" }
  | { t: "lit"; v: string }
  | { t: "fresh" }
  | { t: "unknown" }
  /** A service: no key at all. */
  | { t: "none" };

/** The reached invocation's own key, and its input when that is a key passed along. */
interface KeyState {
  key: Rel;
  input: Rel;
}

export type Certainty = "certain" | "possible";

export interface DeadlockFinding {
  certainty: Certainty;
  /** The lock holder the chain starts in. */
  holder: HandlerNode;
  /** The waits, in order; the last one reaches `closing`. */
  hops: WaitEdge[];
  /** The exclusive handler that queues behind the holder's lock. */
  closing: HandlerNode;
  /** How the closing call's key relates to the holder's: "same", a literal, or unknown. */
  closingKey: "same" | "unknown" | { literal: string };
  /** A lock-order inversion: several chains, each held by a different object. */
  inversion?: WaitEdge[][];
}

const UNKNOWN: Rel = { t: "unknown" };

/** The value an expression of the caller denotes, relative to the chain's start key. */
function relate(expr: KeyExpr | null | undefined, caller: KeyState): Rel {
  if (!expr) return UNKNOWN;
  switch (expr.kind) {
    case "sameAsCaller":
      return caller.key.t === "none" ? UNKNOWN : caller.key;
    case "input":
      return caller.input;
    case "literal":
      return { t: "lit", v: expr.value };
    case "fresh":
      return { t: "fresh" };
    default:
      return UNKNOWN;
  }
}

function step(edge: WaitEdge, caller: KeyState): KeyState {
  return {
    key: edge.key === null ? { t: "none" } : relate(edge.key, caller),
    input: relate(edge.input, caller),
  };
}

function relId(r: Rel): string {
  return r.t === "lit" ? `lit:${r.v}` : r.t;
}

function keyId(k: KeyState): string {
  return `${relId(k.key)}/${relId(k.input)}`;
}

function isLock(node: HandlerNode): boolean {
  return node.serviceKind === "object" && node.kind === "exclusive";
}

/**
 * Finds chains of waits that come back to a virtual object whose lock the chain holds.
 * Certain: the key is provably the same (ctx.key passed along, or equal literals).
 * Possible: the key is unknown (lock-order inversion).
 * A hop bounded by `.orTimeout(...)` ends with a TimeoutError and releases the lock: a stall,
 * not a deadlock, so chains through it are not searched.
 * Only objects on a cycle of the service-level wait graph are searched, and only inside it.
 *
 * Without `entriesKnown` the graph holds only the files that can lie on a cycle, so the keys
 * callers elsewhere enter a handler with are unknown. They matter only when a chain comes back to
 * its holder's object under a literal key (a literal written inside the cycle, as a key or an
 * input passed on as one): then this gives up and returns null. Literals that never reach the
 * holder's object that way change no verdict.
 */
export function findDeadlocks(graph: CallGraph, options: { entriesKnown: boolean } = { entriesKnown: true }): DeadlockFinding[] | null {
  const findings: DeadlockFinding[] = [];
  const serviceEdges = new Map<string, Set<string>>();
  for (const edges of graph.out.values()) {
    for (const e of edges) {
      let set = serviceEdges.get(e.from.service);
      if (!set) serviceEdges.set(e.from.service, (set = new Set()));
      set.add(e.to.service);
    }
  }
  const components = stronglyConnected(graph.services.keys(), (s) => serviceEdges.get(s) ?? []);
  const componentOf = new Map<string, number>();
  components.forEach((c, i) => c.forEach((s) => componentOf.set(s, i)));

  const isCyclic = (comp: number): boolean => {
    const members = components[comp]!;
    return members.length > 1 || (serviceEdges.get(members[0]!)?.has(members[0]!) ?? false);
  };
  const literal = literalKeys(graph);
  // A chain that comes back to its holder's object under a literal key is the one verdict the keys
  // callers elsewhere enter with can change (see `closes`): without them, give up on it.
  const arrivals = { literal: false };

  for (const node of graph.nodes.values()) {
    if (!isLock(node)) continue;
    const comp = componentOf.get(node.service)!;
    if (!isCyclic(comp)) continue;
    const inComponent = (n: HandlerNode) => componentOf.get(n.service) === comp;
    const open = literal.openKey.has(node.id);
    const fromAnyKey = searchFrom(graph, node, { key: { t: "same" }, input: UNKNOWN }, inComponent, open, arrivals);
    findings.push(...fromAnyKey);
    // A literal start adds chains of its own only through literals written inside the cycle;
    // others repeat a chain found from "any key" (left out, so the result does not depend on
    // which literals callers outside the cycle use).
    const known = new Set(fromAnyKey.map(chainId));
    for (const v of literal.keys.get(node.id) ?? []) {
      for (const f of searchFrom(graph, node, { key: { t: "lit", v }, input: UNKNOWN }, inComponent, open, arrivals)) {
        const id = chainId(f);
        if (known.has(id)) continue;
        known.add(id);
        findings.push(f);
      }
    }
  }
  if (!options.entriesKnown && arrivals.literal) return null;
  findings.push(...findInversions(graph, findings));
  return withCandidates(findings);
}

/**
 * A chain through a call whose target is one of several definitions of a name is only as sure
 * as that choice: "possible", whatever the keys say (unless the call closes the chain and every
 * candidate is exclusive). A chain then found both ways is kept once.
 */
function withCandidates(findings: DeadlockFinding[]): DeadlockFinding[] {
  // The closing call queues behind the lock of its name whichever definition is deployed, when each is exclusive.
  const uncertain = (f: DeadlockFinding) => f.certainty === "certain" && f.hops.some((h, i) => h.candidates && !(i === f.hops.length - 1 && h.candidates.every(isLock)));
  const possible = new Set(findings.filter((f) => f.certainty === "possible" && !f.inversion).map(chainId));
  const out: DeadlockFinding[] = [];
  for (const f of findings) {
    if (!uncertain(f)) {
      out.push(f);
      continue;
    }
    const downgraded = { ...f, certainty: "possible" as const };
    const id = chainId(downgraded);
    if (possible.has(id)) continue;
    possible.add(id);
    out.push(downgraded);
  }
  return out;
}

function chainId(f: DeadlockFinding): string {
  return `${f.certainty}|${f.hops.map((h) => `${h.file}:${h.callIndex}`).join(",")}`;
}

/**
 * The string literals each handler may run under (as its key) or receive (as its input), from
 * every call and send in the project: a literal written at a call, or passed along as `ctx.key`
 * or as the input. These are the keys a chain can provably start from besides "any key".
 */
interface KeyFacts {
  keys: Map<string, Set<string>>;
  inputs: Map<string, Set<string>>;
  /** Handlers whose key may be any value: called from outside the code, or with a key we cannot follow. */
  openKey: Set<string>;
}

function literalKeys(graph: CallGraph): KeyFacts {
  const keys = new Map<string, Set<string>>();
  const inputs = new Map<string, Set<string>>();
  const edges = [...[...graph.out.values()].flat(), ...graph.sends];
  const add = (m: Map<string, Set<string>>, id: string, values: Iterable<string>): boolean => {
    let set = m.get(id);
    if (!set) m.set(id, (set = new Set()));
    const before = set.size;
    for (const v of values) set.add(v);
    return set.size !== before;
  };
  const valuesOf = (expr: KeyExpr | null | undefined, caller: string): Iterable<string> => {
    if (!expr) return [];
    if (expr.kind === "literal") return [expr.value];
    if (expr.kind === "sameAsCaller") return keys.get(caller) ?? [];
    if (expr.kind === "input") return inputs.get(caller) ?? [];
    return [];
  };
  // A handler nobody in the code calls is an entry point: its key and input come from outside.
  const entered = new Set(edges.map((e) => e.to.id));
  const openKey = new Set([...graph.nodes.keys()].filter((id) => !entered.has(id)));
  const openInput = new Set(openKey);
  const isOpen = (expr: KeyExpr | null | undefined, caller: string): boolean => {
    if (!expr || expr.kind === "unknown") return true;
    if (expr.kind === "sameAsCaller") return openKey.has(caller);
    if (expr.kind === "input") return openInput.has(caller);
    return false;
  };
  // Monotone sets (over a finite set of literals and handlers): iterate to the fixpoint.
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of edges) {
      if (e.key && add(keys, e.to.id, valuesOf(e.key, e.from.id))) changed = true;
      if (add(inputs, e.to.id, valuesOf(e.input, e.from.id))) changed = true;
      if (e.key && !openKey.has(e.to.id) && isOpen(e.key, e.from.id)) {
        openKey.add(e.to.id);
        changed = true;
      }
      if (!openInput.has(e.to.id) && isOpen(e.input, e.from.id)) {
        openInput.add(e.to.id);
        changed = true;
      }
    }
  }
  return { keys, inputs, openKey };
}

interface State {
  id: string;
  node: HandlerNode;
  key: KeyState;
  edge: WaitEdge | null;
  prev: State | null;
}

interface Transition {
  from: State;
  edge: WaitEdge;
  /** The state reached, or the verdict when the edge re-enters the holder's lock. */
  to: State | { certainty: Certainty; key: DeadlockFinding["closingKey"] };
}

function pathOf(s: State): WaitEdge[] {
  const out: WaitEdge[] = [];
  for (let p: State | null = s; p && p.edge; p = p.prev) out.push(p.edge);
  return out.reverse();
}

function isState(t: Transition["to"]): t is State {
  return "node" in t;
}

/**
 * Explores every chain of waits from `holder` (breadth-first, so prefixes are shortest), then
 * reports each call that lies on some chain re-entering the holder's lock: a chain through it is
 * its shortest prefix, the call, and a shortest way on to the lock. Certain chains win over
 * possible ones.
 */
function searchFrom(
  graph: CallGraph,
  holder: HandlerNode,
  start: KeyState,
  inComponent: (n: HandlerNode) => boolean,
  openKey: boolean,
  arrivals: { literal: boolean },
): DeadlockFinding[] {
  const root: State = { id: `${holder.id}|${keyId(start)}`, node: holder, key: start, edge: null, prev: null };
  const states = new Map<string, State>([[root.id, root]]);
  const transitions: Transition[] = [];
  let frontier: State[] = [root];
  while (frontier.length > 0) {
    const next: State[] = [];
    for (const s of frontier) {
      for (const e of graph.out.get(s.node.id) ?? []) {
        if (!inComponent(e.to) || e.timeout) continue;
        const key = step(e, s.key);
        if (e.to.service === holder.service && isLock(e.to)) {
          // The chain queues here; what the closing handler would do next never runs.
          if (key.key.t === "lit") arrivals.literal = true;
          const verdict = closes(start.key, key.key, openKey);
          if (verdict) transitions.push({ from: s, edge: e, to: verdict });
          continue;
        }
        const id = `${e.to.id}|${keyId(key)}`;
        let t = states.get(id);
        if (!t) {
          t = { id, node: e.to, key, edge: e, prev: s };
          states.set(id, t);
          next.push(t);
        }
        transitions.push({ from: s, edge: e, to: t });
      }
    }
    frontier = next;
  }
  if (!transitions.some((t) => !isState(t.to))) return [];

  const found: DeadlockFinding[] = [];
  const covered = new Set<WaitEdge>();
  for (const certainty of ["certain", "possible"] as const) {
    const suffix = shortestSuffixes(transitions, certainty);
    for (const t of transitions) {
      if (covered.has(t.edge)) continue;
      const rest = isState(t.to) ? suffix.get(t.to.id) : !isState(t.to) && t.to.certainty === certainty ? [] : undefined;
      if (!rest) continue;
      const last = rest.length > 0 ? rest[rest.length - 1]! : t;
      const verdict = last.to as { certainty: Certainty; key: DeadlockFinding["closingKey"] };
      const hops = [...pathOf(t.from), t.edge, ...rest.map((r) => r.edge)];
      for (const h of hops) covered.add(h);
      found.push({ certainty, holder, hops, closing: last.edge.to, closingKey: verdict.key });
    }
  }
  return found;
}

/** For each state, the shortest run of transitions from it to a closing of the given certainty. */
function shortestSuffixes(transitions: Transition[], certainty: Certainty): Map<string, Transition[]> {
  const into = new Map<string, Transition[]>();
  const suffix = new Map<string, Transition[]>();
  let frontier: string[] = [];
  for (const t of transitions) {
    if (isState(t.to)) {
      const list = into.get(t.to.id);
      if (list) list.push(t);
      else into.set(t.to.id, [t]);
    } else if (t.to.certainty === certainty && !suffix.has(t.from.id)) {
      suffix.set(t.from.id, [t]);
      frontier.push(t.from.id);
    }
  }
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const t of into.get(id) ?? []) {
        if (suffix.has(t.from.id)) continue;
        suffix.set(t.from.id, [t, ...suffix.get(id)!]);
        next.push(t.from.id);
      }
    }
    frontier = next;
  }
  return suffix;
}

/**
 * Whether arriving at the holder's object with `arrival` re-enters the lock held with `start`.
 * A literal reached from "any key" matters only when the holder's key may really be any value
 * (`openKey`); when every caller in the code enters it with known literals, the literal-start
 * searches decide, so provably different literals stay silent.
 */
function closes(start: Rel, arrival: Rel, openKey: boolean): { certainty: Certainty; key: DeadlockFinding["closingKey"] } | null {
  if (start.t === "same") {
    if (arrival.t === "same") return { certainty: "certain", key: "same" };
    if (arrival.t === "unknown") return { certainty: "possible", key: "unknown" };
    if (arrival.t === "lit" && openKey) return { certainty: "possible", key: { literal: arrival.v } };
    return null;
  }
  if (start.t === "lit") {
    if (arrival.t === "lit" && arrival.v === start.v) return { certainty: "certain", key: { literal: start.v } };
    if (arrival.t === "same") return { certainty: "certain", key: { literal: start.v } };
    return null;
  }
  return null;
}

/**
 * Lock-order inversions across objects: O's exclusive handler waits on P's while P's waits on
 * O's (directly or through services and shared handlers). Each edge of the object-level lock
 * graph carries one witness chain; a cycle of two or more objects is a possible deadlock.
 */
function findInversions(graph: CallGraph, already: DeadlockFinding[]): DeadlockFinding[] {
  const lockEdges = new Map<string, Map<string, WaitEdge[]>>();
  for (const node of graph.nodes.values()) {
    if (!isLock(node)) continue;
    for (const chain of firstLocks(graph, node)) {
      const to = chain[chain.length - 1]!.to.service;
      if (to === node.service) continue;
      let m = lockEdges.get(node.service);
      if (!m) lockEdges.set(node.service, (m = new Map()));
      const prev = m.get(to);
      if (!prev || chain.length < prev.length) m.set(to, chain);
    }
  }
  const covered = new Set<string>();
  for (const f of already) covered.add(objectSetKey(f.hops.map((h) => h.from.service).concat(f.closing.service)));

  const out: DeadlockFinding[] = [];
  const components = stronglyConnected(lockEdges.keys(), (s) => lockEdges.get(s)?.keys() ?? []);
  for (const comp of components) {
    if (comp.length < 2) continue;
    const cycle = shortestCycle(comp, (s) => [...(lockEdges.get(s)?.keys() ?? [])].filter((t) => comp.includes(t)));
    if (!cycle) continue;
    if (covered.has(objectSetKey(cycle))) continue;
    const chains = cycle.map((s, i) => lockEdges.get(s)!.get(cycle[(i + 1) % cycle.length]!)!);
    const first = chains[0]!;
    out.push({
      certainty: "possible",
      holder: first[0]!.from,
      hops: chains.flat(),
      closing: chains[chains.length - 1]![chains[chains.length - 1]!.length - 1]!.to,
      closingKey: "unknown",
      inversion: chains,
    });
  }
  return out;
}

function objectSetKey(services: string[]): string {
  return [...new Set(services)].sort().join("\u0000");
}

/** From an exclusive handler, the shortest chains to the first exclusive handler of another object. */
function firstLocks(graph: CallGraph, holder: HandlerNode): WaitEdge[][] {
  const out: WaitEdge[][] = [];
  const seen = new Set<string>([holder.id]);
  let frontier: { node: HandlerNode; path: WaitEdge[] }[] = [{ node: holder, path: [] }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const s of frontier) {
      for (const e of graph.out.get(s.node.id) ?? []) {
        if (e.key?.kind === "fresh" || e.timeout) continue;
        if (seen.has(e.to.id)) continue;
        seen.add(e.to.id);
        const path = [...s.path, e];
        if (isLock(e.to)) out.push(path);
        else next.push({ node: e.to, path });
      }
    }
    frontier = next;
  }
  return out;
}

function shortestCycle(nodes: string[], next: (s: string) => string[]): string[] | null {
  const start = [...nodes].sort()[0]!;
  const prev = new Map<string, string>();
  let frontier = [start];
  const seen = new Set([start]);
  while (frontier.length > 0) {
    const n2: string[] = [];
    for (const s of frontier) {
      for (const t of next(s)) {
        if (t === start) {
          const cycle = [s];
          for (let p = prev.get(s); p !== undefined; p = prev.get(p)) cycle.push(p);
          return cycle.reverse();
        }
        if (seen.has(t)) continue;
        seen.add(t);
        prev.set(t, s);
        n2.push(t);
      }
    }
    frontier = n2;
  }
  return null;
}
