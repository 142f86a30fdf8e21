import path from "node:path";
import type { FileModel, SourceLoc, TargetRef } from "../model/types.js";
import { type DeadlockFinding, findDeadlocks } from "./deadlocks.js";
import { type CallGraph, type HandlerNode, type WaitEdge, buildGraph, targetNodes } from "./graph.js";
import { Resolver } from "./resolve.js";

export interface AnalysisOptions {
  root: string;
  known: (file: string) => boolean;
  /** The current model of a file: its calls may have moved since the analysis (same facts). */
  current?: (file: string) => FileModel | undefined;
  /** A cache of module resolutions the caller keeps while the set of files does not change. */
  resolutions?: Map<string, string | null>;
  /**
   * The models are only the files that can lie on a cycle (and what their names resolve
   * through): give up (null) when a verdict depends on callers outside them.
   */
  partial?: boolean;
}

/** A deadlock finding as seen from one of its call sites. */
export interface HopReport {
  finding: DeadlockFinding;
  hop: WaitEdge;
}

export interface ProjectAnalysis {
  root: string;
  graph: CallGraph;
  findings: DeadlockFinding[];
  /** Absolute file → index of a call in the file's `calls` → the best finding through it. */
  hopsByFile: Map<string, Map<number, HopReport>>;
  /** Absolute file → the waits whose call is written in it. */
  edgesByFile: Map<string, WaitEdge[]>;
  /** Where an edge's call is now (an edit may have moved it without changing any fact). */
  locOf(edge: WaitEdge): SourceLoc;
  /** The graph's node of the handler a call in `file` names, as the graph resolves targets. */
  targetNode(file: string, target: TargetRef, handler: string): HandlerNode | null;
}

export function analyseProject(models: FileModel[], options: AnalysisOptions & { partial: true }): ProjectAnalysis | null;
export function analyseProject(models: FileModel[], options: AnalysisOptions): ProjectAnalysis;
export function analyseProject(models: FileModel[], options: AnalysisOptions): ProjectAnalysis | null {
  const resolver = new Resolver(models, { known: options.known, resolutions: options.resolutions });
  const graph = buildGraph(models, resolver);
  const findings = findDeadlocks(graph, { entriesKnown: !options.partial });
  if (!findings) return null;
  const hopsByFile = new Map<string, Map<number, HopReport>>();
  for (const finding of findings) {
    for (const hop of finding.hops) {
      const file = path.resolve(hop.file);
      let m = hopsByFile.get(file);
      if (!m) hopsByFile.set(file, (m = new Map()));
      const prev = m.get(hop.callIndex);
      if (!prev || better(finding, prev.finding)) m.set(hop.callIndex, { finding, hop });
    }
  }
  const edgesByFile = new Map<string, WaitEdge[]>();
  for (const list of graph.out.values()) {
    for (const e of list) {
      const l = edgesByFile.get(e.file);
      if (l) l.push(e);
      else edgesByFile.set(e.file, [e]);
    }
  }
  const locOf = (edge: WaitEdge): SourceLoc => options.current?.(edge.file)?.calls[edge.callIndex]?.loc ?? edge.loc;
  const targetNode = (file: string, target: TargetRef, handler: string): HandlerNode | null => {
    const service = resolver.serviceOf(file, target);
    const nodes = service ? targetNodes(graph, service, handler, path.resolve(file)) : [];
    // Definitions that disagree on the handler's kind leave it unknown.
    return nodes.length > 0 && nodes.every((n) => n.kind === nodes[0]!.kind) ? nodes[0]! : null;
  };
  return { root: options.root, graph, findings, hopsByFile, edgesByFile, locOf, targetNode };
}

/** One report per call site: certain beats possible, then the shorter chain. */
function better(a: DeadlockFinding, b: DeadlockFinding): boolean {
  if (a.certainty !== b.certainty) return a.certainty === "certain";
  return a.hops.length < b.hops.length;
}
