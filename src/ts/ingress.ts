import type { TSESTree } from "@typescript-eslint/typescript-estree";
import type { CallMode, ServiceKind, TargetRef } from "../model/types.js";
import {
  type FunctionNode,
  type Node,
  isFunction,
  memberName,
  objectProperty,
  parentOf,
  propertyName,
  staticString,
  unwrap,
  walk,
} from "./ast.js";
import { constantTarget } from "./definitions.js";
import type { TsFileModel } from "./extract.js";
import { type FileContext, entityPath } from "./file-context.js";
import { type RestateModule, sdkPathOf } from "./imports.js";
import { latestOnly } from "../model/latest.js";
import { own } from "../model/records.js";

// ---------------------------------------------------------------------------------------------
// Bindings: which declaration an identifier refers to, with block scoping and shadowing.
// ---------------------------------------------------------------------------------------------

export type Declaration =
  | { kind: "variable"; declarator: TSESTree.VariableDeclarator; id: TSESTree.Identifier; constant: boolean }
  | { kind: "parameter"; fn: FunctionNode; index: number; id: TSESTree.Identifier }
  | { kind: "function"; fn: FunctionNode }
  | { kind: "import"; name: string }
  | { kind: "other" };

const OTHER: Declaration = { kind: "other" };

/**
 * Resolves identifiers to their declarations. Each scope's names are collected once, on first
 * use, so resolving every reference of a file stays linear in its size.
 */
export class Bindings {
  private readonly scopes = new Map<Node, Map<string, Declaration>>();

  constructor(private readonly fc: FileContext) {}

  /** The declaration `id` refers to; null for a global (or undeclared) name. */
  resolve(id: TSESTree.Identifier): Declaration | null {
    for (let p = parentOf(id); p; p = parentOf(p)) {
      const names = this.declaredIn(p);
      const d = names?.get(id.name);
      if (d) return d;
    }
    return null;
  }

  /** The initializer of a `const` an identifier names (following `const a = b` chains), or null. */
  constInit(node: Node, hops = 0): Node | null {
    const n = unwrap(node);
    if (n.type !== "Identifier" || hops > 5) return null;
    const d = this.resolve(n);
    if (d?.kind !== "variable" || !d.constant || !d.declarator.init) return null;
    const init = unwrap(d.declarator.init);
    return init.type === "Identifier" ? (this.constInit(init, hops + 1) ?? init) : init;
  }

  private declaredIn(node: Node): Map<string, Declaration> | null {
    const cached = this.scopes.get(node);
    if (cached) return cached;
    let names: Map<string, Declaration> | null = null;
    switch (node.type) {
      case "Program":
        names = new Map();
        for (const s of node.body) declareStatement(s, names);
        hoistVars(node, names);
        // `const { v4 } = require("uuid")` is an import for every purpose here.
        for (const local of Object.keys(this.fc.imports)) names.set(local, { kind: "import", name: local });
        break;
      case "BlockStatement":
      case "StaticBlock":
        names = new Map();
        for (const s of node.body) declareStatement(s, names);
        break;
      case "ArrowFunctionExpression":
      case "FunctionExpression":
      case "FunctionDeclaration":
        names = new Map();
        if (node.type === "FunctionExpression" && node.id) names.set(node.id.name, { kind: "function", fn: node });
        node.params.forEach((p, index) => declareParam(node, p as Node, index, names!));
        if (node.body) hoistVars(node.body, names);
        break;
      case "ForStatement":
        names = new Map();
        if (node.init?.type === "VariableDeclaration") declareStatement(node.init, names);
        break;
      case "ForInStatement":
      case "ForOfStatement":
        names = new Map();
        if (node.left.type === "VariableDeclaration") declareStatement(node.left, names);
        break;
      case "CatchClause":
        names = new Map();
        if (node.param) for (const n of patternNames(node.param)) names.set(n, OTHER);
        break;
      case "SwitchStatement":
        names = new Map();
        for (const c of node.cases) for (const s of c.consequent) declareStatement(s, names);
        break;
      case "ClassDeclaration":
      case "ClassExpression":
        names = new Map();
        if (node.id) names.set(node.id.name, OTHER);
        break;
      default:
        return null;
    }
    this.scopes.set(node, names);
    return names;
  }
}

