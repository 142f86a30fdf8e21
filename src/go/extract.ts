import { durationArithmetic } from "../model/arithmetic.js";
import type {
  CallMode,
  CallOptions,
  CallSite,
  CallUsage,
  FileModel,
  HandlerDef,
  HandlerKind,
  HandlerRef,
  KeyExpr,
  ServiceDef,
  ServiceKind,
  SleepSite,
  TargetRef,
} from "../model/types.js";
import { type GoNode, fieldOf, fieldsOf, stringValue, toSourceLoc, unparen, walkGo } from "./ast.js";
import { type GoImports, importsRestate, readImports } from "./imports.js";
import { type PackageView, packageName, packageView, reflectedTypes } from "./package.js";
import { nameRecord, own } from "../model/records.js";

/** The context types of the SDK and the handler each one declares (restate-semantics §7). */
export const CONTEXT_TYPES: Record<string, { service: ServiceKind; handler: HandlerKind }> = {
  Context: { service: "service", handler: "service" },
  ObjectContext: { service: "object", handler: "exclusive" },
  ObjectSharedContext: { service: "object", handler: "shared" },
  WorkflowContext: { service: "workflow", handler: "workflow-run" },
  WorkflowSharedContext: { service: "workflow", handler: "workflow-shared" },
};

interface Factory {
  kind: ServiceKind;
  keyed: boolean;
}

/** `restate.Service[O](ctx, svc, h)` and friends; the `*Send` ones only have `Send`. */
const FACTORIES: Record<string, Factory> = {
  Service: { kind: "service", keyed: false },
  Object: { kind: "object", keyed: true },
  Workflow: { kind: "workflow", keyed: true },
  ServiceSend: { kind: "service", keyed: false },
  ObjectSend: { kind: "object", keyed: true },
  WorkflowSend: { kind: "workflow", keyed: true },
};

const CLIENT_METHODS = new Set(["Request", "RequestFuture", "Send"]);
const BUILDERS: Record<string, ServiceKind> = { NewService: "service", NewObject: "object", NewWorkflow: "workflow" };
const HANDLER_WRAPPERS: Record<string, HandlerKind> = {
  NewServiceHandler: "service",
  NewObjectHandler: "exclusive",
  NewObjectSharedHandler: "shared",
  NewWorkflowHandler: "workflow-run",
  NewWorkflowSharedHandler: "workflow-shared",
};
/** Functions of the SDK that wait on several futures at once. */
export const WAIT_FUNCTIONS = new Set(["WaitFirst", "Wait", "WaitIter", "Select"]);
/** Methods that block on a future's result. */
export const FUTURE_WAITS = new Set(["Response", "Done", "Result"]);
export const RUN_FUNCTIONS = new Set(["Run", "RunVoid", "RunAsync"]);
const MAX_HELPER_DEPTH = 3;

export interface Param {
  name: string | null;
  type: GoNode | null;
  node: GoNode;
}

/** A function of the file we analyse: a declaration, a method, or a handler written as a literal. */
export interface FnInfo {
  fn: GoNode;
  body: GoNode | null;
  /** How the function is named in messages: `helper`, `Cart.helper`, or the handler name. */
  name: string;
  params: Param[];
  receiverType: string | null;
  receiverName: string | null;
  /** Parameters typed with a Restate context: name → its index and context type. */
  ctxParams: Map<string, { index: number; type: string }>;
  /** Set when the function implements a handler. */
  handler: HandlerRef | null;
  bindings: Bindings;
  helperCalls: { target: FnInfo }[];
  calls: CallSite<GoNode>[];
  sleeps: SleepSite<GoNode>[];
}

/** What a function does with its local names: how often each is declared, assigned and used. */
export class Bindings {
  private readonly decls = new Map<string, { count: number; value: GoNode | null }>();
  private readonly assigned = new Set<string>();
  readonly refs = new Map<string, GoNode[]>();

  constructor(private readonly fileConsts: Map<string, GoNode>) {}

  declare(name: string, value: GoNode | null): void {
    if (name === "_") return;
    const d = this.decls.get(name);
    if (d) d.count++;
    else this.decls.set(name, { count: 1, value });
  }

  assign(name: string): void {
    this.assigned.add(name);
  }

  ref(node: GoNode): void {
    const list = this.refs.get(node.text);
    if (list) list.push(node);
    else this.refs.set(node.text, [node]);
  }

  isLocal(name: string): boolean {
    return this.decls.has(name);
  }

  /** Declared exactly once in the function and never assigned. */
  isStable(name: string): boolean {
    return this.decls.get(name)?.count === 1 && !this.assigned.has(name);
  }

  /** The one value a name stands for, when it is declared once (or is a file-level const) and never reassigned. */
  valueOf(node: GoNode | null | undefined): GoNode | null {
    if (!node) return null;
    const n = unparen(node);
    if (n.type !== "identifier") return null;
    const d = this.decls.get(n.text);
    if (d) return d.count === 1 && !this.assigned.has(n.text) ? d.value : null;
    return this.fileConsts.get(n.text) ?? null;
  }
}

/** A `Request`/`RequestFuture`/`Send` call: the syntax rules need beyond the model. */
export interface GoCallDetail {
  method: "Request" | "RequestFuture" | "Send";
  /** The `.Request(...)` call itself (also the call site's node). */
  methodCall: GoNode;
  /** `restate.Object[O](ctx, "X", key, "h")`. */
  factoryCall: GoNode;
  factory: string;
  inputNode: GoNode | null;
  /** The arguments after the input. */
  optionNodes: GoNode[];
  /** Every option is a call of an SDK option helper written in place. */
  optionsReadable: boolean;
  delayNode: GoNode | null;
  idempotencyKeyNode: GoNode | null;
  keyNode: GoNode | null;
}

