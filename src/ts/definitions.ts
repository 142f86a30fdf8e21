import type { TSESTree } from "@typescript-eslint/typescript-estree";
import type { DescriptorDef, HandlerDef, HandlerKind, ServiceDef, ServiceKind } from "../model/types.js";
import {
  type FunctionNode,
  type Node,
  isFunction,
  objectProperty,
  propertyName,
  staticString,
  toLoc,
  unwrap,
  valueParent,
} from "./ast.js";
import { type FileContext, resolveLocal, sdkPath } from "./file-context.js";
import { nameRecord, own } from "../model/records.js";

/** Which wrapper a handler is written with; decides its runtime kind (restate-semantics §1.3). */
export type HandlerWrapper = "plain" | "service" | "exclusive" | "shared" | "workflow" | "workflow-shared";

const WRAPPERS: Record<string, HandlerWrapper> = {
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

const FACTORIES: Record<string, ServiceKind> = { service: "service", object: "object", workflow: "workflow" };
const IFACE_FACTORIES: Record<string, ServiceKind> = {
  "iface.service": "service",
  "iface.object": "object",
  "iface.workflow": "workflow",
};

/** A handler together with its implementation, for the call analysis. */
export interface HandlerImpl {
  handler: HandlerDef<Node>;
  fn: FunctionNode | null;
  wrapper: HandlerWrapper;
  /** The handler map property, e.g. for fixes that wrap the value. */
  property: TSESTree.Property | null;
  /** The whole handler value (the function, or the wrapper call around it). */
  value: Node | null;
}

export interface Definitions {
  services: ServiceDef<Node>[];
  descriptors: DescriptorDef[];
  impls: HandlerImpl[];
}

export function collectDefinitions(fc: FileContext): Definitions {
  const out: Definitions = { services: [], descriptors: [], impls: [] };
  const descriptorsByNode = new Map<Node, DescriptorDef>();

  for (const call of fc.calls) {
    const path = sdkPath(fc, call.callee);
    const ifaceKind = path ? own(IFACE_FACTORIES, path) : undefined;
    if (ifaceKind) {
      const d = readDescriptor(call, ifaceKind, fc);
      if (d) {
        out.descriptors.push(d);
        descriptorsByNode.set(call, d);
      }
    }
  }
  for (const call of fc.calls) {
    const path = sdkPath(fc, call.callee);
    if (!path) continue;
    const kind = own(FACTORIES, path);
    if (kind) readDefinition(call, kind, fc, out);
    else if (path === "implement") readImplementation(call, fc, out, descriptorsByNode);
  }
  return out;
}

function bindingNames(call: Node): string[] {
  const { parent } = valueParent(call);
  if (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier") return [parent.id.name];
  if (parent?.type === "ExportDefaultDeclaration") return ["default"];
  return [];
}

function readDescriptor(call: TSESTree.CallExpression, kind: ServiceKind, fc: FileContext): DescriptorDef | null {
  const name = nameValue(fc, call.arguments[0] as Node | undefined);
  const map = resolveLocal(fc, call.arguments[1] as Node | undefined);
  if (!name) return null;
  const handlers = nameRecord<boolean>();
  if (map?.type === "ObjectExpression") {
    for (const p of map.properties) {
      if (p.type !== "Property") continue;
      const h = propertyName(p.key, p.computed);
      if (!h) continue;
      const v = unwrap(p.value);
      const vp = v.type === "CallExpression" ? sdkPath(fc, v.callee) : null;
      handlers[h] = !!vp && vp.startsWith("iface.shared");
    }
  }
  return { name, kind, handlers, localNames: bindingNames(call) };
}

function nameValue(fc: FileContext, node: Node | undefined): string | null {
  if (!node) return null;
  const direct = staticString(node);
  if (direct !== null) return direct;
  return staticString(resolveLocal(fc, node));
}

function readDefinition(call: TSESTree.CallExpression, kind: ServiceKind, fc: FileContext, out: Definitions): void {
  const spec = resolveLocal(fc, call.arguments[0] as Node | undefined);
  if (spec?.type !== "ObjectExpression") return;
  const name = nameValue(fc, objectProperty(spec, "name")?.value as Node | undefined);
  if (!name) return;
  const service: ServiceDef<Node> = {
    name,
    kind,
    handlers: [],
    incomplete: false,
    localNames: bindingNames(call),
    loc: toLoc(call),
    node: call,
  };
  const handlersProp = objectProperty(spec, "handlers");
  const map = resolveLocal(fc, handlersProp?.value as Node | undefined);
  if (map?.type !== "ObjectExpression") service.incomplete = true;
  else {
    forEachHandler(fc, map, service, (hname, prop, value) => {
      const { wrapper, fn } = readHandlerValue(fc, value);
      const handler: HandlerDef<Node> = {
        service: name,
        name: hname,
        kind: runtimeKind(kind, hname, wrapper),
        kindKnown: true,
        loc: toLoc(prop.key),
        node: prop,
      };
      service.handlers.push(handler);
      out.impls.push({ handler, fn, wrapper, property: prop, value });
    });
  }
  out.services.push(service);
}

function readImplementation(
  call: TSESTree.CallExpression,
  fc: FileContext,
  out: Definitions,
  descriptorsByNode: Map<Node, DescriptorDef>,
): void {
  const apiArg = call.arguments[0] as Node | undefined;
  const spec = resolveLocal(fc, call.arguments[1] as Node | undefined);
  if (!apiArg || spec?.type !== "ObjectExpression") return;
  const apiNode = unwrap(apiArg);
  let descriptor: DescriptorDef | undefined;
  let implementsImport: ServiceDef["implementsImport"];
  if (apiNode.type === "Identifier") {
    const local = resolveLocal(fc, apiNode);
    descriptor = local ? descriptorsByNode.get(local) : undefined;
    if (!descriptor) implementsImport = own(fc.imports, apiNode.name);
  } else descriptor = descriptorsByNode.get(apiNode);
  if (!descriptor && !implementsImport) return;

  const kind = descriptor?.kind ?? "service";
  const service: ServiceDef<Node> = {
    name: descriptor?.name ?? "",
    kind,
    handlers: [],
    incomplete: false,
    localNames: bindingNames(call),
    implementsImport,
    loc: toLoc(call),
    node: call,
  };
  const map = resolveLocal(fc, objectProperty(spec, "handlers")?.value as Node | undefined);
  if (map?.type !== "ObjectExpression") service.incomplete = true;
  else {
    forEachHandler(fc, map, service, (hname, prop, value) => {
      const { fn } = readHandlerValue(fc, value);
      const shared = own(descriptor?.handlers, hname) ?? false;
      const wrapper: HandlerWrapper = shared ? "shared" : "exclusive";
      const handler: HandlerDef<Node> = {
        service: service.name,
        name: hname,
        kind: descriptor ? runtimeKind(kind, hname, kind === "object" ? wrapper : "plain") : "service",
        kindKnown: !!descriptor,
        loc: toLoc(prop.key),
        node: prop,
      };
      service.handlers.push(handler);
      out.impls.push({ handler, fn, wrapper, property: prop, value });
    });
  }
  out.services.push(service);
}

function forEachHandler(
  fc: FileContext,
  map: TSESTree.ObjectExpression,
  service: ServiceDef<Node>,
  visit: (name: string, prop: TSESTree.Property, value: Node) => void,
  depth = 0,
): void {
  for (const p of map.properties) {
    if (p.type === "SpreadElement") {
      const spread = resolveLocal(fc, p.argument);
      if (spread?.type === "ObjectExpression" && depth < 5) forEachHandler(fc, spread, service, visit, depth + 1);
      else service.incomplete = true;
      continue;
    }
    // `[ADD]: ...` with `const ADD = "add"` names the handler as surely as `add: ...` does.
    const name = propertyName(p.key, p.computed) ?? (p.computed ? nameValue(fc, p.key) : null);
    if (name === null || p.kind !== "init") {
      // Computed names and accessors register handlers we cannot name statically.
      service.incomplete = true;
      continue;
    }
    visit(name, p, p.value as Node);
  }
}

function readHandlerValue(fc: FileContext, value: Node): { wrapper: HandlerWrapper; fn: FunctionNode | null } {
  const v = unwrap(value);
  if (isFunction(v)) return { wrapper: "plain", fn: v };
  if (v.type === "CallExpression") {
    const path = sdkPath(fc, v.callee);
    const wrapper = path ? own(WRAPPERS, path) : undefined;
    if (wrapper) {
      for (let i = v.arguments.length - 1; i >= 0; i--) {
        const arg = v.arguments[i] as Node;
        const fn = functionOf(fc, arg);
        if (fn) return { wrapper, fn };
      }
      return { wrapper, fn: null };
    }
    return { wrapper: "plain", fn: null };
  }
  if (v.type === "Identifier") {
    const bound = resolveLocal(fc, v);
    if (bound && bound !== v) return readHandlerValue(fc, bound);
  }
  return { wrapper: "plain", fn: null };
}

function functionOf(fc: FileContext, node: Node): FunctionNode | null {
  const n = unwrap(node);
  if (isFunction(n)) return n;
  const bound = resolveLocal(fc, n);
  return isFunction(bound) ? bound : null;
}

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