function declareStatement(stmt: Node, names: Map<string, Declaration>): void {
  switch (stmt.type) {
    case "VariableDeclaration":
      for (const d of stmt.declarations) {
        if (d.id.type === "Identifier") {
          names.set(d.id.name, { kind: "variable", declarator: d, id: d.id, constant: stmt.kind === "const" });
        } else for (const n of patternNames(d.id)) names.set(n, OTHER);
      }
      return;
    case "FunctionDeclaration":
      if (stmt.id) names.set(stmt.id.name, { kind: "function", fn: stmt });
      return;
    case "ClassDeclaration":
    case "TSEnumDeclaration":
      if (stmt.id) names.set(stmt.id.name, OTHER);
      return;
    case "ImportDeclaration":
      for (const s of stmt.specifiers) names.set(s.local.name, { kind: "import", name: s.local.name });
      return;
    case "TSImportEqualsDeclaration":
      names.set(stmt.id.name, { kind: "import", name: stmt.id.name });
      return;
    case "ExportNamedDeclaration":
      if (stmt.declaration) declareStatement(stmt.declaration, names);
      return;
    case "ExportDefaultDeclaration":
      if (stmt.declaration.type === "FunctionDeclaration" || stmt.declaration.type === "ClassDeclaration") {
        declareStatement(stmt.declaration, names);
      }
      return;
    default:
      return;
  }
}

function declareParam(fn: FunctionNode, param: Node, index: number, names: Map<string, Declaration>): void {
  let p = param;
  if (p.type === "TSParameterProperty") p = p.parameter;
  if (p.type === "AssignmentPattern") p = p.left;
  if (p.type === "Identifier") names.set(p.name, { kind: "parameter", fn, index, id: p });
  else for (const n of patternNames(p)) names.set(n, OTHER);
}

/** `var` declarations anywhere in a function body (not in nested functions) belong to the function. */
function hoistVars(body: Node, names: Map<string, Declaration>): void {
  walk(body, (n) => {
    if (n !== body && isFunction(n)) return false;
    if (n.type === "VariableDeclaration" && n.kind === "var") declareStatement(n, names);
    return true;
  });
}

function patternNames(p: Node): string[] {
  switch (p.type) {
    case "Identifier":
      return [p.name];
    case "AssignmentPattern":
      return patternNames(p.left);
    case "RestElement":
      return patternNames(p.argument);
    case "ArrayPattern":
      return p.elements.flatMap((e) => (e ? patternNames(e) : []));
    case "ObjectPattern":
      return p.properties.flatMap((q) => (q.type === "RestElement" ? patternNames(q) : patternNames(q.value)));
    case "TSParameterProperty":
      return patternNames(p.parameter);
    default:
      return [];
  }
}

