import type { HandlerKind, ServiceKind } from "../model/types.js";

/**
 * The SDK's names for definitions and handler wrappers, as export paths (`restate.object` is
 * "object"), shared by the parser-based frontend and the text sketch so both read them alike.
 */

/** Which wrapper a handler is written with; decides its runtime kind (restate-semantics §1.3). */
export type HandlerWrapper = "plain" | "service" | "exclusive" | "shared" | "workflow" | "workflow-shared";

export const WRAPPERS: Record<string, HandlerWrapper> = {
  "handlers.handler": "service",
  createServiceHandler: "service",
  "handlers.object.exclusive": "exclusive",
  createObjectHandler: "exclusive",
  "handlers.object.shared": "shared",
  createObjectSharedHandler: "shared",
  "handlers.workflow.workflow": "workflow",
  createWorkflowHandler: "workflow",
  "handlers.workflow.shared": "workflow-shared",
  createWorkflowSharedHandler: "workflow-shared",
};

export const FACTORIES: Record<string, ServiceKind> = { service: "service", object: "object", workflow: "workflow" };

/** The kind the Restate runtime registers: the wrapper decides, never the `ctx` annotation. */
export function runtimeKind(service: ServiceKind, handler: string, wrapper: HandlerWrapper): HandlerKind {
  switch (service) {
    case "service":
      return "service";
    case "workflow":
      return handler === "run" ? "workflow-run" : "workflow-shared";
    case "object":
      return wrapper === "plain" || wrapper === "exclusive" ? "exclusive" : "shared";
  }
}
