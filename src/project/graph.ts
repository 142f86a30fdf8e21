import path from "node:path";
import type { CallSite, FileModel, HandlerKind, KeyExpr, ServiceKind, SourceLoc } from "../model/types.js";
import { runtimeKind } from "../ts/sdk-definitions.js";
import type { Resolver, ServiceTarget } from "./resolve.js";

export interface HandlerNode {
  id: string;
  service: string;
  handler: string;
  kind: HandlerKind;
  serviceKind: ServiceKind;
  file: string;
  loc: SourceLoc;
}

/** One definition of a service name. */
export interface ServiceDefinition {
  name: string;
  kind: ServiceKind;
  file: string;
  loc: SourceLoc;
  /** For Go: the package folder whose files define it together. */
  goPackage: string | null;
  handlers: Map<string, HandlerNode>;
}

/** A call during which the caller waits for the callee. */
export interface WaitEdge {
  from: HandlerNode;
  to: HandlerNode;
  /** The callee's key as the caller writes it; null for services. */
  key: KeyExpr | null;
  /** The callee's input as the caller writes it, when it is key-like. */
  input: KeyExpr | null;
  /** `.orTimeout(...)` bounds the wait. */
  timeout: boolean;
  /**
   * The target's name is defined more than once and the code does not say which definition it
   * calls: the handlers of every definition it may be (this edge goes to one of them).
   */
  candidates?: HandlerNode[];
  /** A send that is waited for through attach. */
  attached: boolean;
  file: string;
  /** Where the call was when the graph was built (see `callIndex` for the current place). */
  loc: SourceLoc;
  /** The call's position in its file's `calls`: stable while the file's facts do not change. */
  callIndex: number;
  call: CallSite;
}

/** A call that was not turned into an edge, and why (for the debug listing). */
export interface Unresolved {
  file: string;
  loc: SourceLoc;
  reason: string;
}

export interface CallGraph {
  nodes: Map<string, HandlerNode>;
  out: Map<string, WaitEdge[]>;
  /** One-way sends (not waited for): no part of any deadlock, but part of the picture. */
  sends: WaitEdge[];
  /** Service name → its handlers by name (of its first definition, by file). */
  services: Map<string, { kind: ServiceKind; handlers: Map<string, HandlerNode> }>;
  /** Service name → every definition of it in the project, first first. */
  definitions: Map<string, ServiceDefinition[]>;
  unresolved: Unresolved[];
}

const WAITING = new Set(["awaited", "returned", "combined", "stored-awaited"]);

/** Whether the caller waits for this call to finish (a send waits only when attached to). */
export function isWait(call: CallSite): boolean {
  if (call.mode === "send") return call.attached;
  return WAITING.has(call.usage);
}

export function buildGraph(models: FileModel[], resolver: Resolver): CallGraph {
  const graph: CallGraph = { nodes: new Map(), out: new Map(), sends: [], services: new Map(), definitions: new Map(), unresolved: [] };
  // By code units: the same order on every machine (a locale's collation is not), with no collator to load.
  const ordered = [...models].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  for (const m of ordered) {
    const file = path.resolve(m.file);
    for (const s of m.services) {
      let name = s.name;
      let kind = s.kind;
      let shared: Record<string, boolean> | null = null;
      if (!name) {
        const d = resolver.implemented(m.file, s);
        if (!d) continue;
        name = d.name;
        kind = d.kind;
        shared = d.handlers;
      }
      // A name may be defined more than once in a project (only one copy is deployed): each
      // definition is a node set of its own, and a call goes to the one its code leads to. A Go
      // type's methods may sit in several files of its package: those files define one service.
      const goPackage = file.endsWith(".go") ? path.dirname(file) : null;
      let defs = graph.definitions.get(name);
      if (!defs) graph.definitions.set(name, (defs = []));
      let def = goPackage ? defs.find((d) => d.goPackage === goPackage && d.kind === kind) : undefined;
      if (!def) {
        def = { name, kind, file, loc: s.loc, goPackage, handlers: new Map() };
        defs.push(def);
      }
      const suffix = def === defs[0] ? "" : `#${defs.indexOf(def) + 1}`;
      for (const h of s.handlers) {
        if (def.handlers.has(h.name)) continue;
        const hkind = shared ? runtimeKind(kind, h.name, kind === "object" && shared[h.name] ? "shared" : "plain") : h.kind;
        const node: HandlerNode = { id: `${name}.${h.name}${suffix}`, service: name, handler: h.name, kind: hkind, serviceKind: kind, file, loc: h.loc };
        def.handlers.set(h.name, node);
        graph.nodes.set(node.id, node);
      }
    }
  }
  for (const [name, defs] of graph.definitions) graph.services.set(name, { kind: defs[0]!.kind, handlers: defs[0]!.handlers });

  // Handlers of definitions named by another file (a descriptor, a constant) carry their label.
  const nameOfLabel = new Map<string, string>();
  for (const m of ordered) {
    for (const s of m.services) {
      if (s.name || !s.label) continue;
      const d = resolver.implemented(m.file, s);
      if (d) nameOfLabel.set(`${m.file}\u0000${s.label}`, d.name);
    }
  }

  for (const m of ordered) {
    const file = path.resolve(m.file);
    m.calls.forEach((call, callIndex) => {
      const waits = isWait(call);
      if (!call.from || (!waits && call.mode !== "send")) return;
      const fromService = nameOfLabel.get(`${m.file}\u0000${call.from.service}`) ?? call.from.service;
      const from = callerNode(graph, fromService, call.from.handler, file, call.via.length > 0);
      if (!from) return;
      const target = resolver.serviceOf(m.file, call.target);
      if (!target) {
        graph.unresolved.push({ file: m.file, loc: call.loc, reason: "target definition not found" });
        return;
      }
      const tos = targetNodes(graph, target, call.handler, file);
      if (tos.length === 0) {
        graph.unresolved.push({ file: m.file, loc: call.loc, reason: `no handler ${target.name}.${call.handler ?? "?"} in the project` });
        return;
      }
      for (const to of tos) {
        const edge: WaitEdge = {
          from,
          to,
          key: to.serviceKind === "service" ? null : call.key,
          input: call.input ?? null,
          timeout: call.timeout,
          attached: call.attached,
          file,
          loc: call.loc,
          callIndex,
          call,
          ...(tos.length > 1 ? { candidates: tos } : {}),
        };
        if (!waits) {
          graph.sends.push(edge);
          continue;
        }
        const list = graph.out.get(from.id);
        if (list) list.push(edge);
        else graph.out.set(from.id, [edge]);
      }
    });
  }
  return graph;
}