/** True when an identifier is a reference (not a property key or a member name). */
export function isReference(id: TSESTree.Identifier): boolean {
  const p = parentOf(id);
  if (!p) return true;
  if (p.type === "MemberExpression" && p.property === id && !p.computed) return false;
  if ((p.type === "Property" || p.type === "PropertyDefinition" || p.type === "MethodDefinition") && p.key === id && !p.computed) {
    return p.type === "Property" && p.shorthand && p.value === id;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Call options: `rpc.opts({...})`, `rpc.sendOpts({...})`, `Opts.from`, `SendOpts.from`, `new Opts`.
// ---------------------------------------------------------------------------------------------

export interface OptionsInfo {
  /**
   * - none: no options are passed
   * - read: options built with the package's helper from an object literal we can read whole
   * - unknown: options we cannot see into (a variable from elsewhere, a spread, a helper call)
   */
  state: "none" | "read" | "unknown";
  /** The `rpc.opts(...)` call or `new Opts(...)`, when read. */
  construction?: TSESTree.CallExpression | TSESTree.NewExpression;
  /** The object literal the options are built from, when read and written as a literal. */
  spec?: TSESTree.ObjectExpression;
  /** The `idempotencyKey` value, when given. */
  idempotencyKey?: Node;
  /** An `idempotency-key` entry written in a literal `headers` object (the same HTTP header). */
  keyHeader?: Node;
  /** An object literal as the second argument, where the client expects `Opts`/`SendOpts`. */
  plainObject?: Node;
}

const OPTION_HELPERS = new Set(["rpc.opts", "rpc.sendOpts", "Opts.from", "SendOpts.from"]);
const OPTION_CLASSES = new Set(["Opts", "SendOpts"]);

/**
 * Reads an options expression built with `module`'s helpers, following a `const` it is stored
 * in. Null when the expression is not such a construction (so it may be a handler's input).
 */
export function readOptions(fc: FileContext, bindings: Bindings, node: Node, module: RestateModule): OptionsInfo | null {
  let n = unwrap(node);
  if (n.type === "Identifier") n = bindings.constInit(n) ?? n;
  let construction: TSESTree.CallExpression | TSESTree.NewExpression | null = null;
  if (n.type === "CallExpression") {
    const b = sdkPathOf(n.callee, fc.restate);
    if (b?.module === module && OPTION_HELPERS.has(b.path)) construction = n;
  } else if (n.type === "NewExpression" && module === "clients") {
    // Only the ingress package has public Opts/SendOpts constructors.
    const b = sdkPathOf(n.callee, fc.restate);
    if (b?.module === module && OPTION_CLASSES.has(b.path)) construction = n;
  }
  if (!construction) return null;
  const arg = construction.arguments[0] as Node | undefined;
  if (!arg) return { state: "read", construction };
  if (arg.type === "SpreadElement") return { state: "unknown", construction };
  let spec = unwrap(arg);
  if (spec.type === "Identifier") spec = bindings.constInit(spec) ?? spec;
  if (spec.type !== "ObjectExpression") return { state: "unknown", construction };
  return { ...readSpec(spec), construction };
}

/** The key fields of an options object literal; a spread hides whether a key is there. */
function readSpec(spec: TSESTree.ObjectExpression): OptionsInfo {
  const key = objectProperty(spec, "idempotencyKey");
  const headers = objectProperty(spec, "headers");
  let keyHeader: Node | undefined;
  if (headers && unwrap(headers.value as Node).type === "ObjectExpression") {
    for (const h of (unwrap(headers.value as Node) as TSESTree.ObjectExpression).properties) {
      if (h.type === "Property" && propertyName(h.key, h.computed)?.toLowerCase() === "idempotency-key") keyHeader = h.value as Node;
    }
  }
  const spread = spec.properties.some((p) => p.type === "SpreadElement");
  if (spread && !key && !keyHeader) return { state: "unknown", spec };
  return { state: "read", spec, idempotencyKey: key ? (key.value as Node) : undefined, keyHeader };
}

/** The idempotency key written in a generic call's request (`genericCall({ idempotencyKey })`). */
export function genericKeyOf(spec: TSESTree.ObjectExpression): Node | undefined {
  const p = objectProperty(spec, "idempotencyKey");
  return p ? (p.value as Node) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Ingress calls.
// ---------------------------------------------------------------------------------------------

/** Why an ingress call needs no idempotency key: the workflow ID already identifies it. */
export type WorkflowExemption = "workflowSubmit" | "workflowAttach" | "workflowOutput" | "workflowHandler" | "workflowRun";

export interface IngressCall {
  /** The handler call: `client.h(...)`, `ingress.call({...})`. */
  node: TSESTree.CallExpression;
  api: "typed" | "descriptor" | "generic";
  mode: CallMode;
  /** The factory (`serviceClient`…), null for generic calls. */
  factory: string | null;
  /** The target kind when the code makes it certain. */
  targetKind?: ServiceKind;
  target: TargetRef;
  /** The target as a reader knows it: the service name when known, else the source text. */
  targetText: string;
  /** Handler name; null when computed. */
  handler: string | null;
  /** The object key or workflow ID expression; null for services. */
  key: Node | null;
  exemption: WorkflowExemption | null;
  options: OptionsInfo;
  /** Generic calls: the request object, where an `opts:` entry goes. */
  request?: TSESTree.ObjectExpression;
}

interface IngressFactory {
  mode: CallMode;
  api: "typed" | "descriptor";
  kind?: ServiceKind;
  keyed: boolean | "optional";
}

const INGRESS_FACTORIES: Record<string, IngressFactory> = {
  serviceClient: { mode: "request", api: "typed", kind: "service", keyed: false },
  objectClient: { mode: "request", api: "typed", kind: "object", keyed: true },
  workflowClient: { mode: "request", api: "typed", kind: "workflow", keyed: true },
  serviceSendClient: { mode: "send", api: "typed", kind: "service", keyed: false },
  objectSendClient: { mode: "send", api: "typed", kind: "object", keyed: true },
  client: { mode: "request", api: "descriptor", keyed: "optional" },
  sendClient: { mode: "send", api: "descriptor", keyed: "optional" },
};

const WORKFLOW_METHODS: Record<string, WorkflowExemption> = {
  workflowSubmit: "workflowSubmit",
  workflowAttach: "workflowAttach",
  workflowOutput: "workflowOutput",
};

const INGRESS_TYPES = new Set(["Ingress", "ScopedIngress"]);
const OPTS_TYPES = new Set(["Opts", "SendOpts"]);

const cache = latestOnly<TsFileModel, { calls: IngressCall[]; bindings: Bindings }>();

/** The model's identifier resolver, shared by every rule that asks about this file. */
export function bindingsOf(model: TsFileModel): Bindings {
  return analyse(model).bindings;
}

/** Calls and sends made through a `@restatedev/restate-sdk-clients` ingress client in this file. */
export function ingressCalls(model: TsFileModel): IngressCall[] {
  return analyse(model).calls;
}

function analyse(model: TsFileModel): { calls: IngressCall[]; bindings: Bindings } {
  let entry = cache.get(model);
  if (!entry) {
    const finder = new IngressFinder(model);
    entry = { calls: finder.find(), bindings: finder.bindings };
    cache.set(model, entry);
  }
  return entry;
}

interface FactoryCall {
  factory: IngressFactory;
  name: string;
  call: TSESTree.CallExpression;
}

class IngressFinder {
  readonly bindings: Bindings;
  private readonly fc: FileContext;
  private readonly clientMemo = new Map<Node, boolean>();
  private readonly paramMemo = new Map<string, boolean>();
  private callers: Map<Node, TSESTree.CallExpression[]> | null = null;

  constructor(private readonly model: TsFileModel) {
    this.fc = model.context;
    this.bindings = new Bindings(model.context);
  }

  find(): IngressCall[] {
    const out: IngressCall[] = [];
    let usesClients = false;
    for (const b of this.fc.restate.values()) if (b.module === "clients") usesClients = true;
    if (!usesClients) return out;
    for (const call of this.fc.calls) {
      const callee = unwrap(call.callee);
      if (callee.type !== "MemberExpression") continue;
      const method = memberName(callee);
      const receiver = unwrap(callee.object);
      if ((method === "call" || method === "send") && this.isClient(receiver)) {
        const generic = this.generic(call, method);
        if (generic) out.push(generic);
        continue;
      }
      const factory = this.factoryOf(receiver);
      if (factory) out.push(this.typed(call, factory, method));
    }
    return out;
  }

  // -- What is a client --------------------------------------------------------------------

  private isClient(node: Node, depth = 0): boolean {
    const n = unwrap(node);
    const memo = this.clientMemo.get(n);
    if (memo !== undefined) return memo;
    if (depth > 8) return false;
    this.clientMemo.set(n, false);
    const result = this.computeIsClient(n, depth);
    this.clientMemo.set(n, result);
    return result;
  }

  private computeIsClient(n: Node, depth: number): boolean {
    if (n.type === "CallExpression") {
      const b = sdkPathOf(n.callee, this.fc.restate);
      if (b?.module === "clients" && b.path === "connect") return true;
      const callee = unwrap(n.callee);
      // `ingress.scope("tenant")` routes the same calls within a scope.
      return callee.type === "MemberExpression" && memberName(callee) === "scope" && this.isClient(callee.object, depth + 1);
    }
    if (n.type === "Identifier") {
      const d = this.bindings.resolve(n);
      if (!d) return false;
      if (d.kind === "variable") {
        if (this.isClientsType(d.id.typeAnnotation, INGRESS_TYPES)) return true;
        return !!d.declarator.init && this.isClient(d.declarator.init, depth + 1);
      }
      if (d.kind === "parameter") {
        return this.isClientsType(d.id.typeAnnotation, INGRESS_TYPES) || this.receivesClient(d.fn, d.index, depth);
      }
      return false;
    }
    if (n.type === "MemberExpression" && unwrap(n.object).type === "ThisExpression") return this.isClientField(n, depth);
    return false;
  }

  /** A type annotation naming one of the ingress package's types (`clients.Ingress`, `Ingress | undefined`). */
  private isClientsType(annotation: TSESTree.TSTypeAnnotation | undefined, names: Set<string>): boolean {
    if (!annotation) return false;
    const check = (t: TSESTree.TypeNode): boolean => {
      if (t.type === "TSUnionType") {
        let named = false;
        for (const m of t.types) {
          if (m.type === "TSUndefinedKeyword" || m.type === "TSNullKeyword") continue;
          if (!check(m)) return false;
          named = true;
        }
        return named;
      }
      if (t.type !== "TSTypeReference") return false;
      const path = entityPath(t.typeName);
      if (!path) return false;
      const [head, ...rest] = path;
      const base = this.fc.restate.get(head!);
      if (!base || base.module !== "clients") return false;
      return names.has([base.path, ...rest].filter(Boolean).join("."));
    };
    return check(annotation.typeAnnotation);
  }

  /** A parameter of a local function that some call in this file passes a client to. */
  private receivesClient(fn: FunctionNode, index: number, depth: number): boolean {
    const key = `${fn.range[0]}:${index}`;
    const memo = this.paramMemo.get(key);
    if (memo !== undefined) return memo;
    this.paramMemo.set(key, false);
    let result = false;
    for (const call of this.callersOf(fn)) {
      const arg = call.arguments[index] as Node | undefined;
      if (arg && arg.type !== "SpreadElement" && this.isClient(arg, depth + 1)) {
        result = true;
        break;
      }
    }
    this.paramMemo.set(key, result);
    return result;
  }

  private callersOf(fn: FunctionNode): TSESTree.CallExpression[] {
    if (!this.callers) {
      this.callers = new Map();
      for (const call of this.fc.calls) {
        const callee = unwrap(call.callee);
        if (callee.type !== "Identifier") continue;
        const target = this.functionOf(callee);
        if (!target) continue;
        const list = this.callers.get(target) ?? [];
        list.push(call);
        this.callers.set(target, list);
      }
    }
    return this.callers.get(fn) ?? [];
  }

  private functionOf(id: TSESTree.Identifier): FunctionNode | null {
    const d = this.bindings.resolve(id);
    if (d?.kind === "function") return d.fn;
    if (d?.kind === "variable" && d.constant && d.declarator.init) {
      const init = unwrap(d.declarator.init);
      return isFunction(init) ? init : null;
    }
    return null;
  }

  /**
   * `this.ingress` inside a class whose field is a client: a field initialised with one, a field
   * or constructor parameter property typed `Ingress`, or `this.ingress = connect(...)` in the
   * constructor.
   */
  private isClientField(member: TSESTree.MemberExpression, depth: number): boolean {
    const name = memberName(member);
    if (!name) return false;
    let body: TSESTree.ClassBody | null = null;
    let owner: Node = member;
    for (let p = parentOf(member); p; owner = p, p = parentOf(p)) {
      if (p.type === "ClassBody") {
        body = p;
        break;
      }
      // `this` is rebound by any non-arrow function that is not a method of the class.
      if (p.type === "FunctionExpression" || p.type === "FunctionDeclaration") {
        const owner = parentOf(p);
        if (owner?.type !== "MethodDefinition") return false;
      }
    }
    if (!body) return false;
    // In static members `this` is the class itself: only static fields are in reach.
    const isStatic = owner.type === "StaticBlock" || ("static" in owner && owner.static === true);
    for (const el of body.body) {
      if (el.type === "PropertyDefinition" && el.static === isStatic && !el.computed && propertyName(el.key, false) === name) {
        if (this.isClientsType(el.typeAnnotation, INGRESS_TYPES)) return true;
        if (el.value && this.isClient(el.value, depth + 1)) return true;
      }
      if (el.type === "MethodDefinition" && el.kind === "constructor" && !isStatic) {
        for (const param of el.value.params) {
          if (param.type !== "TSParameterProperty") continue;
          const inner = param.parameter.type === "AssignmentPattern" ? param.parameter.left : param.parameter;
          if (inner.type === "Identifier" && inner.name === name && this.isClientsType(inner.typeAnnotation, INGRESS_TYPES)) {
            return true;
          }
        }
        for (const stmt of el.value.body?.body ?? []) {
          if (stmt.type !== "ExpressionStatement" || stmt.expression.type !== "AssignmentExpression") continue;
          const { left, right } = stmt.expression;
          if (
            left.type === "MemberExpression" &&
            unwrap(left.object).type === "ThisExpression" &&
            memberName(left) === name &&
            this.isClient(right, depth + 1)
          ) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // -- Typed calls -------------------------------------------------------------------------

  /** `ingress.serviceClient(X)` written inline or stored in a `const`. */
  private factoryOf(receiver: Node): FactoryCall | null {
    let n = receiver;
    if (n.type === "Identifier") {
      const init = this.bindings.constInit(n);
      if (!init) return null;
      n = init;
    }
    if (n.type !== "CallExpression") return null;
    const callee = unwrap(n.callee);
    if (callee.type !== "MemberExpression") return null;
    const name = memberName(callee);
    const factory = name ? own(INGRESS_FACTORIES, name) : undefined;
    if (!factory || !this.isClient(callee.object)) return null;
    return { factory, name: name!, call: n };
  }

  private typed(call: TSESTree.CallExpression, f: FactoryCall, handler: string | null): IngressCall {
    const args = f.call.arguments as Node[];
    const defArg = args[0];
    let kind = f.factory.kind;
    if (f.factory.api === "descriptor") kind = this.descriptorKind(defArg) ?? (args.length < 2 ? "service" : undefined);
    const keyed = f.factory.keyed === true || (f.factory.keyed === "optional" && args.length > 1);
    const key = keyed ? (args[1] ?? null) : null;
    const target = this.targetOf(defArg);
    let exemption: WorkflowExemption | null = null;
    if (f.name === "workflowClient") {
      exemption = (handler && own(WORKFLOW_METHODS, handler)) || "workflowHandler";
    } else if (kind === "workflow") {
      exemption = handler === "run" ? "workflowRun" : "workflowHandler";
    } else if (kind === undefined && keyed && handler === "run") {
      // A keyed descriptor of unknown kind: `run` is how a workflow is started and awaited.
      exemption = "workflowRun";
    }
    return {
      node: call,
      api: f.factory.api,
      mode: handler === "workflowSubmit" ? "send" : f.factory.mode,
      factory: f.name,
      targetKind: kind,
      target,
      targetText: this.targetText(target, defArg),
      handler,
      key,
      exemption,
      options: this.typedOptions(call),
    };
  }

  private typedOptions(call: TSESTree.CallExpression): OptionsInfo {
    const args = call.arguments as Node[];
    if (args.some((a) => a.type === "SpreadElement")) return { state: "unknown" };
    if (args.length === 0) return { state: "none" };
    // The ingress client throws on more than two arguments.
    if (args.length > 2) return { state: "unknown" };
    const last = args[args.length - 1]!;
    const read = readOptions(this.fc, this.bindings, last, "clients");
    if (read) return read;
    // The client's `optsFromArgs` throws on it (see `valid-call-options`).
    if (args.length === 2 && unwrap(last).type === "ObjectExpression") return { state: "unknown", plainObject: last };
    // The SDK's own `rpc.opts` used on the ingress is a different mistake; stay out of it.
    if (args.length === 2 || readOptions(this.fc, this.bindings, last, "sdk")) return { state: "unknown" };
    // One argument that is not an options construction is the handler's input, unless its
    // declaration says it is options built somewhere we cannot see.
    const n = unwrap(last);
    if (n.type === "Identifier") {
      const d = this.bindings.resolve(n);
      if ((d?.kind === "variable" || d?.kind === "parameter") && this.isClientsType(d.id.typeAnnotation, OPTS_TYPES)) {
        return { state: "unknown" };
      }
    }
    return { state: "none" };
  }

  private descriptorKind(node: Node | undefined): ServiceKind | undefined {
    const n = node ? unwrap(node) : null;
    if (n?.type !== "Identifier") return undefined;
    return this.model.descriptors.find((d) => d.localNames.includes(n.name))?.kind;
  }

  private targetOf(node: Node | undefined): TargetRef {
    if (!node) return { by: "unknown" };
    const n = unwrap(node);
    if (n.type === "ObjectExpression") {
      const name = staticString(objectProperty(n, "name")?.value as Node | undefined);
      return name !== null ? { by: "name", serviceName: name } : (constantTarget(this.fc, n) ?? { by: "unknown" });
    }
    if (n.type === "Identifier") {
      if (this.model.services.some((s) => s.localNames.includes(n.name))) return { by: "local", localName: n.name };
      const descriptor = this.model.descriptors.find((d) => d.localNames.includes(n.name));
      if (descriptor) return { by: "name", serviceName: descriptor.name };
      const imported = own(this.fc.imports, n.name);
      if (imported) return { by: "import", ref: imported };
      const init = this.bindings.constInit(n);
      return init?.type === "ObjectExpression" ? this.targetOf(init) : { by: "unknown" };
    }
    if (n.type === "MemberExpression") {
      const obj = unwrap(n.object);
      const member = memberName(n);
      const ns = obj.type === "Identifier" ? own(this.fc.imports, obj.name) : undefined;
      if (ns && ns.imported === "*" && member) return { by: "import", ref: { source: ns.source, imported: member } };
      return constantTarget(this.fc, n) ?? { by: "unknown" };
    }
    return { by: "unknown" };
  }

  private targetText(target: TargetRef, node: Node | undefined): string {
    if (target.by === "name") return target.serviceName;
    if (target.by === "local") {
      const s = this.model.services.find((x) => x.localNames.includes(target.localName));
      if (s?.name) return s.name;
    }
    return node ? this.fc.text.slice(node.range[0], node.range[1]) : "?";
  }

  // -- Generic calls -----------------------------------------------------------------------

  /** `ingress.call({ service, handler, parameter, key?, opts? })` and `ingress.send({...})`. */
  private generic(call: TSESTree.CallExpression, method: "call" | "send"): IngressCall | null {
    const arg = call.arguments[0] ? unwrap(call.arguments[0] as Node) : null;
    const request = arg?.type === "Identifier" ? this.bindings.constInit(arg) : arg;
    const base = {
      node: call,
      api: "generic" as const,
      mode: (method === "call" ? "request" : "send") as CallMode,
      factory: null,
    };
    if (request?.type !== "ObjectExpression") {
      return { ...base, target: { by: "unknown" }, targetText: "?", handler: null, key: null, exemption: null, options: { state: "unknown" } };
    }
    const service = staticString(objectProperty(request, "service")?.value as Node | undefined);
    const handler = staticString(objectProperty(request, "handler")?.value as Node | undefined);
    const keyProp = objectProperty(request, "key");
    const optsProp = objectProperty(request, "opts");
    let options: OptionsInfo;
    if (optsProp) options = readOptions(this.fc, this.bindings, optsProp.value as Node, "clients") ?? { state: "unknown" };
    else if (request.properties.some((p) => p.type === "SpreadElement")) options = { state: "unknown" };
    else options = { state: "none" };

    let kind: ServiceKind | undefined;
    if (service !== null) {
      kind =
        this.model.services.find((s) => s.name === service)?.kind ??
        this.model.descriptors.find((d) => d.name === service)?.kind;
    }
    let exemption: WorkflowExemption | null = null;
    if (kind === "workflow") exemption = handler === "run" ? "workflowRun" : "workflowHandler";
    // With a key and a target of unknown kind, `run` may be a workflow's `run`, which its ID
    // already identifies: unsure, so no report.
    else if (kind === undefined && keyProp && handler === "run") exemption = "workflowRun";
    return {
      ...base,
      targetKind: kind,
      target: service !== null ? { by: "name", serviceName: service } : { by: "unknown" },
      targetText: service ?? "?",
      handler,
      key: keyProp ? (keyProp.value as Node) : null,
      exemption,
      options,
      request,
    };
  }
}