/** A call through the ingress client (`ingress.Object[I, O](c, "X", key, "h").Request(goCtx, in, opts...)`). */
export interface GoIngressCall {
  method: "Request" | "Send";
  node: GoNode;
  factoryCall: GoNode;
  factory: string;
  kind: ServiceKind;
  service: string | null;
  handler: string | null;
  keyNode: GoNode | null;
  inputNode: GoNode | null;
  optionNodes: GoNode[];
  optionsReadable: boolean;
  idempotencyKeyNode: GoNode | null;
}

export interface GoScope {
  fn: GoNode;
  info: FnInfo;
  from: HandlerRef | null;
  via: string[];
}

/** The Go frontend's view of a file: the model plus the syntax the rules report on. */
export interface GoFileModel extends FileModel<GoNode> {
  go: GoImports;
  functions: FnInfo[];
  scopes: GoScope[];
  details: Map<GoNode, GoCallDetail>;
  ingress: GoIngressCall[];
  /** Function literals passed to `restate.Run/RunVoid/RunAsync`: their code is journaled once. */
  runClosures: Set<GoNode>;
  root: GoNode;
}

/** `restate.Fn`, `restate.Fn[T]` or `restate.Fn[A, B]` called: `Fn`, when `pkg` is the alias given. */
export function packageFunction(call: GoNode, pkg: string | null): string | null {
  if (!pkg || call.type !== "call_expression") return null;
  let fn = fieldOf(call, "function");
  if (!fn) return null;
  fn = unparen(fn);
  if (fn.type === "index_expression") fn = fieldOf(fn, "operand");
  if (fn?.type !== "selector_expression") return null;
  const operand = fieldOf(fn, "operand");
  const field = fieldOf(fn, "field");
  if (operand?.type !== "identifier" || operand.text !== pkg || !field) return null;
  return field.text;
}

export function argsOf(call: GoNode): GoNode[] {
  return fieldOf(call, "arguments")?.children ?? [];
}

/** `x.M(...)`: the method name and the receiver expression. */
export function methodCall(call: GoNode): { name: string; receiver: GoNode } | null {
  if (call.type !== "call_expression") return null;
  const fn = fieldOf(call, "function");
  if (!fn || unparen(fn).type !== "selector_expression") return null;
  const sel = unparen(fn);
  const operand = fieldOf(sel, "operand");
  const field = fieldOf(sel, "field");
  return operand && field ? { name: field.text, receiver: unparen(operand) } : null;
}

/** The parent of an expression, looking through parentheses. */
export function valueParent(node: GoNode): { parent: GoNode | null; child: GoNode } {
  let child = node;
  let parent = node.parent;
  while (parent?.type === "parenthesized_expression") {
    child = parent;
    parent = parent.parent;
  }
  return { parent, child };
}

function paramsOf(list: GoNode | undefined): Param[] {
  const out: Param[] = [];
  for (const decl of list?.children ?? []) {
    if (decl.type !== "parameter_declaration" && decl.type !== "variadic_parameter_declaration") continue;
    const type = fieldOf(decl, "type") ?? null;
    const names = fieldsOf(decl, "name");
    if (names.length === 0) out.push({ name: null, type, node: decl });
    for (const n of names) out.push({ name: n.text, type, node: decl });
  }
  return out;
}

/** `restate.ObjectContext` → "ObjectContext" when the alias is the SDK's. */
function contextType(type: GoNode | null, restate: string | null): string | null {
  if (!type || !restate || type.type !== "qualified_type") return null;
  const pkg = fieldOf(type, "package");
  const name = fieldOf(type, "name");
  if (pkg?.text !== restate || !name) return null;
  return own(CONTEXT_TYPES, name.text) !== undefined || name.text === "RunContext" ? name.text : null;
}

function receiverTypeOf(method: GoNode): { type: string | null; name: string | null } {
  const param = fieldOf(method, "receiver")?.children.find((c) => c.type === "parameter_declaration");
  if (!param) return { type: null, name: null };
  let type = fieldOf(param, "type") ?? null;
  if (type?.type === "pointer_type") type = type.children[0] ?? null;
  const name = fieldOf(param, "name")?.text ?? null;
  return { type: type?.type === "type_identifier" ? type.text : null, name };
}

function isExported(name: string): boolean {
  const c = name.charAt(0);
  return c !== c.toLowerCase() && c === c.toUpperCase();
}

/**
 * Builds the model of one Go file. Never throws on odd code: what it cannot read it leaves out.
 * `pkg` gives what the package's other files declare (by default, read from disk).
 */
export function extractGoModel(root: GoNode, file: string, pkg: PackageView = packageView(file, packageName(root))): GoFileModel {
  const go = readImports(root);
  const model: GoFileModel = {
    file,
    usesRestate: importsRestate(root),
    services: [],
    descriptors: [],
    calls: [],
    sleeps: [],
    imports: nameRecord(),
    exports: nameRecord(),
    reexports: nameRecord(),
    starExports: [],
    go,
    functions: [],
    scopes: [],
    details: new Map(),
    ingress: [],
    runClosures: new Set(),
    root,
  };
  if (!go.restate && !go.ingress) return model;
  new Extractor(model, root, go.restate, go.ingress, pkg).run();
  return model;
}

class Extractor {
  private readonly fileConsts = new Map<string, GoNode>();
  private readonly topFunctions = new Map<string, FnInfo>();
  private readonly methodsByType = new Map<string, Map<string, FnInfo>>();
  private readonly methodsByName = new Map<string, FnInfo[]>();
  private readonly infos = new Map<GoNode, FnInfo>();

  constructor(
    private readonly model: GoFileModel,
    private readonly root: GoNode,
    private readonly restate: string | null,
    private readonly ingressPkg: string | null,
    private readonly pkg: PackageView,
  ) {}

