import { durationArithmetic } from "../model/arithmetic.js";
import type {
  CallApi,
  CallMode,
  CallOptions,
  CallSite,
  CallUsage,
  FileModel,
  HandlerKind,
  HandlerRef,
  KeyExpr,
  ServiceDef,
  ServiceKind,
  SleepSite,
  TargetRef,
} from "../model/types.js";
import { type GoNode, fieldOf, fieldsOf, selectorParts, stringValue, toSourceLoc, unparen, walkGo } from "./ast.js";
import {
  BUILDERS,
  FACTORIES,
  type Factory,
  type GoImports,
  HANDLER_WRAPPERS,
  argsOf,
  importsRestate,
  methodCall,
  packageFunction,
  readImports,
} from "./imports.js";
import { type GeneratedFacts, type ServerFacts, generatedFacts, isGenerated } from "./codegen.js";
import {
  type Binding,
  type Callee,
  type FileReach,
  MAX_HELPER_DEPTH,
  type PackageView,
  type ValueRef,
  localValues,
  onlyReturned,
  packageName,
  packageView,
  registrationsIn,
  structFields,
  valueOf,
} from "./package.js";
import { emptyFileModel } from "../model/empty-model.js";
import { own } from "../model/records.js";

export { argsOf, methodCall, packageFunction };

/** The context types of the SDK and the handler each one declares (restate-semantics §7). */
export const CONTEXT_TYPES: Record<string, { service: ServiceKind; handler: HandlerKind }> = {
  Context: { service: "service", handler: "service" },
  ObjectContext: { service: "object", handler: "exclusive" },
  ObjectSharedContext: { service: "object", handler: "shared" },
  WorkflowContext: { service: "workflow", handler: "workflow-run" },
  WorkflowSharedContext: { service: "workflow", handler: "workflow-shared" },
};

const CLIENT_METHODS = new Set(["Request", "RequestFuture", "Send"]);
/** Functions of the SDK that wait on several futures at once. */
export const WAIT_FUNCTIONS = new Set(["WaitFirst", "Wait", "WaitIter", "Select"]);
/** Methods that block on a future's result. */
export const FUTURE_WAITS = new Set(["Response", "Done", "Result"]);
export const RUN_FUNCTIONS = new Set(["Run", "RunVoid", "RunAsync"]);
/** Constants naming constants, followed this far. */
const MAX_NAME_FOLLOW = 4;

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
  /** Calls passing a context to a function this file does not declare, of this package or another one of the module. */
  externalCalls: Callee[];
  /** Methods called with a context on a value whose type is not known (an interface, a result we cannot follow). */
  unknownMethods: string[];
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

