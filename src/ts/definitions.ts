import type { TSESTree } from "@typescript-eslint/typescript-estree";
import type { ConstValue, DescriptorDef, HandlerDef, NameRef, ServiceDef, ServiceKind, TargetRef } from "../model/types.js";
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
import { type FileContext, lookupBinding, resolveLocal, sdkPath } from "./file-context.js";
import { nameRecord, own } from "../model/records.js";
import { FACTORIES, type HandlerWrapper, WRAPPERS, runtimeKind } from "./sdk-definitions.js";

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
  labelNameless(out.services);
  return out;
}

/**
 * A definition whose name the file does not tell (it comes from another file, or no one can know
 * it) is known by a label: its variable, in parentheses so that no service name can equal it.
 * Its handlers, and the calls and sleeps in them, carry the label as their service; messages show
 * it, and the whole-program graph maps it to the name when another file tells it.
 */
function labelNameless(services: ServiceDef<Node>[]): void {
  for (const s of services) {
    if (s.name) continue;
    s.label = `(${s.localNames[0] ?? `unnamed ${s.kind} at line ${s.loc.line}`})`;
    for (const h of s.handlers) h.service = s.label;
  }
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
  const arg = call.arguments[0] as Node | undefined;
  const specValue = arg?.type === "SpreadElement" ? null : valueOf(fc, arg, 0);
  const spec = specValue && "node" in specValue ? specValue.node : null;
  if (spec?.type !== "ObjectExpression") return;
  // The kind is the factory's and the handlers are the literal's; only the name may come from elsewhere.
  const named = definitionName(fc, spec);
  const name = named && "name" in named ? named.name : "";
  const service: ServiceDef<Node> = {
    name,
    kind,
    handlers: [],
    incomplete: false,
    localNames: bindingNames(call),
    loc: toLoc(call),
    node: call,
  };
  if (named && "nameFrom" in named) service.nameFrom = named.nameFrom;
  const handlersValue = keyValue(fc, spec, "handlers");
  const map = handlersValue && "node" in handlersValue ? handlersValue.node : null;
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

/** A value as far as this file tells it: a node of the file (never an identifier), another file's constant, or null when unknown. */
type Value = { node: Node } | { ref: NameRef } | null;

/** How deep consts, spreads and member reads are followed: odd code gives a short walk, never a long one. */
const MAX_DEPTH = 6;

/** What `node` denotes: same-file consts and member reads followed, imports kept as references. */
function valueOf(fc: FileContext, node: Node | null | undefined, depth: number): Value {
  if (!node || depth > MAX_DEPTH) return null;
  const n = unwrap(node);
  if (n.type === "Identifier") {
    const binding = lookupBinding(fc, n);
    if (binding) return binding.init ? valueOf(fc, binding.init, depth + 1) : null;
    const imported = own(fc.imports, n.name);
    return imported ? { ref: { ref: imported, path: [] } } : null;
  }
  if (n.type === "MemberExpression") {
    const key = memberKey(fc, n);
    const base = key === null ? null : valueOf(fc, n.object, depth + 1);
    if (!base || key === null) return null;
    if ("ref" in base) {
      const { ref, path } = base.ref;
      // `ns.X` of `import * as ns` is the export X itself.
      if (ref.imported === "*" && path.length === 0) return { ref: { ref: { source: ref.source, imported: key }, path: [] } };
      return { ref: { ref, path: [...path, key] } };
    }
    return base.node.type === "ObjectExpression" ? keyValue(fc, base.node, key, depth + 1) : null;
  }
  return { node: n };
}

function memberKey(fc: FileContext, n: TSESTree.MemberExpression): string | null {
  return n.computed ? nameValue(fc, n.property as Node) : propertyName(n.property, false);
}

/**
 * The value an object literal gives `key`, the last writer winning: a spread of a same-file object
 * is read, a spread of another file's constant gives that constant's `key`, and anything that may
 * write the key unseen (a spread of a call, a computed key, an accessor) makes it unknown.
 */
function keyValue(fc: FileContext, obj: TSESTree.ObjectExpression, key: string, depth = 0): Value {
  const found = lastWrite(fc, obj, key, depth);
  return found === "absent" ? null : found;
}

function lastWrite(fc: FileContext, obj: TSESTree.ObjectExpression, key: string, depth: number): Value | "absent" {
  if (depth > MAX_DEPTH) return null;
  for (let i = obj.properties.length - 1; i >= 0; i--) {
    const p = obj.properties[i]!;
    if (p.type === "SpreadElement") {
      if (spreadsNothing(fc, p.argument)) continue;
      const v = valueOf(fc, p.argument, depth + 1);
      if (!v) return null;
      if ("ref" in v) return { ref: { ref: v.ref.ref, path: [...v.ref.path, key] } };
      if (v.node.type !== "ObjectExpression") return null;
      const inner = lastWrite(fc, v.node, key, depth + 1);
      if (inner !== "absent") return inner;
      continue;
    }
    const name = propertyName(p.key, p.computed) ?? (p.computed ? nameValue(fc, p.key) : null);
    if (name === null) return null;
    if (name !== key) continue;
    return p.kind === "init" ? valueOf(fc, p.value as Node, depth + 1) : null;
  }
  return "absent";
}

/** `...undefined`, `...null` and spreads of primitives add no named keys. */
function spreadsNothing(fc: FileContext, node: Node): boolean {
  const n = unwrap(node);
  if (n.type === "Literal") return true;
  return n.type === "Identifier" && n.name === "undefined" && !lookupBinding(fc, n);
}

/** The definition's name, or where another file holds it; null when no one can know it. */
function definitionName(fc: FileContext, spec: TSESTree.ObjectExpression): { name: string } | { nameFrom: NameRef } | null {
  const v = keyValue(fc, spec, "name");
  if (!v) return null;
  if ("ref" in v) return { nameFrom: v.ref };
  const name = staticString(v.node);
  return name ? { name } : null;
}

/**
 * What a call's target expression names when it is a constant rather than a definition:
 * `{ name: "Counter" }`, `{ name: NAMES.counter }`, `OBJECTS.counter`, with the constants in this
 * file or imported. Null when the expression is none of these (a definition, a parameter).
 */
export function constantTarget(fc: FileContext, node: Node): TargetRef | null {
  const v = valueOf(fc, node, 0);
  if (!v) return null;
  if ("ref" in v) return { by: "nameRef", ref: { ref: v.ref.ref, path: [...v.ref.path, "name"] } };
  if (v.node.type !== "ObjectExpression") return null;
  const name = keyValue(fc, v.node, "name");
  if (!name) return null;
  if ("ref" in name) return { by: "nameRef", ref: name.ref };
  const s = staticString(name.node);
  return s !== null ? { by: "name", serviceName: s } : null;
}

/** A service name written as a constant (`service: NAMES.counter` of a generic call). */
export function constantName(fc: FileContext, node: Node): TargetRef | null {
  const v = valueOf(fc, node, 0);
  if (!v) return null;
  if ("ref" in v) return { by: "nameRef", ref: v.ref };
  const s = staticString(v.node);
  return s !== null ? { by: "name", serviceName: s } : null;
}

/** Bounds what a file's model keeps of its constants: a name is short and never deep. */
const MAX_CONST_DEPTH = 3;
const MAX_CONST_KEYS = 64;
const MAX_CONST_LENGTH = 256;

/**
 * The file's exported constants that another file's definition may take its name from, or a
 * call its target: strings, and objects of them (`export const COUNTER_OBJECT = { name: "Counter" }`).
 */
export function collectConstants(fc: FileContext): Record<string, ConstValue> {
  const out = nameRecord<ConstValue>();
  // A `let` may be given another value later; a `const` or an `export default` expression may not.
  const fixed = new Map<string, Node>();
  const defaultExpr = fc.topLevel.get("default");
  if (defaultExpr) fixed.set("default", defaultExpr);
  for (const stmt of fc.program.body) {
    const decl = stmt.type === "ExportNamedDeclaration" ? stmt.declaration : stmt;
    if (decl?.type !== "VariableDeclaration" || decl.kind !== "const") continue;
    for (const d of decl.declarations) if (d.id.type === "Identifier" && d.init) fixed.set(d.id.name, d.init);
  }
  for (const local of Object.values(fc.exports)) {
    const init = fixed.get(local);
    const v = init ? constValue(fc, init, 0) : null;
    if (v) out[local] = v;
  }
  return out;
}

function constValue(fc: FileContext, node: Node, depth: number): ConstValue | null {
  const v = valueOf(fc, node, depth);
  if (!v) return null;
  if ("ref" in v) return { kind: "ref", ref: v.ref };
  const s = staticString(v.node);
  if (s !== null) return s.length <= MAX_CONST_LENGTH ? { kind: "string", value: s } : null;
  if (v.node.type !== "ObjectExpression" || depth >= MAX_CONST_DEPTH) return null;
  const props = nameRecord<ConstValue>();
  let count = 0;
  for (const [key, value] of readProps(fc, v.node, depth + 1).values) {
    if (value && count++ < MAX_CONST_KEYS) props[key] = value;
  }
  return count > 0 ? { kind: "object", props } : null;
}

/**
 * The keys an object literal writes, in writing order (null: written, value unknown). A write we
 * cannot see (a spread of a call, a computed key) may be any key: it forgets those before it.
 */
function readProps(fc: FileContext, obj: TSESTree.ObjectExpression, depth: number): { values: Map<string, ConstValue | null>; open: boolean } {
  const values = new Map<string, ConstValue | null>();
  let open = false;
  const forget = () => {
    values.clear();
    open = true;
  };
  for (const p of obj.properties) {
    if (p.type === "SpreadElement") {
      if (spreadsNothing(fc, p.argument)) continue;
      const v = valueOf(fc, p.argument, depth);
      if (!v || !("node" in v) || v.node.type !== "ObjectExpression" || depth >= MAX_CONST_DEPTH) {
        forget();
        continue;
      }
      const inner = readProps(fc, v.node, depth + 1);
      if (inner.open) forget();
      for (const [key, value] of inner.values) values.set(key, value);
      continue;
    }
    const key = propertyName(p.key, p.computed) ?? (p.computed ? nameValue(fc, p.key) : null);
    if (key === null) forget();
    else values.set(key, p.kind === "init" ? constValue(fc, p.value as Node, depth) : null);
  }
  return { values, open };
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
