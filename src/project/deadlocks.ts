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
 */
export function findDeadlocks(graph: CallGraph): DeadlockFinding[] {
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

  // Literal keys each exclusive handler is entered with (start states besides the symbolic key).
  const literalEntries = new Map<string, Set<string>>();
  for (const edges of graph.out.values()) {
    for (const e of edges) {
      if (e.key?.kind !== "literal" || !isLock(e.to)) continue;
      let set = literalEntries.get(e.to.id);
      if (!set) literalEntries.set(e.to.id, (set = new Set()));
      set.add(e.key.value);
    }
  }

  for (const node of graph.nodes.values()) {
    if (!isLock(node)) continue;
    const comp = componentOf.get(node.service)!;
    const cyclic = components[comp]!.length > 1 || (serviceEdges.get(node.service)?.has(node.service) ?? false);
    if (!cyclic) continue;
    const inComponent = (n: HandlerNode) => componentOf.get(n.service) === comp;
    findings.push(...searchFrom(graph, node, { key: { t: "same" }, input: UNKNOWN }, inComponent));
    for (const v of literalEntries.get(node.id) ?? []) {
      findings.push(...searchFrom(graph, node, { key: { t: "lit", v }, input: UNKNOWN }, inComponent));
    }
  }
  findings.push(...findInversions(graph, findings));
  return findings;
}

interface State {
  node: HandlerNode;
  key: KeyState;
  edge: WaitEdge | null;
  prev: State | null;
}

function pathOf(s: State): WaitEdge[] {
  const out: WaitEdge[] = [];
  for (let p: State | null = s; p && p.edge; p = p.prev) out.push(p.edge);
  return out.reverse();
}

/** Breadth-first, so each closing handler is reached by a shortest chain. */
function searchFrom(
  graph: CallGraph,
  holder: HandlerNode,
  start: KeyState,
  inComponent: (n: HandlerNode) => boolean,
): DeadlockFinding[] {
  const found: DeadlockFinding[] = [];
  const closed = new Set<string>();
  const seen = new Set<string>([`${holder.id}|${keyId(start)}`]);
  let frontier: State[] = [{ node: holder, key: start, edge: null, prev: null }];
  while (frontier.length > 0) {
    const next: State[] = [];
    for (const s of frontier) {
      for (const e of graph.out.get(s.node.id) ?? []) {
        if (!inComponent(e.to) || e.timeout) continue;
        const key = step(e, s.key);
        if (e.to.service === holder.service && isLock(e.to)) {
          const verdict = closes(start.key, key.key);
          if (verdict && !closed.has(`${e.to.id}|${verdict.certainty}`)) {
            closed.add(`${e.to.id}|${verdict.certainty}`);
            found.push({
              certainty: verdict.certainty,
              holder,
              hops: [...pathOf(s), e],
              closing: e.to,
              closingKey: verdict.key,
            });
          }
          // The chain queues here; what the closing handler would do next never runs.
          continue;
        }
        const id = `${e.to.id}|${keyId(key)}`;
        if (seen.has(id)) continue;
        seen.add(id);
        next.push({ node: e.to, key, edge: e, prev: s });
      }
    }
    frontier = next;
  }
  return found;
}

function closes(start: Rel, arrival: Rel): { certainty: Certainty; key: DeadlockFinding["closingKey"] } | null {
  if (start.t === "same") {
    if (arrival.t === "same") return { certainty: "certain", key: "same" };
    // A literal key from a symbolic start: equal only if the holder runs on that very key,
    // which the literal-start search decides when some caller enters it with that literal.
    if (arrival.t === "unknown") return { certainty: "possible", key: "unknown" };
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
