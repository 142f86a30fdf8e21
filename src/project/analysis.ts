import path from "node:path";
import type { FileModel } from "../model/types.js";
import { type DeadlockFinding, findDeadlocks } from "./deadlocks.js";
import { type CallGraph, type WaitEdge, buildGraph } from "./graph.js";
import type { PathMapping } from "./module-resolution.js";
import { Resolver } from "./resolve.js";

export interface AnalysisOptions {
  root: string;
  mapping: PathMapping | null;
  known: (file: string) => boolean;
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
  /** Absolute file → "line:column" of a call site → the best finding through it. */
  hopsByFile: Map<string, Map<string, HopReport>>;
}

export function locKey(line: number, column: number): string {
  return `${line}:${column}`;
}

export function analyseProject(models: FileModel[], options: AnalysisOptions): ProjectAnalysis {
  const resolver = new Resolver(models, { mapping: options.mapping, known: options.known });
  const graph = buildGraph(models, resolver);
  const findings = findDeadlocks(graph);
  const hopsByFile = new Map<string, Map<string, HopReport>>();
  for (const finding of findings) {
    for (const hop of finding.hops) {
      const file = path.resolve(hop.file);
      let m = hopsByFile.get(file);
      if (!m) hopsByFile.set(file, (m = new Map()));
      const key = locKey(hop.loc.line, hop.loc.column);
      const prev = m.get(key);
      if (!prev || better(finding, prev.finding)) m.set(key, { finding, hop });
    }
  }
  return { root: options.root, graph, findings, hopsByFile };
}

/** One report per call site: certain beats possible, then the shorter chain. */
function better(a: DeadlockFinding, b: DeadlockFinding): boolean {
  if (a.certainty !== b.certainty) return a.certainty === "certain";
  return a.hops.length < b.hops.length;
}