  run(): void {
    this.collectTopLevel();
    this.collectReflectServices();
    this.collectBuilderServices();
    for (const info of this.infos.values()) new FunctionWalk(this, info).run();
    this.emit();
  }

  // -------------------------------------------------------------------------------------------
  // Shared with FunctionWalk
  // -------------------------------------------------------------------------------------------

  get sdk(): string | null {
    return this.restate;
  }
  get ingress(): string | null {
    return this.ingressPkg;
  }
  get file(): GoFileModel {
    return this.model;
  }
  isScopeFn(node: GoNode): boolean {
    return this.infos.has(node) && node.type === "func_literal";
  }
  /** The function a call by plain name denotes: a top-level function of this file. */
  topFunction(name: string): FnInfo | undefined {
    return this.topFunctions.get(name);
  }
  method(type: string, name: string): FnInfo | undefined {
    return this.methodsByType.get(type)?.get(name);
  }

  // -------------------------------------------------------------------------------------------

  private info(fn: GoNode, name: string, receiver: { type: string | null; name: string | null }): FnInfo {
    const existing = this.infos.get(fn);
    if (existing) return existing;
    const params = paramsOf(fieldOf(fn, "parameters"));
    const ctxParams = new Map<string, { index: number; type: string }>();
    params.forEach((p, index) => {
      const t = contextType(p.type, this.restate);
      if (t && p.name && p.name !== "_") ctxParams.set(p.name, { index, type: t });
    });
    const info: FnInfo = {
      fn,
      body: fieldOf(fn, "body") ?? null,
      name,
      params,
      receiverType: receiver.type,
      receiverName: receiver.name,
      ctxParams,
      handler: null,
      bindings: new Bindings(this.fileConsts),
      helperCalls: [],
      calls: [],
      sleeps: [],
    };
    this.infos.set(fn, info);
    this.model.functions.push(info);
    return info;
  }

  private collectTopLevel(): void {
    for (const decl of this.root.children) {
      if (decl.type === "const_declaration") {
        for (const spec of decl.children) {
          if (spec.type !== "const_spec") continue;
          const names = fieldsOf(spec, "name");
          const values = fieldOf(spec, "value")?.children ?? [];
          if (names.length === values.length) names.forEach((n, i) => this.fileConsts.set(n.text, values[i]!));
        }
      } else if (decl.type === "function_declaration") {
        const name = fieldOf(decl, "name")?.text;
        if (name) this.topFunctions.set(name, this.info(decl, name, { type: null, name: null }));
      } else if (decl.type === "method_declaration") {
        const name = fieldOf(decl, "name")?.text;
        const receiver = receiverTypeOf(decl);
        if (!name) continue;
        const info = this.info(decl, receiver.type ? `${receiver.type}.${name}` : name, receiver);
        if (receiver.type) {
          let methods = this.methodsByType.get(receiver.type);
          if (!methods) this.methodsByType.set(receiver.type, (methods = new Map()));
          methods.set(name, info);
        }
        const list = this.methodsByName.get(name);
        if (list) list.push(info);
        else this.methodsByName.set(name, [info]);
      }
    }
  }

  /**
   * `restate.Reflect(T{})` registers T's exported methods whose first parameter is a Restate
   * context; the parameter's type decides the handler kind. The methods are where the code
   * lives, so the service is defined here, wherever `Reflect` is called.
   */
  private collectReflectServices(): void {
    // Where the package calls `Reflect` (in this file or another), only the types it passes are
    // services; where it does not (another package binds them), every candidate type is.
    const reflected = new Set([...reflectedTypes(this.root, this.restate), ...this.pkg.reflected()]);
    for (const [type, methods] of this.methodsByType) {
      if (reflected.size > 0 && !reflected.has(type)) continue;
      const handlers: { info: FnInfo; kind: { service: ServiceKind; handler: HandlerKind } }[] = [];
      for (const [name, info] of methods) {
        if (!isExported(name) || name === "ServiceName") continue;
        const first = info.params[0];
        const ctx = first ? contextType(first.type, this.restate) : null;
        const kind = ctx ? own(CONTEXT_TYPES, ctx) : undefined;
        if (kind) handlers.push({ info, kind });
      }
      if (handlers.length === 0) continue;
      const serviceKind = handlers[0]!.kind.service;
      // Reflect panics on mixed kinds: such a type is no service we can describe.
      if (handlers.some((h) => h.kind.service !== serviceKind)) continue;
      const named = methods.get("ServiceName");
      const name = named ? this.returnedString(named) : type;
      if (name === null) continue;
      const service: ServiceDef<GoNode> = {
        name,
        kind: serviceKind,
        handlers: [],
        incomplete: false,
        localNames: [],
        loc: toSourceLoc(handlers[0]!.info.fn),
        node: handlers[0]!.info.fn,
      };
      handlers.sort((a, b) => a.info.fn.range[0] - b.info.fn.range[0]);
      for (const { info, kind } of handlers) {
        const handlerName = fieldOf(info.fn, "name")!.text;
        const def: HandlerDef<GoNode> = {
          service: name,
          name: handlerName,
          kind: kind.handler,
          kindKnown: true,
          loc: toSourceLoc(fieldOf(info.fn, "name")!),
          node: info.fn,
        };
        service.handlers.push(def);
        info.handler = { service: name, handler: handlerName };
      }
      this.model.services.push(service);
    }
  }

