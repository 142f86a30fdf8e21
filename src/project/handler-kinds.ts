import path from "node:path";
import type { FileModel, HandlerKind, TargetRef } from "../model/types.js";
import { own } from "../model/records.js";
import type { ProjectAnalysis } from "./analysis.js";
import { type PathMapping, readPathMapping, resolveModule } from "./module-resolution.js";

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

const mappings = new Map<string, PathMapping | null>();

/**
 * How the runtime registers the handler a call in `file` names, from the whole program; null when
 * the target does not resolve. A name is looked up among the system's services. An import is
 * followed to the file it names (relative or through tsconfig `paths`, not through a barrel):
 * the imported definition is one of that file's, so when every definition there with this handler
 * registers it the same way, so does the imported one.
 */
export function handlerKindInProject(analysis: ProjectAnalysis, file: string, target: TargetRef, handler: string): HandlerKind | null {
  const { services } = analysis.graph;
  if (target.by === "name") return services.get(target.serviceName)?.handlers.get(handler)?.kind ?? null;

  let defining: string | null = null;
  if (target.by === "local") defining = path.resolve(file);
  else if (target.by === "declared") defining = path.resolve(target.file);
  else if (target.by === "import" && target.ref.imported !== "*") {
    const files = new Set<string>();
    for (const node of analysis.graph.nodes.values()) files.add(node.file);
    let mapping = mappings.get(analysis.root);
    if (mapping === undefined) mappings.set(analysis.root, (mapping = readPathMapping(analysis.root)));
    defining = resolveModule(path.resolve(file), target.ref.source, (f) => files.has(f), mapping);
  }
  if (!defining) return null;

  const kinds = new Set<HandlerKind>();
  for (const service of services.values()) {
    const node = service.handlers.get(handler);
    if (node?.file === defining) kinds.add(node.kind);
  }
  return kinds.size === 1 ? [...kinds][0]! : null;
}