/** Whether code in `file` runs inside the handler `node` declares: its own file, or for Go, its package's folder. */
function sameUnit(node: { file: string }, file: string): boolean {
  return node.file === file || (file.endsWith(".go") && node.file.endsWith(".go") && path.dirname(node.file) === path.dirname(file));
}

/**
 * The handler a call written in `file` runs in: the definition of that name in the file (or its Go
 * package). A Go helper of another package, reached from a handler through its context, runs in
 * that handler when one definition has it.
 */
function callerNode(graph: CallGraph, service: string, handler: string, file: string, helper: boolean): HandlerNode | null {
  const nodes: HandlerNode[] = [];
  for (const def of graph.definitions.get(service) ?? []) {
    const node = def.handlers.get(handler);
    if (node && sameUnit(node, file)) return node;
    if (node) nodes.push(node);
  }
  return helper && file.endsWith(".go") && nodes.length === 1 && nodes[0]!.file.endsWith(".go") ? nodes[0]! : null;
}

/**
 * The handlers a call written in `callerFile` reaches: of the definition its code leads to when
 * one does; else, where its name is defined more than once, of the definition in the caller's
 * own file (or Go package), else of every definition that has the handler (candidates).
 */
export function targetNodes(graph: CallGraph, target: ServiceTarget, handler: string | null, callerFile: string): HandlerNode[] {
  const defs = graph.definitions.get(target.name) ?? [];
  let chosen = defs;
  if (defs.length > 1) {
    const pinned = target.file ? defs.filter((d) => sameUnit(d, path.resolve(target.file!))) : [];
    const own = defs.filter((d) => sameUnit(d, callerFile));
    chosen = pinned.length > 0 ? pinned : own.length > 0 ? own : defs;
  }
  const out: HandlerNode[] = [];
  for (const d of chosen) {
    const node = handler ? d.handlers.get(handler) : undefined;
    if (node) out.push(node);
  }
  return out;
}

/** Strongly connected components (Tarjan, iterative), over any node ids. */
export function stronglyConnected(nodes: Iterable<string>, next: (id: string) => Iterable<string>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { id: string; it: Iterator<string> }[] = [];
    const open = (id: string) => {
      index.set(id, counter);
      low.set(id, counter);
      counter++;
      stack.push(id);
      onStack.add(id);
      work.push({ id, it: next(id)[Symbol.iterator]() });
    };
    open(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const step = top.it.next();
      if (!step.done) {
        const w = step.value;
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(top.id, Math.min(low.get(top.id)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!;
        low.set(parent.id, Math.min(low.get(parent.id)!, low.get(top.id)!));
      }
      if (low.get(top.id) === index.get(top.id)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.id);
        out.push(component);
      }
    }
  }
  return out;
}