  /** `restate.NewObject("Name").Handler("h", restate.NewObjectHandler(fn))…`, chained or through a variable. */
  private collectBuilderServices(): void {
    const builders: { call: GoNode; kind: ServiceKind; name: string }[] = [];
    walkGo(this.root, (n) => {
      if (n.type !== "call_expression") return true;
      const fn = packageFunction(n, this.restate);
      const kind = fn ? own(BUILDERS, fn) : undefined;
      const name = kind ? this.stringOf(argsOf(n)[0]) : null;
      if (kind && name !== null) builders.push({ call: n, kind, name });
      return true;
    });
    for (const b of builders) {
      const service: ServiceDef<GoNode> = {
        name: b.name,
        kind: b.kind,
        handlers: [],
        incomplete: false,
        localNames: [],
        loc: toSourceLoc(b.call),
        node: b.call,
      };
      for (const registration of this.registrations(b.call)) this.addBuilderHandler(service, registration);
      this.model.services.push(service);
    }
  }

  /** The `.Handler(name, wrapper)` calls made on a builder: down its chain, or on the variable holding it. */
  private registrations(builder: GoNode): GoNode[] {
    const out: GoNode[] = [];
    const follow = (expr: GoNode) => {
      let current = expr;
      for (;;) {
        const { parent, child } = valueParent(current);
        if (parent?.type === "selector_expression" && fieldOf(parent, "operand") === child && fieldOf(parent, "field")?.text === "Handler") {
          const call = parent.parent;
          if (call?.type !== "call_expression") return;
          out.push(call);
          current = call;
          continue;
        }
        // `b := restate.NewObject("X")`, then `b.Handler(...)` (or `b = b.Handler(...)`).
        const variable = declaredName(parent, child);
        if (variable) {
          const owner = enclosingUnit(current);
          if (!owner) return;
          walkGo(owner, (n) => {
            if (n.type === "call_expression") {
              const m = methodCall(n);
              if (m?.name === "Handler" && m.receiver.type === "identifier" && m.receiver.text === variable) out.push(n);
            }
            return true;
          });
        }
        return;
      }
    };
    follow(builder);
    return out;
  }

  private addBuilderHandler(service: ServiceDef<GoNode>, registration: GoNode): void {
    const [nameArg, wrapperArg] = argsOf(registration);
    const handlerName = this.stringOf(nameArg);
    const wrapper = wrapperArg ? unparen(wrapperArg) : null;
    const wrapperFn = wrapper ? packageFunction(wrapper, this.restate) : null;
    const kind = wrapperFn ? own(HANDLER_WRAPPERS, wrapperFn) : undefined;
    if (handlerName === null || !kind || !wrapper) {
      service.incomplete = true;
      return;
    }
    service.handlers.push({
      service: service.name,
      name: handlerName,
      kind,
      kindKnown: true,
      loc: toSourceLoc(nameArg!),
      node: wrapper,
    });
    const impl = this.implementation(argsOf(wrapper)[0]);
    if (impl && !impl.handler) impl.handler = { service: service.name, handler: handlerName };
  }

  /** The function a handler wrapper is given: a literal, a top-level function, or a method value. */
  private implementation(arg: GoNode | undefined): FnInfo | null {
    if (!arg) return null;
    const n = unparen(arg);
    if (n.type === "func_literal") return this.info(n, "(handler)", { type: null, name: null });
    if (n.type === "identifier") return this.topFunctions.get(n.text) ?? null;
    if (n.type === "selector_expression") {
      const field = fieldOf(n, "field")?.text;
      const candidates = field ? (this.methodsByName.get(field) ?? []) : [];
      return candidates.length === 1 ? candidates[0]! : null;
    }
    return null;
  }

  /** A string literal, or a constant of one (local, of the file, or of the package's other files). */
  stringOf(node: GoNode | undefined, bindings?: Bindings): string | null {
    if (!node) return null;
    const direct = stringValue(node);
    if (direct !== null) return direct;
    const n = unparen(node);
    if (n.type !== "identifier") return null;
    if (bindings?.isLocal(n.text)) {
      const bound = bindings.valueOf(n);
      return bound && bound !== n ? stringValue(bound) : null;
    }
    const fileConst = this.fileConsts.get(n.text);
    if (fileConst) return stringValue(fileConst);
    return this.pkg.constant(n.text);
  }

  /** The string a `ServiceName() string { return "X" }` method returns; null when it is not one constant. */
  private returnedString(info: FnInfo): string | null {
    const statements = info.body?.children.find((c) => c.type === "statement_list")?.children ?? [];
    if (statements.length !== 1 || statements[0]!.type !== "return_statement") return null;
    const values = statements[0]!.children[0]?.children ?? [];
    return values.length === 1 ? this.stringOf(values[0]) : null;
  }

