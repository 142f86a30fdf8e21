/**
 * Ties a proven deadlock to the code of the local checkout: the calls that can have made each
 * wait, from the call graph `no-deadlock` builds, and whether `no-deadlock` reports the cycle.
 */
import path from "node:path";
import type { ProjectAnalysis } from "../project/analysis.js";
import { toPosix } from "../project/files.js";
import type { HandlerNode, WaitEdge } from "../project/graph.js";
import type { LiveDeadlock, LiveInvocation, LiveMember } from "./prove.js";

/** What `no-deadlock` says of a cycle: reported certain, reported possible, or not at all. */
export type StaticVerdict = "certain" | "possible" | "missed";

export interface CodeView {
  /** `file:line` of every call in the member's handler that can have made its wait on `target`. */
  sourcesOf(member: LiveMember, target: LiveInvocation | undefined): string[];
  verdict(deadlock: LiveDeadlock, byId: ReadonlyMap<string, LiveInvocation>): StaticVerdict;
}

const handlerKey = (service: string, handler: string) => `${service}.${handler}`;
const nodeKey = (n: HandlerNode) => handlerKey(n.service, n.handler);

export function codeView(analysis: ProjectAnalysis, cwd: string): CodeView {
  // Waits by calling handler: every edge, whichever definition of a name it was resolved to.
  const waitsFrom = new Map<string, WaitEdge[]>();
  for (const edges of analysis.graph.out.values()) {
    for (const e of edges) {
      const k = nodeKey(e.from);
      let list = waitsFrom.get(k);
      if (!list) waitsFrom.set(k, (list = []));
      list.push(e);
    }
  }
  const reaches = (e: WaitEdge, target: string) => nodeKey(e.to) === target || (e.candidates ?? []).some((c) => nodeKey(c) === target);
  const where = (e: WaitEdge) => `${toPosix(path.relative(cwd, e.file)) || path.basename(e.file)}:${analysis.locOf(e).line}`;

  // The set of handler-to-handler waits of each cycle no-deadlock reports, and its certainty.
  const reported = new Map<string, StaticVerdict>();
  for (const f of analysis.findings) {
    const chains = f.inversion ?? [f.hops];
    const k = pairKey(chains.flat().map((e) => `${nodeKey(e.from)}>${nodeKey(e.to)}`));
    if (reported.get(k) !== "certain") reported.set(k, f.certainty);
  }

  return {
    sourcesOf(member, target) {
      if (member.waitsFor.kind === "lock" || !target) return [];
      const want = handlerKey(target.service, target.handler);
      const edges = (waitsFrom.get(handlerKey(member.service, member.handler)) ?? []).filter((e) => reaches(e, want));
      // An attach is written as a send whose handle is attached; a call as a request.
      const preferred = edges.filter((e) => e.attached === (member.waitsFor.kind === "attach"));
      const chosen = preferred.length > 0 ? preferred : edges;
      return [...new Set(chosen.map(where))].sort(compareSource);
    },
    verdict(deadlock, byId) {
      const pairs: string[] = [];
      for (const m of deadlock.members) {
        if (m.waitsFor.kind === "lock") continue;
        const t = byId.get(m.waitsFor.invocation);
        if (!t) return "missed";
        pairs.push(`${handlerKey(m.service, m.handler)}>${handlerKey(t.service, t.handler)}`);
      }
      return reported.get(pairKey(pairs)) ?? "missed";
    },
  };
}

function pairKey(pairs: string[]): string {
  return [...new Set(pairs)].sort().join("|");
}

/** `src/a.ts:9` before `src/a.ts:10`. */
function compareSource(a: string, b: string): number {
  const [fa, la] = splitSource(a);
  const [fb, lb] = splitSource(b);
  return fa.localeCompare(fb) || la - lb;
}

function splitSource(s: string): [string, number] {
  const i = s.lastIndexOf(":");
  return [s.slice(0, i), Number(s.slice(i + 1))];
}