/** Where a client sends its calls, as the call that makes the client says. */
interface ClientTarget {
  /** `restate.Object[O](ctx, "X", key, "h")`, or a generated client's constructor `pb.NewXClient(ctx, key)`. */
  call: GoNode;
  /** `Object`, or the constructor's name. */
  name: string;
  api: CallApi;
  kind: ServiceKind | undefined;
  serviceNode: GoNode | undefined;
  service: string | null;
  handler: string | null;
  keyed: boolean;
  keyNode: GoNode | null;
  /** The client's method sends by itself (a workflow ingress client's `Submit`). */
  sends: boolean;
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
  /** The kinds of the handlers of other files whose helpers run here (`Service.handler` → kind). */
  reachedFrom: Map<string, HandlerKind>;
  root: GoNode;
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
/** The Restate context type (`Context`, `ObjectContext`, … or `RunContext`) a type node names. */
export function contextType(type: GoNode | null | undefined, restate: string | null): string | null {
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

/** The kinds a method's first parameter gives it, when that parameter is a handler's Restate context. */
function handlerContext(info: FnInfo, sdk: string | null): { service: ServiceKind; handler: HandlerKind } | null {
  const first = info.params[0];
  const ctx = first ? contextType(first.type, sdk) : null;
  return (ctx ? own(CONTEXT_TYPES, ctx) : undefined) ?? null;
}

/** `(ctx[, I]) ([O,] [error])`: the only signatures `restate.Reflect` accepts without panicking. */
function reflectableSignature(info: FnInfo): boolean {
  if (info.params.length > 2) return false;
  const result = fieldOf(info.fn, "result");
  if (!result) return true;
  if (result.type !== "parameter_list") return true;
  const types = paramsOf(result).map((p) => p.type?.text ?? "");
  return types.length < 2 || (types.length === 2 && types[1] === "error");
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
    ...emptyFileModel<GoNode>(file),
    usesRestate: importsRestate(root),
    go,
    functions: [],
    scopes: [],
    details: new Map(),
    ingress: [],
    runClosures: new Set(),
    reachedFrom: new Map(),
    root,
  };
  if (!go.restate && !go.ingress) return model;
  new Extractor(model, root, go.restate, go.ingress, pkg).run();
  return model;
}

/**
 * What a file passes contexts on to in other files, of its package or others: for each handler,
 * and for each function taking a context, and each function of this file it reaches (up to the
 * helper depth), the calls of functions this file does not declare, with the chain of helpers to
 * the called one. Read with a package view that gives no such facts itself: a file's reach is its own.
 */
export function helperReachOf(root: GoNode, file: string, pkg: PackageView): FileReach {
  const out: FileReach = { handlers: [], functions: new Map(), unknownMethods: [] };
  const go = readImports(root);
  if (!go.restate) return out;
  const model = extractGoModel(root, file, pkg);
  for (const scope of model.scopes) {
    if (!scope.from || scope.via.length >= MAX_HELPER_DEPTH || scope.info.externalCalls.length === 0) continue;
    const from = scope.from;
    const kind = model.services.find((s) => s.name === from.service)?.handlers.find((h) => h.name === from.handler)?.kind;
    if (!kind) continue;
    for (const c of scope.info.externalCalls) out.handlers.push({ from, fromKind: kind, via: [...scope.via, c.name], ...c });
  }
  for (const info of model.functions) {
    out.unknownMethods.push(...info.unknownMethods);
    if (info.ctxParams.size === 0 || info.fn.type === "func_literal") continue;
    const calls: (Callee & { via: string[] })[] = [];
    const queue: { info: FnInfo; via: string[] }[] = [{ info, via: [] }];
    const seen = new Set<FnInfo>();
    for (let i = 0; i < queue.length; i++) {
      const item = queue[i]!;
      if (seen.has(item.info)) continue;
      seen.add(item.info);
      for (const c of item.info.externalCalls) calls.push({ via: [...item.via, c.name], ...c });
      if (item.via.length + 1 >= MAX_HELPER_DEPTH) continue;
      for (const h of item.info.helperCalls) queue.push({ info: h.target, via: [...item.via, h.target.name] });
    }
    out.functions.set(info.name, { ctxParams: [...info.ctxParams.values()].map((p) => p.index), calls });
  }
  return out;
}

class Extractor {
  private readonly fileConsts = new Map<string, GoNode>();
  private readonly topFunctions = new Map<string, FnInfo>();
  private readonly methodsByType = new Map<string, Map<string, FnInfo>>();
  private readonly methodsByName = new Map<string, FnInfo[]>();
  private readonly infos = new Map<GoNode, FnInfo>();
  /** The file carries Go's mark of generated code. */
  private readonly generatedFile: boolean;

  constructor(
    private readonly model: GoFileModel,
    private readonly root: GoNode,
    private readonly restate: string | null,
    private readonly ingressPkg: string | null,
    private readonly pkg: PackageView,
  ) {
    this.generatedFile = isGenerated(root);
  }

