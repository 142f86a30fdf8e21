import type { HandlerDef, HandlerRef } from "../model/types.js";
import type { Node } from "./ast.js";
import type { TsFileModel } from "./extract.js";

/** The definition of a handler named by a call site's `from`, in the same file. */
export function handlerOf(model: TsFileModel, ref: HandlerRef | null): HandlerDef<Node> | undefined {
  if (!ref) return undefined;
  for (const s of model.services) {
    // A definition without a name in this file is known by its label.
    if ((s.name || s.label) !== ref.service) continue;
    const h = s.handlers.find((x) => x.name === ref.handler);
    if (h) return h;
  }
  return undefined;
}

/** `Counter.add`, or `Counter.add → helper` when the code sits in a helper the handler calls. */
export function describeFrom(ref: HandlerRef, via: readonly string[]): string {
  return [`${ref.service}.${ref.handler}`, ...via].join(" → ");
}
