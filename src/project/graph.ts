import path from "node:path";
import type { CallSite, FileModel, HandlerKind, KeyExpr, ServiceKind, SourceLoc } from "../model/types.js";
import { runtimeKind } from "../ts/definitions.js";
import type { Resolver } from "./resolve.js";

export interface HandlerNode {
  id: string;
  service: string;
  handler: string;
  kind: HandlerKind;
  serviceKind: ServiceKind;
  file: string;
  loc: SourceLoc;
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
  /** Service name → its handlers by name. */
  services: Map<string, { kind: ServiceKind; handlers: Map<string, HandlerNode> }>;
  unresolved: Unresolved[];
}

const WAITING = new Set(["awaited", "returned", "combined", "stored-awaited"]);

/** Whether the caller waits for this call to finish (a send waits only when attached to). */
export function isWait(call: CallSite): boolean {
  if (call.mode === "send") return call.attached;
  return WAITING.has(call.usage);
}

export function buildGraph(models: FileModel[], resolver: Resolver): CallGraph {
  const graph: CallGraph = { nodes: new Map(), out: new Map(), sends: [], services: new Map(), unresolved: [] };
  const ordered = [...models].sort((a, b) => a.file.localeCompare(b.file));
  const goPackageOf = new Map<string, string>();

  for (const m of ordered) {
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
      // Service names are global in a Restate cluster: the first definition wins. A Go type's
      // methods may sit in several files of its package: those files define one service together.
      const goPackage = m.file.endsWith(".go") ? path.dirname(path.resolve(m.file)) : null;
      const existing = graph.services.get(name);
      if (existing && !(goPackage && goPackageOf.get(name) === goPackage && existing.kind === kind)) continue;
      const handlers = existing?.handlers ?? new Map<string, HandlerNode>();
      for (const h of s.handlers) {
        if (handlers.has(h.name)) continue;
        const hkind = shared ? runtimeKind(kind, h.name, kind === "object" && shared[h.name] ? "shared" : "plain") : h.kind;
        const node: HandlerNode = {
          id: `${name}.${h.name}`,
          service: name,
          handler: h.name,
          kind: hkind,
          serviceKind: kind,
          file: path.resolve(m.file),
          loc: h.loc,
        };
        handlers.set(h.name, node);
        graph.nodes.set(node.id, node);
      }
      if (!existing) {
        graph.services.set(name, { kind, handlers });
        if (goPackage) goPackageOf.set(name, goPackage);
      }
    }
  }

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
      const from = graph.nodes.get(`${fromService}.${call.from.handler}`);
      // A Go handler's helpers may sit in other files of its package (a call there runs in the handler).
      if (!from || (from.file !== file && !(file.endsWith(".go") && from.file.endsWith(".go") && path.dirname(from.file) === path.dirname(file)))) return;
      const target = resolver.serviceOf(m.file, call.target);
      if (!target) {
        graph.unresolved.push({ file: m.file, loc: call.loc, reason: "target definition not found" });
        return;
      }
      const service = graph.services.get(target.name);
      const to = call.handler ? service?.handlers.get(call.handler) : undefined;
      if (!to) {
        graph.unresolved.push({ file: m.file, loc: call.loc, reason: `no handler ${target.name}.${call.handler ?? "?"} in the project` });
        return;
      }
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
      };
      if (!waits) {
        graph.sends.push(edge);
        return;
      }
      const list = graph.out.get(from.id);
      if (list) list.push(edge);
      else graph.out.set(from.id, [edge]);
    });
  }
  return graph;
}

/** For `implement` definitions without a local name: the location key of the service holding `handler`. */
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