  /** Turns each function's sites into the model's, once per handler that reaches the function. */
  private emit(): void {
    const reach = new Map<FnInfo, { from: HandlerRef; via: string[] }[]>();
    const queue: { info: FnInfo; from: HandlerRef; via: string[] }[] = [];
    for (const info of this.infos.values()) if (info.handler) queue.push({ info, from: info.handler, via: [] });
    const seen = new Set<string>();
    while (queue.length > 0) {
      const item = queue.shift()!;
      const id = `${item.from.service}.${item.from.handler}|${item.info.fn.range[0]}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const list = reach.get(item.info);
      if (list) list.push({ from: item.from, via: item.via });
      else reach.set(item.info, [{ from: item.from, via: item.via }]);
      if (item.via.length >= MAX_HELPER_DEPTH) continue;
      for (const h of item.info.helperCalls) queue.push({ info: h.target, from: item.from, via: [...item.via, h.target.name] });
    }
    for (const info of this.infos.values()) {
      const contexts = reach.get(info) ?? (info.ctxParams.size > 0 ? [{ from: null, via: [] as string[] }] : []);
      for (const { from, via } of contexts) {
        this.model.scopes.push({ fn: info.fn, info, from, via });
        // The handler's own input is only that in the handler itself.
        const helper = via.length > 0;
        for (const c of info.calls) {
          this.model.calls.push({
            ...c,
            from,
            via,
            key: helper && c.key?.kind === "input" ? { kind: "unknown", text: "" } : c.key,
            input: helper && c.input?.kind === "input" ? undefined : c.input,
          });
        }
        for (const s of info.sleeps) this.model.sleeps.push({ ...s, from, via });
      }
    }
    const byPosition = (a: { loc: { line: number; column: number } }, b: { loc: { line: number; column: number } }) =>
      a.loc.line - b.loc.line || a.loc.column - b.loc.column;
    this.model.calls.sort(byPosition);
    this.model.sleeps.sort(byPosition);
  }
}

/** For `x := value` / `var x = value`: the name `value` is bound to. */
export function declaredName(parent: GoNode | null, child: GoNode): string | null {
  const list = parent;
  if (list?.type !== "expression_list") return null;
  const holder = list.parent;
  if (!holder) return null;
  const index = list.children.indexOf(child);
  if (holder.type === "short_var_declaration" || holder.type === "assignment_statement") {
    if (list.field !== "right") return null;
    const left = fieldOf(holder, "left")?.children ?? [];
    if (left.length !== list.children.length) return null;
    const target = left[index];
    return target?.type === "identifier" && target.text !== "_" ? target.text : null;
  }
  if (holder.type === "var_spec" || holder.type === "const_spec") {
    const names = fieldsOf(holder, "name");
    if (names.length !== list.children.length) return null;
    const name = names[index]?.text;
    return name && name !== "_" ? name : null;
  }
  return null;
}

/** The outermost function containing a node (a top-level declaration), or the root. */
function enclosingUnit(node: GoNode): GoNode | null {
  let unit: GoNode | null = null;
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === "function_declaration" || p.type === "method_declaration") return p;
    unit = p;
  }
  return unit;
}

const USAGE_RANK: CallUsage[] = ["combined", "stored-awaited", "returned", "passed", "stored"];

/**
 * One pass over a function: its local names, then the Restate operations in it. Nested
 * function literals belong to the function (closures run as part of it), except handlers
 * written as literals, which are functions of their own.
 */
class FunctionWalk {
  private readonly callNodes: GoNode[] = [];
  private readonly runClosures = new Set<GoNode>();
  private readonly attaches: GoNode[] = [];
  private readonly sends: { call: CallSite<GoNode>; node: GoNode }[] = [];
  private readonly inputName: string | null;

  constructor(
    private readonly ex: Extractor,
    private readonly info: FnInfo,
  ) {
    const input = info.handler ? info.params[1] : undefined;
    this.inputName = input?.name && input.name !== "_" ? input.name : null;
  }

  private get b(): Bindings {
    return this.info.bindings;
  }

  run(): void {
    const body = this.info.body;
    for (const p of this.info.params) if (p.name) this.b.declare(p.name, null);
    if (!body) return;
    walkGo(body, (n) => {
      if (n !== body && this.ex.isScopeFn(n)) return false;
      this.collect(n);
      return true;
    });
    // Run closures first, so calls inside them know they are journaled.
    for (const call of this.callNodes) {
      if (RUN_FUNCTIONS.has(packageFunction(call, this.ex.sdk) ?? "")) {
        for (const a of argsOf(call)) if (unparen(a).type === "func_literal") this.runClosures.add(unparen(a));
      }
    }
    for (const c of this.runClosures) this.ex.file.runClosures.add(c);
    for (const call of this.callNodes) this.onCall(call);
    this.resolveAttachments();
  }

  private collect(n: GoNode): void {
    switch (n.type) {
      case "identifier":
        this.b.ref(n);
        return;
      case "call_expression":
        this.callNodes.push(n);
        return;
      case "short_var_declaration":
      case "range_clause":
      case "receive_statement": {
        const left = fieldOf(n, "left")?.children ?? [];
        const right = n.type === "short_var_declaration" ? (fieldOf(n, "right")?.children ?? []) : [];
        const isDefine = n.type === "short_var_declaration" || /:=/.test(n.text.slice(0, (fieldOf(n, "right") ?? n).range[0] - n.range[0]));
        left.forEach((l, i) => {
          if (l.type !== "identifier") return;
          if (isDefine) this.b.declare(l.text, left.length === right.length ? right[i]! : null);
          else this.b.assign(l.text);
        });
        return;
      }
      case "var_spec":
      case "const_spec": {
        const names = fieldsOf(n, "name");
        const values = fieldOf(n, "value")?.children ?? [];
        names.forEach((name, i) => this.b.declare(name.text, names.length === values.length ? values[i]! : null));
        return;
      }
      case "assignment_statement":
        for (const l of fieldOf(n, "left")?.children ?? []) if (l.type === "identifier") this.b.assign(l.text);
        return;
      case "inc_statement":
      case "dec_statement": {
        const target = n.children[0];
        if (target?.type === "identifier") this.b.assign(target.text);
        return;
      }
      case "type_switch_statement":
        for (const a of fieldOf(n, "alias")?.children ?? []) if (a.type === "identifier") this.b.declare(a.text, null);
        return;
      case "func_literal":
        for (const p of paramsOf(fieldOf(n, "parameters"))) if (p.name) this.b.declare(p.name, null);
        return;
      default:
        return;
    }
  }

  private onCall(call: GoNode): void {
    const m0 = methodCall(call);
    if (m0 && (m0.name === "Request" || m0.name === "Send") && this.onIngressCall(call, m0.name, m0.receiver)) return;
    const sdkFn = packageFunction(call, this.ex.sdk);
    if (sdkFn === "Sleep" || sdkFn === "After") {
      this.onSleep(call, sdkFn, argsOf(call)[1]);
      return;
    }
    // Before v0.11 the context had the methods: `ctx.Sleep(d)`, `ctx.After(d)`.
    const own = this.ctxMethod(call);
    if (own === "Sleep" || own === "After") {
      this.onSleep(call, own, argsOf(call)[0]);
      return;
    }
    if (sdkFn === "AttachInvocation") {
      this.attaches.push(call);
      return;
    }
    if (sdkFn) return;
    const m = methodCall(call);
    if (m && CLIENT_METHODS.has(m.name)) {
      const factory = this.factoryOf(m.receiver);
      if (factory) {
        this.onClientCall(call, m.name as GoCallDetail["method"], factory);
        return;
      }
    }
    this.onHelperCall(call, m);
  }

  /** `ingress.Service[I, O](c, "S", "h").Request(goCtx, in, opts...)`, the client in place or in a variable. */
  private onIngressCall(call: GoNode, method: "Request" | "Send", receiver: GoNode): boolean {
    let r = receiver;
    if (r.type === "identifier") {
      const bound = this.b.valueOf(r);
      if (!bound) return false;
      r = unparen(bound);
    }
    const name = packageFunction(r, this.ex.ingress);
    const factory = name ? own(FACTORIES, name) : undefined;
    if (!factory || !name) return false;
    const fargs = argsOf(r);
    const args = argsOf(call);
    const inputNode = args[1] && unparen(args[1]).type !== "variadic_argument" ? args[1] : null;
    const optionNodes = args.slice(inputNode ? 2 : 1).filter((a) => a !== args[0]);
    let readable = !args.some((a) => unparen(a).type === "variadic_argument");
    let idempotencyKeyNode: GoNode | null = null;
    for (const o of optionNodes) {
      const fn = packageFunction(unparen(o), this.ex.sdk) ?? packageFunction(unparen(o), this.ex.ingress);
      if (!fn || !fn.startsWith("With")) readable = false;
      else if (fn === "WithIdempotencyKey") idempotencyKeyNode = argsOf(unparen(o))[0] ?? null;
    }
    this.ex.file.ingress.push({
      method,
      node: call,
      factoryCall: r,
      factory: name,
      kind: factory.kind,
      service: this.ex.stringOf(fargs[1], this.b),
      handler: this.ex.stringOf(fargs[factory.keyed ? 3 : 2], this.b),
      keyNode: factory.keyed ? (fargs[2] ?? null) : null,
      inputNode,
      optionNodes,
      optionsReadable: readable,
      idempotencyKeyNode,
    });
    return true;
  }

  /** `restate.Object[O](ctx, …)` written in place or held in a variable. */
  private factoryOf(receiver: GoNode): { call: GoNode; name: string; factory: Factory } | null {
    let r = receiver;
    if (r.type === "identifier") {
      const bound = this.b.valueOf(r);
      if (!bound) return null;
      r = unparen(bound);
    }
    const name = packageFunction(r, this.ex.sdk);
    const factory = name ? own(FACTORIES, name) : undefined;
    return factory && name ? { call: r, name, factory } : null;
  }

  private onHelperCall(call: GoNode, m: { name: string; receiver: GoNode } | null): void {
    let target: FnInfo | undefined;
    if (m) {
      if (m.receiver.type === "identifier" && this.info.receiverType && m.receiver.text === this.info.receiverName) {
        target = this.ex.method(this.info.receiverType, m.name);
      }
    } else {
      const fn = fieldOf(call, "function");
      if (fn?.type === "identifier" && !this.b.isLocal(fn.text)) target = this.ex.topFunction(fn.text);
    }
    if (!target || target === this.info) return;
    const args = argsOf(call);
    const passesCtx = args.some((a, i) => {
      const n = unparen(a);
      if (n.type !== "identifier" || !this.info.ctxParams.has(n.text)) return false;
      return [...target.ctxParams.values()].some((p) => p.index === i);
    });
    if (passesCtx) this.info.helperCalls.push({ target });
  }

  private onClientCall(call: GoNode, method: GoCallDetail["method"], factory: { call: GoNode; name: string; factory: Factory }): void {
    const fargs = argsOf(factory.call);
    const keyed = factory.factory.keyed;
    const serviceNode = fargs[1];
    const keyNode = keyed ? (fargs[2] ?? null) : null;
    const handlerNode = fargs[keyed ? 3 : 2];
    const serviceName = this.ex.stringOf(serviceNode, this.b);
    const target: TargetRef = serviceName !== null ? { by: "name", serviceName } : { by: "unknown" };
    const args = argsOf(call);
    const inputNode = args[0] && unparen(args[0]).type !== "variadic_argument" ? args[0] : null;
    const optionNodes = inputNode ? args.slice(1) : args;
    const mode: CallMode = method === "Send" ? "send" : "request";
    const opts = this.optionsOf(optionNodes, mode);
    const usage: CallUsage = method === "Request" ? "awaited" : futureUsage(call, this.b, this.ex.sdk);
    const site: CallSite<GoNode> = {
      from: null,
      via: [],
      api: "generic",
      mode,
      targetKind: factory.factory.kind,
      target,
      targetNode: serviceNode,
      handler: this.ex.stringOf(handlerNode, this.b),
      key: keyed ? this.keyOf(keyNode ?? undefined) : null,
      input: inputNode ? this.inputOf(inputNode) : undefined,
      options: opts.options,
      usage,
      attached: false,
      timeout: method === "RequestFuture" && racedWithTimer(call, this.b, this.ex.sdk),
      inRun: this.insideRun(call),
      loc: toSourceLoc(call),
      node: call,
    };
    this.info.calls.push(site);
    if (mode === "send") this.sends.push({ call: site, node: call });
    this.ex.file.details.set(call, {
      method,
      methodCall: call,
      factoryCall: factory.call,
      factory: factory.name,
      inputNode,
      optionNodes,
      optionsReadable: opts.readable,
      delayNode: opts.delay,
      idempotencyKeyNode: opts.idempotencyKey,
      keyNode,
    });
  }

  private optionsOf(
    nodes: GoNode[],
    mode: CallMode,
  ): { options: CallOptions<GoNode>; readable: boolean; delay: GoNode | null; idempotencyKey: GoNode | null } {
    if (nodes.length === 0) return { options: { form: "none" }, readable: true, delay: null, idempotencyKey: null };
    let readable = true;
    let delay: GoNode | null = null;
    let idempotencyKey: GoNode | null = null;
    for (const n of nodes) {
      const fn = packageFunction(unparen(n), this.ex.sdk);
      if (!fn || !fn.startsWith("With")) {
        readable = false;
        continue;
      }
      const arg = argsOf(unparen(n))[0] ?? null;
      if (fn === "WithDelay") delay = arg;
      else if (fn === "WithIdempotencyKey") idempotencyKey = arg;
    }
    return {
      options: {
        form: readable ? (mode === "send" ? "rpc.sendOpts" : "rpc.opts") : "unknown",
        delay: delay?.text,
        idempotencyKey: idempotencyKey?.text,
        node: nodes[nodes.length - 1],
      },
      readable,
      delay,
      idempotencyKey,
    };
  }

  keyOf(node: GoNode | undefined, depth = 0): KeyExpr {
    if (!node) return { kind: "unknown", text: "" };
    const n = unparen(node);
    if (n.type === "call_expression") {
      if (packageFunction(n, this.ex.sdk) === "Key" || this.ctxMethod(n) === "Key") return { kind: "sameAsCaller" };
      if (isFreshKey(n, this.ex.sdk)) return { kind: "fresh" };
    }
    if (n.type === "identifier" && n.text === this.inputName && this.b.isStable(n.text)) return { kind: "input" };
    const literal = stringValue(n);
    if (literal !== null) return { kind: "literal", value: literal };
    if (n.type === "identifier" && depth < 3) {
      const bound = this.b.valueOf(n);
      if (bound && bound !== n) {
        const k = this.keyOf(bound, depth + 1);
        if (k.kind !== "unknown") return k;
      }
      // A constant of another file of the package.
      const constant = this.b.isLocal(n.text) ? null : this.ex.stringOf(n);
      if (constant !== null) return { kind: "literal", value: constant };
    }
    return { kind: "unknown", text: n.text };
  }

  private inputOf(node: GoNode): KeyExpr | undefined {
    const k = this.keyOf(node);
    return k.kind === "unknown" ? undefined : k;
  }

  /** `ctx.M(...)` on a parameter typed with a Restate context: `M`. */
  private ctxMethod(call: GoNode): string | null {
    const m = methodCall(call);
    return m && m.receiver.type === "identifier" && this.info.ctxParams.has(m.receiver.text) ? m.name : null;
  }

  private onSleep(call: GoNode, fn: "Sleep" | "After", arg: GoNode | undefined): void {
    this.info.sleeps.push({
      from: null,
      via: [],
      durationMs: arg ? durationMs(arg, this.b, this.ex.file.go) : null,
      durationText: arg?.text ?? "",
      usage: fn === "Sleep" ? "awaited" : futureUsage(call, this.b, this.ex.sdk),
      loc: toSourceLoc(call),
      node: call,
    });
  }

  insideRun(node: GoNode): boolean {
    if (this.runClosures.size === 0) return false;
    for (let p = node.parent; p && p !== this.info.fn; p = p.parent) if (this.runClosures.has(p)) return true;
    return false;
  }

  /**
   * A send is waited for when its invocation id reaches `restate.AttachInvocation(ctx, id)` and
   * that attachment's `Response()` is waited for.
   */
  private resolveAttachments(): void {
    if (this.sends.length === 0 || this.attaches.length === 0) return;
    const byNode = new Map<GoNode, CallSite<GoNode>>();
    const byVar = new Map<string, CallSite<GoNode>[]>();
    for (const s of this.sends) {
      byNode.set(s.node, s.call);
      const { parent, child } = valueParent(s.node);
      const v = declaredName(parent, child);
      if (v) byVar.set(v, [...(byVar.get(v) ?? []), s.call]);
    }
    for (const attach of this.attaches) {
      const usage = futureUsage(attach, this.b, this.ex.sdk);
      if (usage !== "awaited" && usage !== "stored-awaited" && usage !== "combined" && usage !== "returned") continue;
      let id = argsOf(attach)[1] ? unparen(argsOf(attach)[1]!) : null;
      if (id?.type === "identifier") id = this.b.valueOf(id);
      const m = id ? methodCall(unparen(id)) : null;
      if (m?.name !== "GetInvocationId") continue;
      const owner = m.receiver;
      const targets = owner.type === "identifier" ? (byVar.get(owner.text) ?? []) : [byNode.get(owner)];
      for (const t of targets) if (t) t.attached = true;
    }
  }
}

/** `restate.UUID(ctx).String()`, `restate.UUID(ctx)`, and v0.x `restate.Rand(ctx).UUID().String()`. */
export function isFreshKey(call: GoNode, sdk: string | null): boolean {
  let n = call;
  const m = methodCall(n);
  if (m?.name === "String") n = m.receiver;
  if (packageFunction(n, sdk) === "UUID") return true;
  const inner = methodCall(n);
  return inner?.name === "UUID" && packageFunction(inner.receiver, sdk) === "Rand";
}

/**
 * What the code does with a future (`RequestFuture`, `After`, `AttachInvocation`) or a send's
 * invocation: waits on it in place, keeps it and waits later, combines it, passes it on.
 */
export function futureUsage(node: GoNode, bindings: Bindings, sdk: string | null): CallUsage {
  const { parent, child } = valueParent(node);
  if (!parent) return "unknown";
  switch (parent.type) {
    case "selector_expression": {
      if (fieldOf(parent, "operand") !== child) return "unknown";
      const call = parent.parent;
      const name = fieldOf(parent, "field")?.text ?? "";
      return call?.type === "call_expression" && FUTURE_WAITS.has(name) ? "awaited" : "unknown";
    }
    case "expression_statement":
      return "floating";
    case "argument_list": {
      const call = parent.parent;
      return call && WAIT_FUNCTIONS.has(packageFunction(call, sdk) ?? "") ? "combined" : "passed";
    }
    case "expression_list": {
      if (parent.parent?.type === "return_statement") return "returned";
      const name = declaredName(parent, child);
      if (!name) return parent.field === "right" || parent.field === "value" ? "stored" : "unknown";
      let best: CallUsage = "stored";
      for (const ref of bindings.refs.get(name) ?? []) {
        if (ref === child) continue;
        const u = refUsage(ref, sdk);
        if (u && USAGE_RANK.indexOf(u) < USAGE_RANK.indexOf(best)) best = u;
      }
      return best;
    }
    default:
      return "unknown";
  }
}

function refUsage(ref: GoNode, sdk: string | null): CallUsage | null {
  const { parent, child } = valueParent(ref);
  if (!parent) return null;
  if (parent.type === "selector_expression" && fieldOf(parent, "operand") === child) {
    const name = fieldOf(parent, "field")?.text ?? "";
    return parent.parent?.type === "call_expression" && FUTURE_WAITS.has(name) ? "stored-awaited" : null;
  }
  if (parent.type === "argument_list") {
    const call = parent.parent;
    return call && WAIT_FUNCTIONS.has(packageFunction(call, sdk) ?? "") ? "combined" : "passed";
  }
  if (parent.type === "expression_list" && parent.parent?.type === "return_statement") return "returned";
  return null;
}

/** A `RequestFuture` raced against `restate.After(...)` in `WaitFirst`/`Select`: the caller can stop waiting. */
function racedWithTimer(call: GoNode, bindings: Bindings, sdk: string | null): boolean {
  const raceOf = (expr: GoNode): GoNode | null => {
    const { parent } = valueParent(expr);
    const race = parent?.type === "argument_list" ? parent.parent : null;
    const fn = race ? packageFunction(race, sdk) : null;
    return fn === "WaitFirst" || fn === "Select" ? race : null;
  };
  const races: GoNode[] = [];
  const direct = raceOf(call);
  if (direct) races.push(direct);
  const { parent, child } = valueParent(call);
  const name = declaredName(parent, child);
  if (name) for (const ref of bindings.refs.get(name) ?? []) if (ref !== child) {
    const r = raceOf(ref);
    if (r) races.push(r);
  }
  return races.some((race) =>
    argsOf(race).some((a) => {
      let n: GoNode | null = unparen(a);
      if (n.type === "identifier") n = bindings.valueOf(n);
      // Every argument of WaitFirst is a Restate future: an `After` there (also `ctx.After(d)` of older versions) is a timer.
      return !!n && (packageFunction(unparen(n), sdk) === "After" || methodCall(unparen(n))?.name === "After");
    }),
  );
}

const TIME_UNITS_NS: Record<string, number> = {
  Nanosecond: 1,
  Microsecond: 1e3,
  Millisecond: 1e6,
  Second: 1e9,
  Minute: 60e9,
  Hour: 3600e9,
};

/** A `time.Duration` in milliseconds when it is a constant expression (`5*time.Second`, `time.Hour * 24`). */
export function durationMs(node: GoNode, bindings: Bindings, imports: GoImports): number | null {
  const ns = durationNs(node, bindings, imports, 0);
  return ns === null ? null : ns / 1e6;
}

function durationNs(node: GoNode, bindings: Bindings, imports: GoImports, depth: number): number | null {
  if (depth > 6) return null;
  const n = unparen(node);
  switch (n.type) {
    case "int_literal":
    case "float_literal": {
      const v = Number(n.text.replace(/_/g, ""));
      return Number.isFinite(v) ? v : null;
    }
    case "selector_expression": {
      const operand = fieldOf(n, "operand");
      const field = fieldOf(n, "field")?.text ?? "";
      if (operand?.type === "identifier" && imports.byName.get(operand.text) === "time") {
        return own(TIME_UNITS_NS, field) ?? null;
      }
      return null;
    }
    case "binary_expression": {
      const l = fieldOf(n, "left");
      const r = fieldOf(n, "right");
      const a = l ? durationNs(l, bindings, imports, depth + 1) : null;
      const b = r ? durationNs(r, bindings, imports, depth + 1) : null;
      if (a === null || b === null) return null;
      return n.operator ? durationArithmetic(n.operator, a, b) : null;
    }
    case "call_expression":
    case "type_conversion_expression": {
      // time.Duration(n)
      const fn = fieldOf(n, "function") ?? fieldOf(n, "type");
      const parts = fn ? unparen(fn) : null;
      const isDuration =
        (parts?.type === "selector_expression" || parts?.type === "qualified_type") &&
        parts.children[0] &&
        imports.byName.get(parts.children[0].text) === "time" &&
        parts.children[1]?.text === "Duration";
      const arg = n.type === "call_expression" ? argsOf(n)[0] : fieldOf(n, "operand");
      return isDuration && arg ? durationNs(arg, bindings, imports, depth + 1) : null;
    }
    case "identifier": {
      const bound = bindings.valueOf(n);
      return bound && bound !== n ? durationNs(bound, bindings, imports, depth + 1) : null;
    }
    default:
      return null;
  }
}
