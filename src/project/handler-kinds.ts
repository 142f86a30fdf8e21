import type { FileModel, HandlerKind, TargetRef } from "../model/types.js";
import { own } from "../model/records.js";
import type { ProjectAnalysis } from "./analysis.js";

/**
 * How the runtime registers the handler a call names, from the definitions in the calling file
 * alone; null when they do not say (the target is defined elsewhere, or its kind depends on a
 * descriptor in another file).
 */
export function handlerKindInFile(model: FileModel<unknown>, target: TargetRef, handler: string): HandlerKind | null {
  let services = model.services;
  if (target.by === "local") services = services.filter((s) => s.localNames.includes(target.localName));
  else if (target.by === "name") services = services.filter((s) => s.name === target.serviceName);
  else return null;
  if (services.length === 1) {
    const h = services[0]!.handlers.find((x) => x.name === handler);
    return h?.kindKnown ? h.kind : null;
  }
  if (services.length > 1) return null;
  const descriptor = model.descriptors.find((d) =>
    target.by === "local" ? d.localNames.includes(target.localName) : d.name === target.serviceName,
  );
  const shared = descriptor ? own(descriptor.handlers, handler) : undefined;
  if (!descriptor || shared === undefined) return null;
  if (descriptor.kind === "service") return "service";
  if (descriptor.kind === "workflow") return handler === "run" ? "workflow-run" : "workflow-shared";
  return shared ? "shared" : "exclusive";
}

/**
 * Handlers an ingress request needs no idempotency key for: a shared handler cannot change its
 * object's state (reads, status queries), and a workflow's ID already identifies its run.
 */
export const NO_KEY_NEEDED: ReadonlySet<HandlerKind> = new Set(["shared", "workflow-shared", "workflow-run"]);

/**
 * How the runtime registers the handler a call in `file` names, from the whole program (the
 * target resolved as the call graph resolves it); null when the target does not resolve.
 */
export function handlerKindInProject(analysis: ProjectAnalysis, file: string, target: TargetRef, handler: string): HandlerKind | null {
  return analysis.targetNode(file, target, handler)?.kind ?? null;
}