  run(): void {
    this.collectTopLevel();
    this.collectTypeServices();
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
  /** The folder of the file's package, as its package view names it. */
  get packageDir(): string {
    return this.pkg.dir;
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

  private facts: GeneratedFacts | undefined;
  private ownFacts(): GeneratedFacts {
    return (this.facts ??= generatedFacts(this.root));
  }

  /**
   * The generated clients and servers a call names: `pkg.NewCounterClient` those of the package
   * imported as `pkg`, a plain `NewCounterClient` those of this package (this file and the others).
   * Null when the package has no generated code we can read.
   */
  generatedOf(pkgName: string | null): GeneratedFacts | null {
    if (pkgName === null) {
      const own = this.generatedFile ? this.ownFacts() : null;
      const others = this.pkg.generated(null);
      if (!own || !others) return own ?? others;
      return { clients: new Map([...others.clients, ...own.clients]), servers: new Map([...others.servers, ...own.servers]) };
    }
    const importPath = this.model.go.byName.get(pkgName);
    return importPath ? this.pkg.generated(importPath) : null;
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
      externalCalls: [],
      unknownMethods: [],
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
   * Types whose methods are handlers: those passed to `restate.Reflect` (service name from
   * `ServiceName()` or the type's name, the context parameter decides each handler's kind), and
   * those passed to a generated server's constructor (name and kinds from its registration).
   * Registrations are followed across the module (see `PackageView.registrations`); a type no
   * registration names is still a service when the module's registrations could not all be
   * followed, by the generated server whose methods it implements, else by `Reflect`'s rules.
   * Generated files implement nothing.
   */
  private collectTypeServices(): void {
    if (this.generatedFile || this.methodsByType.size === 0) return;
    const registered = this.pkg.registrations();
    const own = this.ownRegistrations();
    const anyBound = own.size > 0 || registered.types.size > 0;
    for (const [type, methods] of this.methodsByType) {
      if (![...methods.values()].some((m) => handlerContext(m, this.restate))) continue;
      const bindings = [...(own.get(type) ?? []), ...(registered.types.get(type) ?? [])];
      const seen = new Set<string>();
      for (const b of bindings) {
        const key = b.by === "server" ? b.server.service : "";
        if (seen.has(key)) continue;
        seen.add(key);
        if (b.by === "server") this.addServerService(methods, b.server);
        else this.addReflectService(type, methods);
      }
      if (bindings.length > 0) continue;
      const implemented = this.implementedServer(methods, registered.followed);
      if (implemented) this.addServerService(methods, implemented);
      else if (!anyBound && (!registered.complete || this.servedElsewhere(type, methods))) this.addReflectService(type, methods);
    }
  }

  /**
   * A type no registration of the module names, that has the shape of a service and is used as
   * none of the module's helpers: exported (another module, a snippet's reader, registers it),
   * in no test file, and no code passes a context to its handler methods (in this file, from
   * another file by its type, or to a method of that name on a value of a type not known).
   */
  private servedElsewhere(type: string, methods: Map<string, FnInfo>): boolean {
    if (!isExported(type) || this.model.file.endsWith("_test.go")) return false;
    const names = [...methods].filter(([name, info]) => isExported(name) && handlerContext(info, this.restate)).map(([name]) => name);
    if (names.length === 0) return false;
    const wanted = new Set(names);
    let calledHere = false;
    walkGo(this.root, (n) => {
      if (calledHere) return false;
      if (n.type !== "call_expression") return true;
      const m = methodCall(n);
      if (m && wanted.has(m.name) && argsOf(n).length > 0 && !(m.receiver.type === "identifier" && this.model.go.byName.has(m.receiver.text))) calledHere = true;
      return !calledHere;
    });
    return !calledHere && !this.pkg.calledWithContext(helperReachOf, type, names);
  }

  /**
   * This file's own registrations (its text may be newer than the disk's) of this package's types.
   * A test registers fakes of generated servers: one would stand for the real service in the
   * project's graph, which keeps one definition per name.
   */
  private ownRegistrations(): Map<string, Binding[]> {
    const out = new Map<string, Binding[]>();
    const test = this.model.file.endsWith("_test.go");
    const regs = registrationsIn(this.root, (importPath) => {
      if (test) return null;
      if (importPath === null) return this.generatedOf(null)?.servers ?? null;
      return this.pkg.generated(importPath)?.servers ?? null;
    });
    for (const r of regs) {
      const target = r.value ? this.pkg.resolve(r.value) : null;
      if (!target || target.dir !== this.pkg.dir) continue;
      out.set(target.type, [...(out.get(target.type) ?? []), r.server ? { by: "server", server: r.server } : { by: "reflect" }]);
    }
    return out;
  }

  /**
   * The generated server a type implements, when no followed registration names one: its methods
   * have the server's names, contexts and request types (`Add(ctx restate.ObjectContext, req
   * *pb.AddRequest)`). Test files implement none (their fakes stand in for the real thing).
   */
  private implementedServer(methods: Map<string, FnInfo>, followed: ReadonlySet<string>): ServerFacts | null {
    if (this.model.file.endsWith("_test.go")) return null;
    for (const [name, info] of methods) {
      const ctx = handlerContext(info, this.restate);
      let input = info.params[1]?.type ?? null;
      if (input?.type === "pointer_type") input = input.children[0] ?? null;
      if (!ctx || !input) continue;
      const pkgName = input.type === "qualified_type" ? (fieldOf(input, "package")?.text ?? null) : null;
      const request = input.type === "qualified_type" ? fieldOf(input, "name")?.text : input.type === "type_identifier" ? input.text : undefined;
      if (!request || (pkgName === null && input.type !== "type_identifier")) continue;
      for (const server of this.generatedOf(pkgName)?.servers.values() ?? []) {
        const h = server.handlers.get(name);
        if (h && h.request === request && h.kind === ctx.handler && !followed.has(server.service)) return server;
      }
    }
    return null;
  }

  /** The handlers of a generated service that a type of this file implements here. */
  private addServerService(methods: Map<string, FnInfo>, server: ServerFacts): void {
    const handlers: { info: FnInfo; name: string; kind: HandlerKind }[] = [];
    for (const [method, h] of server.handlers) {
      const info = methods.get(method);
      if (info) handlers.push({ info, name: h.handler, kind: h.kind });
    }
    this.addService(server.service, server.kind, handlers);
  }

  /**
   * `restate.Reflect(T{})`: T's exported methods whose first parameter is a Restate context. A
   * type `Reflect` panics on is no service: kinds mixed, two workflow runs, a handler with more
   * than one input or results other than `([O,] [error])` (restate-semantics §7).
   */
  private addReflectService(type: string, methods: Map<string, FnInfo>): void {
    const handlers: { info: FnInfo; name: string; kind: HandlerKind }[] = [];
    let serviceKind: ServiceKind | null = null;
    let runs = 0;
    for (const [name, info] of methods) {
      const ctx = isExported(name) && name !== "ServiceName" ? handlerContext(info, this.restate) : null;
      if (!ctx) continue;
      if ((serviceKind && ctx.service !== serviceKind) || !reflectableSignature(info)) return;
      serviceKind = ctx.service;
      if (ctx.handler === "workflow-run" && ++runs > 1) return;
      handlers.push({ info, name, kind: ctx.handler });
    }
    const named = methods.get("ServiceName");
    const name = named ? this.returnedString(named) : type;
    if (serviceKind && name !== null) this.addService(name, serviceKind, handlers);
  }

  private addService(name: string, kind: ServiceKind, handlers: { info: FnInfo; name: string; kind: HandlerKind }[]): void {
    if (handlers.length === 0) return;
    handlers.sort((a, b) => a.info.fn.range[0] - b.info.fn.range[0]);
    const first = handlers[0]!.info.fn;
    const service: ServiceDef<GoNode> = { name, kind, handlers: [], incomplete: false, localNames: [], loc: toSourceLoc(first), node: first };
    for (const h of handlers) {
      const at = fieldOf(h.info.fn, "name")!;
      service.handlers.push({ service: name, name: h.name, kind: h.kind, kindKnown: true, loc: toSourceLoc(at), node: h.info.fn });
      h.info.handler = { service: name, handler: h.name };
    }
    this.model.services.push(service);
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
    // A generated server constructor registers the methods of whatever it is given: the service is
    // defined where that is (see `collectTypeServices`).
    const generated = this.generatedFile ? new Set([...this.ownFacts().servers.values()].map((s) => s.service)) : null;
    for (const b of builders) {
      if (generated?.has(b.name)) continue;
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

  /**
   * A string literal, or a constant of one: local, of the file, of the package's other files, or
   * of another package of the module (`authservice.ServiceName`); or what the `ServiceName()`
   * method of a value's type returns (`a.ServiceName()`, `(pkg.T{}).ServiceName()`), `fn` being
   * the function the value is read in.
   */
  stringOf(node: GoNode | undefined, bindings?: Bindings, fn?: FnInfo, depth = 0): string | null {
    if (!node || depth > MAX_NAME_FOLLOW) return null;
    const direct = stringValue(node);
    if (direct !== null) return direct;
    const n = unparen(node);
    if (n.type === "identifier") {
      if (bindings?.isLocal(n.text)) {
        const bound = bindings.valueOf(n);
        return bound && bound !== n ? this.stringOf(bound, bindings, fn, depth + 1) : null;
      }
      const fileConst = this.fileConsts.get(n.text);
      if (fileConst) return this.stringOf(fileConst, undefined, undefined, depth + 1);
      return this.pkg.constant(n.text);
    }
    if (n.type === "selector_expression") {
      const operand = fieldOf(n, "operand");
      const importPath = operand?.type === "identifier" && !bindings?.isLocal(operand.text) ? this.model.go.byName.get(operand.text) : undefined;
      const name = fieldOf(n, "field")?.text;
      return importPath && name ? this.pkg.importedConstant(importPath, name) : null;
    }
    const m = n.type === "call_expression" ? methodCall(n) : null;
    return m?.name === "ServiceName" && argsOf(n).length === 0 ? this.serviceNameOf(m.receiver, fn) : null;
  }

  private readonly locals = new Map<GoNode, Map<string, GoNode | null>>();

  /** What each name of a function stands for: its one value, or a parameter's (and the receiver's) declared type. */
  private localsOf(fn: FnInfo | undefined): Map<string, GoNode | null> {
    if (!fn) return new Map();
    let locals = this.locals.get(fn.fn);
    if (!locals) {
      locals = localValues(fn.fn);
      for (const p of fn.params) if (p.name && locals.get(p.name) === null && fn.params.filter((q) => q.name === p.name).length === 1) locals.set(p.name, p.type);
      this.locals.set(fn.fn, locals);
    }
    return locals;
  }

  private ownFields: Map<string, ValueRef | null> | undefined;

  /**
   * The folder and type of a value, followed into the module's packages. A field of a struct of
   * this file is read from this tree, not from the disk (which may be older, and would be a
   * second parse).
   */
  private typeOf(value: ValueRef): { dir: string; type: string } | null {
    if (value.kind === "field" && value.of.kind === "type" && value.of.pkg === null) {
      if (!this.ownFields) {
        this.ownFields = new Map();
        for (const decl of this.root.children) if (decl.type === "type_declaration") structFields(decl, this.model.go.byName, this.ownFields);
      }
      const key = `${value.of.name}.${value.name}`;
      if (this.ownFields.has(key)) {
        const field = this.ownFields.get(key);
        return field ? this.pkg.resolve(field) : null;
      }
    }
    return this.pkg.resolve(value);
  }

  /**
   * The function a call `x.name(…)` of a function other than the receiver's own method runs:
   * `pkg.F` of an imported package of the module, or method `T.name` of the type `x` is (a
   * parameter's or a field's declared type, a value built in place or by a constructor). An
   * interface, or a type outside the module, runs code no one can tell.
   */
  calleeOf(receiver: GoNode, name: string, fn: FnInfo, bindings: Bindings): { dir: string; name: string; type: string | null } | null {
    if (this.isPackageName(receiver, bindings)) {
      const dir = this.pkg.folder(this.model.go.byName.get(receiver.text)!);
      return dir ? { dir, name, type: null } : null;
    }
    const value = valueOf(receiver, this.localsOf(fn), this.model.go.byName);
    const type = value ? this.typeOf(value) : null;
    return type ? { dir: type.dir, name: `${type.type}.${name}`, type: type.type } : null;
  }

  /** `pkg` in `pkg.F(…)`: the name of an imported package, not shadowed by a local. */
  isPackageName(node: GoNode, bindings: Bindings): boolean {
    return node.type === "identifier" && !bindings.isLocal(node.text) && this.model.go.byName.has(node.text);
  }

  /** What `x.ServiceName()` returns: x followed to its type (a parameter's declared type, a value built in place or by a constructor). */
  private serviceNameOf(receiver: GoNode, fn: FnInfo | undefined): string | null {
    const value = valueOf(receiver, this.localsOf(fn), this.model.go.byName);
    const type = value ? this.typeOf(value) : null;
    if (!type) return null;
    const own = type.dir === this.pkg.dir ? this.methodsByType.get(type.type)?.get("ServiceName") : undefined;
    return own ? this.returnedString(own) : this.pkg.serviceName(type);
  }

  /** The string a `ServiceName() string { return "X" }` method returns; null when it is not one constant. */
  private returnedString(info: FnInfo): string | null {
    const value = onlyReturned(info.fn);
    return value ? this.stringOf(value) : null;
  }

  /** Turns each function's sites into the model's, once per handler that reaches the function. */
  private emit(): void {
    const reach = new Map<FnInfo, { from: HandlerRef; via: string[] }[]>();
    const queue: { info: FnInfo; from: HandlerRef; via: string[] }[] = [];
    for (const info of this.infos.values()) if (info.handler) queue.push({ info, from: info.handler, via: [] });
    // Handlers of the package's other files that pass their context to a function of this file.
    if (this.infos.size > 0 && [...this.infos.values()].some((i) => i.ctxParams.size > 0)) {
      for (const r of this.pkg.helperReach(helperReachOf)) {
        if (r.dir !== this.pkg.dir) continue;
        const dot = r.name.indexOf(".");
        const target = dot < 0 ? this.topFunctions.get(r.name) : this.method(r.name.slice(0, dot), r.name.slice(dot + 1));
        if (target && [...target.ctxParams.values()].some((p) => r.ctxArgs.includes(p.index))) {
          queue.push({ info: target, from: r.from, via: r.via });
          this.model.reachedFrom.set(`${r.from.service}.${r.from.handler}`, r.fromKind);
        }
      }
    }
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

  /** The function has a Restate context parameter of its own. */
  private hasOwnContext = false;

  run(): void {
    const body = this.info.body;
    this.hasOwnContext = this.info.ctxParams.size > 0;
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
        for (const p of paramsOf(fieldOf(n, "parameters"))) {
          if (!p.name) continue;
          this.b.declare(p.name, null);
          // `step(ctx, func(stepCtx restate.ObjectContext) error { … })`: a literal of a function that
          // has the context can only be given that context (a run closure's is a RunContext).
          const t = this.hasOwnContext ? contextType(p.type, this.ex.sdk) : null;
          if (t && t !== "RunContext" && p.name !== "_" && !this.info.ctxParams.has(p.name)) this.info.ctxParams.set(p.name, { index: -1, type: t });
        }
        return;
      default:
        return;
    }
  }

  private onCall(call: GoNode): void {
    const m0 = methodCall(call);
    if (m0 && this.onIngressCall(call, m0.name, m0.receiver)) return;
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
    if (m0 && CLIENT_METHODS.has(m0.name)) {
      const target = this.factoryOf(m0.receiver) ?? this.generatedTarget(m0.receiver, false);
      if (target) {
        this.onClientCall(call, m0.name as GoCallDetail["method"], target);
        return;
      }
    }
    this.onHelperCall(call, m0);
  }

  /** A name declared once and never assigned stands for its value. */
  private bound(expr: GoNode): GoNode | null {
    const n = unparen(expr);
    if (n.type !== "identifier") return n;
    const value = this.b.valueOf(n);
    return value ? unparen(value) : null;
  }

  /**
   * An ingress call: `ingress.Service[I, O](c, "S", "h").Request(goCtx, in, opts...)`, a generated
   * ingress client's `pb.NewCounterIngressClient(c, key).Add().Request(goCtx, in)` or workflow
   * `Submit(goCtx, in)`; each client in place or in a variable.
   */
  private onIngressCall(call: GoNode, method: string, receiver: GoNode): boolean {
    let target: ClientTarget | null = null;
    let mode: "Request" | "Send";
    const submits = this.generatedMethod(receiver, method, true);
    if (submits?.sends) {
      target = submits;
      mode = "Send";
    } else if (method === "Request" || method === "Send") {
      mode = method;
      const r = this.bound(receiver);
      const name = r ? packageFunction(r, this.ex.ingress) : null;
      const factory = name ? own(FACTORIES, name) : undefined;
      target = factory && name ? this.sdkTarget(r!, name, factory) : this.generatedTarget(receiver, true);
    } else return false;
    if (!target || target.sends !== (target === submits)) return false;
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
      method: mode,
      node: call,
      factoryCall: target.call,
      factory: target.name,
      kind: target.kind ?? "service",
      service: target.service,
      handler: target.handler,
      keyNode: target.keyNode,
      inputNode,
      optionNodes,
      optionsReadable: readable,
      idempotencyKeyNode,
    });
    return true;
  }

  /** `restate.Object[O](ctx, …)` written in place or held in a variable. */
  private factoryOf(receiver: GoNode): ClientTarget | null {
    const r = this.bound(receiver);
    const name = r ? packageFunction(r, this.ex.sdk) : null;
    const factory = name ? own(FACTORIES, name) : undefined;
    return factory && name ? this.sdkTarget(r!, name, factory) : null;
  }

  /** The target as the SDK's client functions name it: `(ctx, "Svc", key, "handler")` (the ingress's take the client first, too). */
  private sdkTarget(call: GoNode, name: string, factory: Factory): ClientTarget {
    const args = argsOf(call);
    return {
      call,
      name,
      api: "generic",
      kind: factory.kind,
      serviceNode: args[1],
      service: this.ex.stringOf(args[1], this.b, this.info),
      handler: this.ex.stringOf(args[factory.keyed ? 3 : 2], this.b, this.info),
      keyed: factory.keyed,
      keyNode: factory.keyed ? (args[2] ?? null) : null,
      sends: false,
    };
  }

  /** The method of a generated client a request is made on: `pb.NewCounterClient(ctx, key).Add()`, each part in place or in a variable. */
  private generatedTarget(receiver: GoNode, ingress: boolean): ClientTarget | null {
    const r = this.bound(receiver);
    const m = r ? methodCall(r) : null;
    return m ? this.generatedMethod(m.receiver, m.name, ingress) : null;
  }

  /**
   * Method `method` of the client a generated constructor returns, with the target its file
   * spells out. When the package has no generated code to read (not generated yet, or outside
   * the module), a client made from the handler's context still is a Restate call, to a target
   * no one can tell.
   */
  private generatedMethod(client: GoNode, method: string, ingress: boolean): ClientTarget | null {
    const ctor = this.bound(client);
    if (ctor?.type !== "call_expression") return null;
    const fn = fieldOf(ctor, "function");
    const parts = selectorParts(fn);
    let pkgName: string | null = null;
    let name: string;
    if (fn?.type === "identifier" && !this.b.isLocal(fn.text)) name = fn.text;
    else if (parts && !this.b.isLocal(parts[0]) && this.ex.file.go.byName.has(parts[0])) [pkgName, name] = parts;
    else return null;
    const facts = this.ex.generatedOf(pkgName);
    const c = facts?.clients.get(name);
    const args = argsOf(ctor);
    if (c) {
      const target = c.ingress === ingress ? c.methods.get(method) : undefined;
      if (!target) return null;
      return {
        call: ctor,
        name,
        api: "typed",
        kind: target.kind,
        serviceNode: fn,
        service: target.service,
        handler: target.handler,
        keyed: c.keyParam !== null,
        keyNode: c.keyParam !== null ? (args[c.keyParam] ?? null) : null,
        sends: target.sends,
      };
    }
    const first = args[0] ? unparen(args[0]) : null;
    if (facts || ingress || pkgName === null || first?.type !== "identifier" || !this.info.ctxParams.has(first.text)) return null;
    return { call: ctor, name, api: "typed", kind: undefined, serviceNode: fn, service: null, handler: null, keyed: false, keyNode: null, sends: false };
  }

  private onHelperCall(call: GoNode, m: { name: string; receiver: GoNode } | null): void {
    const args = argsOf(call);
    const ctxArgs: number[] = [];
    args.forEach((a, i) => {
      const n = unparen(a);
      if (n.type === "identifier" && this.info.ctxParams.has(n.text)) ctxArgs.push(i);
    });
    if (ctxArgs.length === 0) return;
    let target: FnInfo | undefined;
    // The function the call runs when this file does not declare it: `F` or `T.m` in a package's folder.
    let external: { dir: string; name: string } | null = null;
    const here = this.ex.packageDir;
    if (m) {
      if (m.receiver.type === "identifier" && this.info.receiverType && m.receiver.text === this.info.receiverName) {
        target = this.ex.method(this.info.receiverType, m.name);
        external = { dir: here, name: `${this.info.receiverType}.${m.name}` };
      } else {
        const callee = this.ex.calleeOf(m.receiver, m.name, this.info, this.b);
        if (callee?.dir === here) target = callee.type ? this.ex.method(callee.type, m.name) : this.ex.topFunction(m.name);
        if (callee) external = { dir: callee.dir, name: callee.name };
        else if (!this.ex.isPackageName(m.receiver, this.b)) this.info.unknownMethods.push(m.name);
      }
    } else {
      const fn = fieldOf(call, "function");
      if (fn?.type === "identifier" && !this.b.isLocal(fn.text)) {
        target = this.ex.topFunction(fn.text);
        external = { dir: here, name: fn.text };
      }
    }
    if (target === this.info) return;
    if (!target) {
      if (external) this.info.externalCalls.push({ ...external, ctxArgs });
      return;
    }
    const passesCtx = args.some((a, i) => {
      const n = unparen(a);
      if (n.type !== "identifier" || !this.info.ctxParams.has(n.text)) return false;
      return [...target.ctxParams.values()].some((p) => p.index === i);
    });
    if (passesCtx) this.info.helperCalls.push({ target });
  }

  private onClientCall(call: GoNode, method: GoCallDetail["method"], client: ClientTarget): void {
    const target: TargetRef = client.service !== null ? { by: "name", serviceName: client.service } : { by: "unknown" };
    const args = argsOf(call);
    const inputNode = args[0] && unparen(args[0]).type !== "variadic_argument" ? args[0] : null;
    const optionNodes = inputNode ? args.slice(1) : args;
    const mode: CallMode = method === "Send" ? "send" : "request";
    const opts = this.optionsOf(optionNodes, mode);
    const usage: CallUsage = method === "Request" ? "awaited" : futureUsage(call, this.b, this.ex.sdk);
    const site: CallSite<GoNode> = {
      from: null,
      via: [],
      api: client.api,
      mode,
      targetKind: client.kind,
      target,
      targetNode: client.serviceNode,
      handler: client.handler,
      key: client.keyed ? this.keyOf(client.keyNode ?? undefined) : null,
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
      factoryCall: client.call,
      factory: client.name,
      inputNode,
      optionNodes,
      optionsReadable: opts.readable,
      delayNode: opts.delay,
      idempotencyKeyNode: opts.idempotencyKey,
      keyNode: client.keyNode,
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
    // A constant of another package (`orders.DefaultKey`).
    const imported = n.type === "selector_expression" ? this.ex.stringOf(n, this.b, this.info) : null;
    if (imported !== null) return { kind: "literal", value: imported };
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
      if (call && WAIT_FUNCTIONS.has(packageFunction(call, sdk) ?? "")) return "combined";
      const slice = call ? appendedTo(call, child) : null;
      return (slice && elementUsage(slice, bindings, sdk)) || "passed";
    }
    case "expression_list": {
      if (parent.parent?.type === "return_statement") return "returned";
      const name = declaredName(parent, child);
      if (!name) {
        const slice = elementWritten(parent, child);
        if (slice) return elementUsage(slice, bindings, sdk) ?? "stored";
        return parent.field === "right" || parent.field === "value" ? "stored" : "unknown";
      }
      let best: CallUsage = "stored";
      for (const ref of bindings.refs.get(name) ?? []) {
        if (ref === child) continue;
        const u = refUsage(ref, sdk, bindings);
        if (u && USAGE_RANK.indexOf(u) < USAGE_RANK.indexOf(best)) best = u;
      }
      return best;
    }
    default:
      return "unknown";
  }
}

function refUsage(ref: GoNode, sdk: string | null, bindings?: Bindings): CallUsage | null {
  const { parent, child } = valueParent(ref);
  if (!parent) return null;
  if (parent.type === "selector_expression" && fieldOf(parent, "operand") === child) {
    const name = fieldOf(parent, "field")?.text ?? "";
    return parent.parent?.type === "call_expression" && FUTURE_WAITS.has(name) ? "stored-awaited" : null;
  }
  if (parent.type === "argument_list") {
    const call = parent.parent;
    if (call && WAIT_FUNCTIONS.has(packageFunction(call, sdk) ?? "")) return "combined";
    const slice = call && bindings ? appendedTo(call, child) : null;
    return (slice && bindings && elementUsage(slice, bindings, sdk)) || "passed";
  }
  if (parent.type === "expression_list" && parent.parent?.type === "return_statement") return "returned";
  if (parent.type === "expression_list" && bindings) {
    const slice = elementWritten(parent, child);
    if (slice) return elementUsage(slice, bindings, sdk);
  }
  return null;
}

/** `futures[i] = value`: the slice (or map) named `futures` the value is written into. */
function elementWritten(list: GoNode, child: GoNode): string | null {
  const holder = list.parent;
  if (holder?.type !== "assignment_statement" || list.field !== "right") return null;
  const left = fieldOf(holder, "left")?.children ?? [];
  if (left.length !== list.children.length) return null;
  const target = left[list.children.indexOf(child)];
  const operand = target?.type === "index_expression" ? fieldOf(target, "operand") : undefined;
  return operand?.type === "identifier" ? operand.text : null;
}

/** `futures = append(futures, value)`: the slice the value is appended to. */
function appendedTo(call: GoNode, child: GoNode): string | null {
  const fn = fieldOf(call, "function");
  const args = argsOf(call);
  const first = args[0] ? unparen(args[0]) : null;
  if (fn?.type !== "identifier" || fn.text !== "append" || first?.type !== "identifier" || args[0] === child) return null;
  const { parent } = valueParent(call);
  const holder = parent?.type === "expression_list" && parent.field === "right" ? parent.parent : null;
  const target = holder?.type === "assignment_statement" ? fieldOf(holder, "left")?.children[parent!.children.indexOf(valueParent(call).child)] : undefined;
  return target?.type === "identifier" && target.text === first.text ? first.text : null;
}

/**
 * How the futures kept in a slice are waited on: each one's `Response()` in a `range` loop over
 * it or by index (`futures[i].Response()`), or all of them at once (`restate.Wait(ctx,
 * futures...)`). Null when the slice is not read so.
 */
function elementUsage(slice: string, bindings: Bindings, sdk: string | null): CallUsage | null {
  let best: CallUsage | null = null;
  const better = (u: CallUsage | null) => {
    if (u && (best === null || USAGE_RANK.indexOf(u) < USAGE_RANK.indexOf(best))) best = u;
  };
  for (const ref of bindings.refs.get(slice) ?? []) {
    const { parent, child } = valueParent(ref);
    if (parent?.type === "range_clause" && fieldOf(parent, "right") === child) {
      const left = fieldOf(parent, "left")?.children ?? [];
      const value = left.length === 2 ? left[1] : undefined;
      if (value?.type !== "identifier" || value.text === "_") continue;
      for (const r of bindings.refs.get(value.text) ?? []) {
        if (r === value) continue;
        const u = refUsage(r, sdk);
        if (u === "stored-awaited" || u === "combined") better(u);
      }
    } else if (parent?.type === "index_expression" && fieldOf(parent, "operand") === child) {
      const u = refUsage(parent, sdk);
      if (u === "stored-awaited" || u === "combined") better(u);
    } else if (parent?.type === "variadic_argument") {
      const call = parent.parent?.type === "argument_list" ? parent.parent.parent : null;
      if (call && WAIT_FUNCTIONS.has(packageFunction(call, sdk) ?? "")) better("combined");
    }
  }
  return best;
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
