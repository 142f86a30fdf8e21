import type { ProjectAnalysis } from "./analysis.js";
import type { HandlerNode, WaitEdge } from "./graph.js";
import { handlerName } from "../report/chain.js";

function holdsLock(n: HandlerNode): boolean {
  return n.serviceKind === "object" && n.kind === "exclusive";
}

/** A callee that keeps the caller's lock for long: another object's exclusive handler, or a workflow's run. */
function longLocked(from: HandlerNode, to: HandlerNode): boolean {
  if (to.kind === "workflow-run") return true;
  return to.serviceKind === "object" && to.kind === "exclusive" && to.service !== from.service;
}

/** `"Service"`, `"Service/handler"` or `"Service/*"`. */
function targetPattern(pattern: string): (n: HandlerNode) => boolean {
  const [service, handler] = pattern.split("/");
  return (n) => n.service === service && (handler === undefined || handler === "*" || handler === n.handler);
}

/**
 * The request-response calls written in `file` by which an exclusive handler waits on another
 * object's exclusive handler or a workflow's run, one per call, minus the allowed targets.
 */
export function longLockedRequests(analysis: ProjectAnalysis, file: string, allow: readonly string[]): WaitEdge[] {
  const allowed = allow.map(targetPattern);
  const seen = new Set<number>();
  const out: WaitEdge[] = [];
  for (const e of analysis.edgesByFile.get(file) ?? []) {
    if (e.attached || !holdsLock(e.from) || !longLocked(e.from, e.to)) continue;
    if (allowed.some((a) => a(e.to)) || seen.has(e.callIndex)) continue;
    seen.add(e.callIndex);
    out.push(e);
  }
  return out;
}

/** The data of the `requestFromExclusive` message, in every language. */
export function longLockedMessageData(e: WaitEdge): Record<string, string> {
  return {
    caller: handlerName(e.from),
    callerObject: e.from.service,
    callee: handlerName(e.to),
    calleeKind:
      e.to.serviceKind === "workflow"
        ? "a workflow's run, which may last long"
        : "an exclusive handler of another virtual object, which itself queues behind every call to its key",
  };
}
