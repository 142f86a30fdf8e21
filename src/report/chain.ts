import path from "node:path";
import type { ProjectAnalysis } from "../project/analysis.js";
import type { DeadlockFinding } from "../project/deadlocks.js";
import type { HandlerNode, WaitEdge } from "../project/graph.js";
import { toPosix } from "../project/files.js";

export function handlerName(n: { service: string; handler: string }): string {
  return `${n.service}.${n.handler}`;
}

type Where = (hop: WaitEdge) => string;

function whereIn(analysis: Pick<ProjectAnalysis, "root" | "locOf">): Where {
  return (hop) => `${toPosix(path.relative(analysis.root, hop.file))}:${analysis.locOf(hop).line}`;
}

function keyLabel(finding: DeadlockFinding): string {
  const k = finding.closingKey;
  if (k === "same") return "same key";
  if (k === "unknown") return "key unknown";
  return finding.certainty === "certain" ? `same key "${k.literal}"` : `key "${k.literal}"`;
}

/** Longer chains show their ends; every hop is still reported at its own call site. */
const MAX_SHOWN_HOPS = 12;

/** `Counter.add (src/counter.ts:12) → Ledger.record (src/ledger.ts:30) → Counter.get [same key]`. */
function formatChain(hops: WaitEdge[], closing: HandlerNode, label: string, where: Where): string {
  const hop = (h: WaitEdge) => `${handlerName(h.from)} (${where(h)})`;
  const parts =
    hops.length <= MAX_SHOWN_HOPS
      ? hops.map(hop)
      : [...hops.slice(0, 6).map(hop), `… ${hops.length - 11} more hops …`, ...hops.slice(-5).map(hop)];
  parts.push(`${handlerName(closing)} [${label}]`);
  return parts.join(" → ");
}

/**
 * The whole finding as one line, for messages: every hop with file:line (where the call is now),
 * and the key relation.
 */
export function describeFinding(finding: DeadlockFinding, analysis: Pick<ProjectAnalysis, "root" | "locOf">): string {
  const where = whereIn(analysis);
  if (finding.inversion) {
    return finding.inversion.map((chain) => formatChain(chain, chain[chain.length - 1]!.to, "key unknown", where)).join("; while ");
  }
  return formatChain(finding.hops, finding.closing, keyLabel(finding), where);
}

/** Why a possible deadlock may happen, for the `possibleDeadlock` message of every language. */
export function explainPossible(finding: DeadlockFinding, analysis?: Pick<ProjectAnalysis, "root">): string {
  const closing = handlerName(finding.closing);
  const holder = handlerName(finding.holder);
  const key = finding.closingKey;
  const ambiguous = finding.hops.find((h, i) => h.candidates && (i < finding.hops.length - 1 || h.candidates.some((c) => c.kind !== "exclusive")));
  if (ambiguous && finding.certainty === "possible" && !finding.inversion) {
    const at = (n: HandlerNode) => `${toPosix(analysis ? path.relative(analysis.root, n.file) : n.file)}:${n.loc.line}`;
    const others = ambiguous.candidates!.map(at).join(", ");
    return `${ambiguous.to.service} is defined more than once in the project (${others}) and the code does not say which definition ${handlerName(ambiguous.from)} calls; if it is the one at ${at(ambiguous.to)}, ${closing} is exclusive and waits for the lock ${holder} holds${key === "same" ? "" : " when the keys are equal"}, and neither invocation ever finishes.`;
  }
  if (finding.inversion) {
    return "each object's exclusive handler waits for the other's lock; when two such invocations run at once on the same keys, both wait forever.";
  }
  if (typeof key === "object") {
    return `if ${holder} runs for key "${key.literal}" (its callers are not all in the code), ${closing} is exclusive and waits for the lock ${holder} holds, and neither invocation ever finishes.`;
  }
  return `if the keys are equal, ${closing} is exclusive and waits for the lock ${holder} holds, and neither invocation ever finishes.`;
}

/** One `no-deadlock` report: which call of the linted file, and its message, in any language. */
export interface DeadlockReport {
  callIndex: number;
  messageId: "certainDeadlock" | "possibleDeadlock";
  /** Where the call is now, for files whose call node is not at hand. */
  loc: { start: { line: number; column: number }; end: { line: number; column: number } };
  data: Record<string, string>;
}

/** The `no-deadlock` reports for the calls written in `file`, one per call on a deadlocking chain. */
export function deadlockReports(analysis: ProjectAnalysis, file: string, reportPossible: boolean): DeadlockReport[] {
  const out: DeadlockReport[] = [];
  for (const [callIndex, { finding, hop }] of analysis.hopsByFile.get(path.resolve(file)) ?? []) {
    if (finding.certainty === "possible" && !reportPossible) continue;
    const at = analysis.locOf(hop);
    out.push({
      callIndex,
      messageId: finding.certainty === "certain" ? "certainDeadlock" : "possibleDeadlock",
      loc: { start: { line: at.line, column: at.column }, end: { line: at.endLine, column: at.endColumn } },
      data: {
        chain: describeFinding(finding, analysis),
        closing: handlerName(finding.closing),
        holder: handlerName(finding.holder),
        explanation: explainPossible(finding, analysis),
      },
    });
  }
  return out;
}
