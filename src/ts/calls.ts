import { durationArithmetic } from "../model/arithmetic.js";
import type { TSESTree } from "@typescript-eslint/typescript-estree";
import type {
  CallApi,
  CallMode,
  CallOptions,
  CallSite,
  HandlerRef,
  KeyExpr,
  ServiceKind,
  SleepSite,
  TargetRef,
} from "../model/types.js";
import {
  type FunctionNode,
  type Node,
  isFunction,
  memberName,
  objectProperty,
  paramName,
  parentOf,
  propertyName,
  staticString,
  toLoc,
  unwrap,
  visitListed,
  walk,
} from "./ast.js";
import { type FileContext, bindingOf, declarationScope, lookupBinding, resolveLocal, sdkPath } from "./file-context.js";
import { constantName, constantTarget } from "./definitions.js";
import { classifyUsage } from "./usage.js";
import { own } from "../model/records.js";

interface Factory {
  mode: CallMode;
  api: CallApi;
  targetKind?: ServiceKind;
  hasKey: boolean | "optional";
}

const FACTORIES: Record<string, Factory> = {
  serviceClient: { mode: "request", api: "typed", targetKind: "service", hasKey: false },
  objectClient: { mode: "request", api: "typed", targetKind: "object", hasKey: true },
  workflowClient: { mode: "request", api: "typed", targetKind: "workflow", hasKey: true },
  serviceSendClient: { mode: "send", api: "typed", targetKind: "service", hasKey: false },
  objectSendClient: { mode: "send", api: "typed", targetKind: "object", hasKey: true },
  workflowSendClient: { mode: "send", api: "typed", targetKind: "workflow", hasKey: true },
  client: { mode: "request", api: "descriptor", hasKey: "optional" },
  sendClient: { mode: "send", api: "descriptor", hasKey: "optional" },
};

/** Option names that `rpc.opts`/`rpc.sendOpts` accept; a plain object of only these is misplaced options. */
const OPTION_KEYS = new Set(["idempotencyKey", "headers", "delay", "input", "output", "name", "limitKey"]);
const DISTINCT_OPTION_KEYS = new Set(["idempotencyKey", "headers", "delay", "limitKey"]);
const FRESH_KEY_CALLS = new Set(["uuidv4"]);

/** One function analysed as (part of) a handler: the handler, or a helper it passes `ctx` to. */
export interface HandlerScope<N = Node> {
  from: HandlerRef | null;
  via: string[];
  fn: N;
  ctxName: string;
}

export interface CallFacts {
  calls: CallSite<Node>[];
  sleeps: SleepSite<Node>[];
  scopes: HandlerScope[];
}

/** A client created by a factory: `ctx.objectClient(Counter, key)`. */
interface ClientInfo {
  factory: Factory;
  factoryCall: TSESTree.CallExpression;
  target: TargetRef;
  targetNode: Node | undefined;
  key: KeyExpr | null;
  legacyOptions: Node | null;
}

const MAX_HELPER_DEPTH = 3;

export class CallAnalyzer {
  readonly facts: CallFacts = { calls: [], sleeps: [], scopes: [] };
  private readonly seen = new Set<string>();
  private readonly analysedFns = new Set<Node>();

  constructor(
    private readonly fc: FileContext,
    private readonly localDefinitions: Map<string, string | null>,
    private readonly descriptorNames: Map<string, string>,
  ) {}

  /** Analyses a handler (or, with `from` null, any function that receives a Restate context). */
  analyse(fn: FunctionNode, ctxIndex: number, from: HandlerRef | null, via: string[] = [], depth = 0): void {
    const ctxName = paramName(fn.params[ctxIndex] as Node | undefined);
    if (!ctxName) return;
    const visitKey = `${from ? `${from.service}.${from.handler}` : ""}|${fn.range[0]}|${ctxIndex}`;
    if (this.seen.has(visitKey)) return;
    this.seen.add(visitKey);
    this.analysedFns.add(fn);
    this.facts.scopes.push({ from, via, fn, ctxName });
    new FunctionWalk(this, fn, ctxName, from, via, depth).run();
  }

  wasAnalysed(fn: Node): boolean {
    return this.analysedFns.has(fn);
  }

  // Shared with FunctionWalk.
  get file(): FileContext {
    return this.fc;
  }
  targetOf(node: Node | undefined): TargetRef {
    return classifyTarget(this.fc, node, this.localDefinitions, this.descriptorNames);
  }
  descriptorKind(node: Node | undefined): ServiceKind | undefined {
    if (!node) return undefined;
    const n = unwrap(node);
    if (n.type !== "Identifier") return undefined;
    const local = resolveLocal(this.fc, n);
    if (local?.type !== "CallExpression") return undefined;
    const path = sdkPath(this.fc, local.callee);
    if (path === "iface.object") return "object";
    if (path === "iface.workflow") return "workflow";
    if (path === "iface.service") return "service";
    return undefined;
  }
}

/**
 * Facts about local variables (`const k = ctx.key`, `const c = ctx.objectClient(...)`), keyed by
 * the declaration, so a parameter or inner variable with the same name is not mistaken for them.
 */
class LocalFacts<T> {
  private readonly byName = new Map<string, Map<Node, T>>();

  constructor(private readonly fc: FileContext) {}

  set(decl: TSESTree.VariableDeclarator, name: string, value: T): void {
    const scope = declarationScope(decl);
    if (!scope) return;
    let scopes = this.byName.get(name);
    if (!scopes) this.byName.set(name, (scopes = new Map()));
    scopes.set(scope, value);
  }

  get(node: Node): T | undefined {
    if (node.type !== "Identifier") return undefined;
    const scopes = this.byName.get(node.name);
    if (!scopes) return undefined;
    const binding = lookupBinding(this.fc, node);
    return binding ? scopes.get(binding.scope) : undefined;
  }
}

class FunctionWalk {
  private readonly clients: LocalFacts<ClientInfo>;
  private readonly keyAliases: LocalFacts<true>;
  private readonly freshAliases: LocalFacts<true>;
  /** `const scoped = ctx.scope(s)`: client factories on it are ctx's. */
  private readonly scopeAliases: LocalFacts<true>;
  private readonly runClosures = new Set<Node>();
  /** Sends and attach calls, matched once after the walk (see `resolveAttachments`). */
  private readonly sends: CallSite<Node>[] = [];
  private readonly attachCalls: { call: TSESTree.CallExpression; id: Node }[] = [];
  /** `const id = await handle.invocationId`: variable → its initializer. */
  private readonly invocationIdVars: LocalFacts<Node>;
  /** The handler's own input parameter (helpers receive other arguments, so none there). */
  private readonly inputName: string | null;

  constructor(
    private readonly analyzer: CallAnalyzer,
    private readonly fn: FunctionNode,
    private readonly ctxName: string,
    private readonly from: HandlerRef | null,
    private readonly via: string[],
    private readonly depth: number,
  ) {
    this.inputName = depth === 0 && from ? paramName(fn.params[1] as Node | undefined) : null;
    const fc = analyzer.file;
    this.clients = new LocalFacts(fc);
    this.keyAliases = new LocalFacts(fc);
    this.freshAliases = new LocalFacts(fc);
    this.scopeAliases = new LocalFacts(fc);
    this.invocationIdVars = new LocalFacts(fc);
  }

  run(): void {
    const visit = (node: Node): boolean => {
      if (node !== this.fn.body && isFunction(node) && this.shadowsCtx(node)) return false;
      if (node.type === "VariableDeclarator") this.onDeclarator(node);
      else if (node.type === "CallExpression") this.onCall(node);
      return true;
    };
    const nodes = this.analyzer.file.nodes;
    // A call can enclose a function or a declarator starting at its own offset, never the reverse.
    if (nodes) visitListed(this.fn.body, [nodes.calls, nodes.functions, nodes.declarators], visit);
    else walk(this.fn.body, visit);
    this.resolveAttachments();
  }

  private shadowsCtx(fn: FunctionNode): boolean {
    return fn.params.some((p) => paramName(p as Node) === this.ctxName);
  }

  private isCtx(node: Node): boolean {
    const n = unwrap(node);
    return n.type === "Identifier" && n.name === this.ctxName;
  }

  private onDeclarator(decl: TSESTree.VariableDeclarator): void {
    if (!decl.init) return;
    const init = unwrap(decl.init);
    if (decl.id.type === "ObjectPattern") {
      // const { key } = ctx;  const { key: id } = ctx;
      if (!this.isCtx(init)) return;
      for (const p of decl.id.properties) {
        if (p.type === "Property" && propertyName(p.key, p.computed) === "key" && p.value.type === "Identifier") {
          this.keyAliases.set(decl, p.value.name, true);
        }
      }
      return;
    }
    if (decl.id.type !== "Identifier") return;
    const name = decl.id.name;
    if (init.type === "MemberExpression" && this.isCtx(init.object) && memberName(init) === "key") {
      this.keyAliases.set(decl, name, true);
      return;
    }
    if (this.isFreshKey(init)) {
      this.freshAliases.set(decl, name, true);
      return;
    }
    if (isInvocationIdRead(init)) this.invocationIdVars.set(decl, name, init);
    if (init.type === "CallExpression") {
      if (this.isScopeCall(init)) {
        this.scopeAliases.set(decl, name, true);
        return;
      }
      const client = this.clientOf(init);
      if (client) this.clients.set(decl, name, client);
    }
  }

  /** `ctx.scope(s)`. */
  private isScopeCall(call: TSESTree.CallExpression): boolean {
    const callee = unwrap(call.callee);
    return callee.type === "MemberExpression" && memberName(callee) === "scope" && this.isCtx(callee.object);
  }

  private onCall(call: TSESTree.CallExpression): void {
    const callee = unwrap(call.callee);
    const attachId = this.attachArgument(call);
    if (attachId) this.attachCalls.push({ call, id: attachId });
    if (callee.type === "MemberExpression") {
      const method = memberName(callee);
      const obj = unwrap(callee.object);
      if (this.isCtx(obj)) {
        if (method === "genericCall" || method === "genericSend") this.onGeneric(call, method);
        else if (method === "sleep") this.onSleep(call);
        else if (method === "run") this.onRun(call);
        return;
      }
      // A computed method on a client is still a call; its handler is unknown (null).
      const handler = method ?? this.computedName(callee);
      if (obj.type === "CallExpression") {
        const client = this.clientOf(obj);
        if (client) this.onTypedCall(call, client, handler);
        return;
      }
      const stored = this.clients.get(obj);
      if (stored) {
        this.onTypedCall(call, stored, handler);
        return;
      }
      if (obj.type === "ThisExpression" && method) this.onHelperCall(call, method, this.thisMethod(method));
      return;
    }
    if (callee.type === "Identifier") {
      const bound = resolveLocal(this.analyzer.file, callee);
      if (isFunction(bound)) this.onHelperCall(call, callee.name, bound);
    }
  }

  /** `this.other(ctx, x)` inside a handler map calls the map's own function, not Restate. */
  private thisMethod(name: string): FunctionNode | null {
    let p: Node | undefined = this.fn;
    while (p && p.type !== "ObjectExpression") p = (p as { parent?: Node }).parent;
    if (!p) return null;
    const prop = objectProperty(p, name);
    const v = prop ? unwrap(prop.value as Node) : null;
    return isFunction(v) ? v : null;
  }

  private onHelperCall(call: TSESTree.CallExpression, name: string, helper: FunctionNode | null): void {
    if (!helper || this.depth >= MAX_HELPER_DEPTH) return;
    const index = call.arguments.findIndex((a) => this.isCtx(a as Node));
    if (index < 0) return;
    this.analyzer.analyse(helper, index, this.from, [...this.via, name], this.depth + 1);
  }

  /** A target named by a string, with the definition its `typeof` type argument names (which of two definitions of a name it is). */
  private pinned(target: TargetRef, call: TSESTree.CallExpression): TargetRef {
    const typeArg = call.typeArguments?.params[0];
    if (target.by !== "name" || typeArg?.type !== "TSTypeQuery" || typeArg.exprName.type !== "Identifier") return target;
    const typeImport = own(this.analyzer.file.typeImports, typeArg.exprName.name);
    const pin: TargetRef = typeImport ? { by: "import", ref: typeImport } : this.analyzer.targetOf(typeArg.exprName as Node);
    return pin.by === "local" || pin.by === "import" ? { ...target, pin } : target;
  }

  /** `ctx.objectClient(X, key)`, also through `ctx.scope(s)`. */
  private clientOf(call: TSESTree.CallExpression): ClientInfo | null {
    const callee = unwrap(call.callee);
    if (callee.type !== "MemberExpression") return null;
    const factoryName = memberName(callee);
    const factory = factoryName ? own(FACTORIES, factoryName) : undefined;
    if (!factory) return null;
    const receiver = unwrap(callee.object);
    const onCtx =
      this.isCtx(receiver) ||
      (receiver.type === "CallExpression" && this.isScopeCall(receiver)) ||
      this.scopeAliases.get(receiver) === true;
    if (!onCtx) return null;
    const args = call.arguments as Node[];
    let targetKind = factory.targetKind;
    if (factory.api === "descriptor") targetKind = this.analyzer.descriptorKind(args[0]);
    const keyed = factory.hasKey === true || (factory.hasKey === "optional" && args.length > 1);
    const key = keyed ? this.keyOf(args[1]) : null;
    const legacyIndex = keyed ? 2 : 1;
    const legacy = factory.api === "typed" && factory.mode === "send" ? (args[legacyIndex] ?? null) : null;
    return {
      factory: { ...factory, targetKind },
      factoryCall: call,
      target: this.pinned(this.analyzer.targetOf(args[0]), call),
      targetNode: args[0],
      key,
      // Only `{ delay }` was ever a factory option (SDK < 1.12).
      legacyOptions: legacy && objectProperty(unwrap(legacy), "delay") ? legacy : null,
    };
  }

  private keyOf(node: Node | undefined): KeyExpr {
    if (!node) return { kind: "unknown", text: "" };
    const n = unwrap(node);
    const text = this.text(n);
    if (n.type === "MemberExpression" && this.isCtx(n.object) && memberName(n) === "key") return { kind: "sameAsCaller" };
    if (this.keyAliases.get(n)) return { kind: "sameAsCaller" };
    if (this.freshAliases.get(n)) return { kind: "fresh" };
    // The handler's parameter itself, not an inner variable or callback parameter of the same name.
    if (n.type === "Identifier" && n.name === this.inputName && lookupBinding(this.analyzer.file, n)?.scope === this.fn) {
      return { kind: "input" };
    }
    if (this.isFreshKey(n)) return { kind: "fresh" };
    const literal = staticString(n);
    if (literal !== null) return { kind: "literal", value: literal };
    if (n.type === "Identifier") {
      const bound = resolveLocal(this.analyzer.file, n);
      const value = staticString(bound);
      if (value !== null && bound && isConstBinding(bound)) return { kind: "literal", value };
    }
    return { kind: "unknown", text };
  }

  /** A call's input when it carries a key we can follow; plain data gives undefined. */
  private inputOf(node: Node): KeyExpr | undefined {
    const k = this.keyOf(node);
    return k.kind === "unknown" ? undefined : k;
  }

  /** `ctx.rand.uuidv4()`: deterministic per invocation, and equal to no other key. */
  private isFreshKey(node: Node): boolean {
    if (node.type !== "CallExpression") return false;
    const callee = unwrap(node.callee);
    if (callee.type !== "MemberExpression" || !FRESH_KEY_CALLS.has(memberName(callee) ?? "")) return false;
    const rand = unwrap(callee.object);
    return rand.type === "MemberExpression" && memberName(rand) === "rand" && this.isCtx(rand.object);
  }

  private text(node: Node): string {
    return this.analyzer.file.text.slice(node.range[0], node.range[1]);
  }

  /** `client[NAME](...)` with `const NAME = "add"`. */
  private computedName(member: TSESTree.MemberExpression): string | null {
    if (!member.computed) return null;
    return staticString(resolveLocal(this.analyzer.file, member.property));
  }

  private onTypedCall(call: TSESTree.CallExpression, client: ClientInfo, method: string | null): void {
    const usage = classifyUsage(call);
    const options = client.legacyOptions
      ? legacyOptionsOf(client.legacyOptions, (n) => this.text(n))
      : typedOptionsOf(this.analyzer.file, call.arguments as Node[], (n) => this.text(n));
    const first = call.arguments[0] as Node | undefined;
    this.push({
      input: first && first !== options.node ? this.inputOf(first) : undefined,
      api: client.factory.api,
      mode: client.factory.mode,
      targetKind: client.factory.targetKind,
      target: client.target,
      targetNode: client.targetNode,
      handler: method,
      key: client.key,
      options,
      usage: usage.usage,
      timeout: usage.timeout,
      node: call,
    });
  }

  private onGeneric(call: TSESTree.CallExpression, method: "genericCall" | "genericSend"): void {
    const arg = call.arguments[0] ? unwrap(call.arguments[0] as Node) : null;
    const spec = arg?.type === "ObjectExpression" ? arg : null;
    const serviceNode = spec ? (objectProperty(spec, "service")?.value as Node | undefined) : undefined;
    const service = serviceNode ? constantName(this.analyzer.file, serviceNode) : null;
    const handler = spec ? staticString(objectProperty(spec, "method")?.value as Node | undefined) : null;
    const keyProp = spec ? objectProperty(spec, "key") : null;
    const delay = spec ? objectProperty(spec, "delay") : null;
    const idem = spec ? objectProperty(spec, "idempotencyKey") : null;
    const usage = classifyUsage(call);
    const parameter = spec ? objectProperty(spec, "parameter") : null;
    this.push({
      input: parameter ? this.inputOf(parameter.value as Node) : undefined,
      api: "generic",
      mode: method === "genericCall" ? "request" : "send",
      target: service ?? { by: "unknown" },
      handler,
      key: keyProp ? this.keyOf(keyProp.value as Node) : null,
      options: {
        form: "generic-inline",
        delay: delay ? this.text(delay.value as Node) : undefined,
        idempotencyKey: idem ? this.text(idem.value as Node) : undefined,
        node: spec ?? undefined,
      },
      usage: usage.usage,
      timeout: usage.timeout,
      node: call,
    });
  }

  private onSleep(call: TSESTree.CallExpression): void {
    const arg = call.arguments[0] as Node | undefined;
    const usage = classifyUsage(call);
    this.analyzer.facts.sleeps.push({
      from: this.from,
      via: this.via,
      durationMs: arg ? durationMs(this.analyzer.file, arg) : null,
      durationText: arg ? this.text(arg) : "",
      usage: usage.usage,
      loc: toLoc(call),
      node: call,
    });
  }

  private onRun(call: TSESTree.CallExpression): void {
    for (const a of call.arguments) if (isFunction(a as Node)) this.runClosures.add(a as Node);
  }

  /** Inside a `ctx.run` closure of this function: climbs to the function, so it costs the nesting depth. */
  private insideRun(node: Node): boolean {
    if (this.runClosures.size === 0) return false;
    for (let p = parentOf(node); p && p !== this.fn; p = parentOf(p)) {
      if (this.runClosures.has(p)) return true;
    }
    return false;
  }

  private push(site: Omit<CallSite<Node>, "from" | "via" | "attached" | "inRun" | "loc">): void {
    const node = site.node!;
    const full: CallSite<Node> = {
      from: this.from,
      via: this.via,
      ...site,
      // Set after the walk, when every attach call of the function is known.
      attached: false,
      inRun: this.insideRun(node),
      loc: toLoc(node),
    };
    this.analyzer.facts.calls.push(full);
    if (full.mode === "send") this.sends.push(full);
  }

  /**
   * A send is waited for when its invocation id reaches `ctx.attach(id)` or
   * `ctx.invocation(id).attach()` and that attach is itself waited for. Matched in one pass over
   * the attach calls, so a function with many sends stays linear.
   */
  private resolveAttachments(): void {
    if (this.sends.length === 0 || this.attachCalls.length === 0) return;
    const byNode = new Map<Node, CallSite<Node>>();
    const byHandle = new Map<string, CallSite<Node>[]>();
    for (const send of this.sends) {
      byNode.set(send.node!, send);
      const handle = handleName(send.node!);
      if (handle) byHandle.set(handle, [...(byHandle.get(handle) ?? []), send]);
    }
    // A send attached to only through `.orTimeout(...)` waits a bounded time.
    const unbounded = new Set<CallSite<Node>>();
    for (const { call, id } of this.attachCalls) {
      const { usage: u, timeout } = classifyUsage(call);
      if (u !== "awaited" && u !== "returned" && u !== "combined" && u !== "stored-awaited") continue;
      let a = unwrap(id);
      if (a.type === "AwaitExpression") a = unwrap(a.argument);
      if (a.type === "Identifier") {
        const init = this.invocationIdVars.get(a);
        if (!init) continue;
        a = unwrap(init);
        if (a.type === "AwaitExpression") a = unwrap(a.argument);
      }
      const owner = invocationIdOwner(a);
      if (!owner) continue;
      const targets = owner.type === "Identifier" ? (byHandle.get(owner.name) ?? []) : [byNode.get(owner)];
      for (const t of targets) {
        if (!t) continue;
        t.attached = true;
        if (!timeout) unbounded.add(t);
        t.timeout = !unbounded.has(t);
      }
    }
  }

  /** The id argument of `ctx.attach(id)` or `ctx.invocation(id).attach()`. */
  private attachArgument(call: TSESTree.CallExpression): Node | null {
    const callee = unwrap(call.callee);
    if (callee.type !== "MemberExpression" || memberName(callee) !== "attach") return null;
    const obj = unwrap(callee.object);
    if (this.isCtx(obj)) return (call.arguments[0] as Node | undefined) ?? null;
    if (obj.type === "CallExpression") {
      const inner = unwrap(obj.callee);
      if (inner.type === "MemberExpression" && memberName(inner) === "invocation" && this.isCtx(inner.object)) {
        return (obj.arguments[0] as Node | undefined) ?? null;
      }
    }
    return null;
  }
}

function handleName(send: Node): string | null {
  let p = (send as { parent?: Node }).parent;
  while (p && (p.type === "AwaitExpression" || p.type === "TSAsExpression" || p.type === "TSNonNullExpression")) {
    p = (p as { parent?: Node }).parent;
  }
  return p?.type === "VariableDeclarator" && p.id.type === "Identifier" ? p.id.name : null;
}

/** `x.invocationId` or `(await x).invocationId`, optionally awaited. */
function isInvocationIdRead(node: Node): boolean {
  let n = unwrap(node);
  if (n.type === "AwaitExpression") n = unwrap(n.argument);
  return invocationIdOwner(n) !== null;
}

/** For `x.invocationId` / `(await x).invocationId`: `x` (a handle variable or the send call itself). */
function invocationIdOwner(node: Node): Node | null {
  if (node.type !== "MemberExpression" || memberName(node) !== "invocationId") return null;
  let obj = unwrap(node.object);
  if (obj.type === "AwaitExpression") obj = unwrap(obj.argument);
  return obj;
}

function isConstBinding(init: Node): boolean {
  const decl = (init as { parent?: Node }).parent;
  const list = decl ? (decl as { parent?: Node }).parent : undefined;
  return list?.type === "VariableDeclaration" && list.kind === "const";
}

function classifyTarget(
  fc: FileContext,
  node: Node | undefined,
  localDefinitions: Map<string, string | null>,
  descriptorNames: Map<string, string>,
  hops = 0,
): TargetRef {
  if (!node || hops > 5) return { by: "unknown" };
  const n = unwrap(node);
  if (n.type === "ObjectExpression") {
    const name = staticString(objectProperty(n, "name")?.value as Node | undefined);
    return name !== null ? { by: "name", serviceName: name } : (constantTarget(fc, n) ?? { by: "unknown" });
  }
  if (n.type === "Identifier") {
    if (localDefinitions.has(n.name)) return { by: "local", localName: n.name };
    const descriptor = descriptorNames.get(n.name);
    if (descriptor) return { by: "name", serviceName: descriptor };
    const imported = own(fc.imports, n.name);
    if (imported) return { by: "import", ref: imported };
    // One hop at a time: `const alias = counter` must still reach `counter`'s definition.
    const bound = bindingOf(fc, n);
    const b = bound ? unwrap(bound) : null;
    if (b && (b.type === "ObjectExpression" || b.type === "Identifier" || b.type === "MemberExpression")) {
      return classifyTarget(fc, b, localDefinitions, descriptorNames, hops + 1);
    }
    return { by: "unknown" };
  }
  if (n.type === "MemberExpression") {
    const obj = unwrap(n.object);
    const member = memberName(n);
    if (obj.type === "Identifier" && member) {
      const ns = own(fc.imports, obj.name);
      if (ns && ns.imported === "*") return { by: "import", ref: { source: ns.source, imported: member } };
    }
    // `OBJECTS.counter`: a constant's member.
    return constantTarget(fc, n) ?? { by: "unknown" };
  }
  return { by: "unknown" };
}

function optionsCallForm(fc: FileContext, node: Node): "rpc.opts" | "rpc.sendOpts" | null {
  const n = unwrap(node);
  if (n.type !== "CallExpression") return null;
  const path = sdkPath(fc, n.callee);
  if (path === "rpc.opts" || path === "Opts.from") return "rpc.opts";
  if (path === "rpc.sendOpts" || path === "SendOpts.from") return "rpc.sendOpts";
  if (n.callee.type === "Identifier" || n.callee.type === "MemberExpression") {
    // Options helpers of the ingress package look the same.
    const name = memberName(unwrap(n.callee)) ?? (n.callee.type === "Identifier" ? n.callee.name : null);
    if (path === null && (name === "opts" || name === "sendOpts" || name === "from")) {
      const clients = fc.restate.get(rootName(n.callee) ?? "");
      if (clients) return name === "opts" ? "rpc.opts" : name === "sendOpts" ? "rpc.sendOpts" : null;
    }
  }
  return null;
}

function rootName(node: Node): string | null {
  let n = unwrap(node);
  while (n.type === "MemberExpression") n = unwrap(n.object);
  return n.type === "Identifier" ? n.name : null;
}

/** Reads the options of a typed client call `client.h(input?, opts?)`. */
export function typedOptionsOf(fc: FileContext, args: Node[], text: (n: Node) => string): CallOptions<Node> {
  const last = args[args.length - 1];
  if (!last) return { form: "none" };
  const resolved = unwrap(last).type === "Identifier" ? (resolveLocal(fc, last) ?? last) : last;
  const form = optionsCallForm(fc, resolved);
  if (form) {
    const spec = unwrap((unwrap(resolved) as TSESTree.CallExpression).arguments[0] as Node ?? resolved);
    return {
      form,
      delay: fieldText(spec, "delay", text),
      idempotencyKey: fieldText(spec, "idempotencyKey", text),
      node: last,
    };
  }
  const plain = unwrap(last);
  if (plain.type === "ObjectExpression") {
    if (args.length >= 2) {
      return {
        form: "plain-object",
        delay: fieldText(plain, "delay", text),
        idempotencyKey: fieldText(plain, "idempotencyKey", text),
        node: last,
      };
    }
    if (looksLikeOptions(plain)) {
      return {
        form: "plain-object",
        delay: fieldText(plain, "delay", text),
        idempotencyKey: fieldText(plain, "idempotencyKey", text),
        node: last,
      };
    }
  }
  return { form: args.length >= 2 ? "unknown" : "none" };
}

function looksLikeOptions(obj: TSESTree.ObjectExpression): boolean {
  if (obj.properties.length === 0) return false;
  let distinct = false;
  for (const p of obj.properties) {
    if (p.type !== "Property") return false;
    const name = propertyName(p.key, p.computed);
    if (!name || !OPTION_KEYS.has(name)) return false;
    if (DISTINCT_OPTION_KEYS.has(name)) distinct = true;
  }
  return distinct;
}

function legacyOptionsOf(obj: Node, text: (n: Node) => string): CallOptions<Node> {
  return { form: "legacy-factory", delay: fieldText(unwrap(obj), "delay", text), node: obj };
}

function fieldText(obj: Node, name: string, text: (n: Node) => string): string | undefined {
  if (obj.type !== "ObjectExpression") return undefined;
  const p = objectProperty(obj, name);
  if (!p) return undefined;
  return p.shorthand ? name : text(p.value as Node);
}

const UNITS: Record<string, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

/** A duration in milliseconds when it is a constant expression or a `Duration` literal. */
export function durationMs(fc: FileContext, node: Node, depth = 0): number | null {
  const n = unwrap(node);
  if (depth > 5) return null;
  if (n.type === "Literal" && typeof n.value === "number") return n.value;
  if (n.type === "BinaryExpression" && n.left.type !== "PrivateIdentifier") {
    const a = durationMs(fc, n.left, depth + 1);
    const b = durationMs(fc, n.right, depth + 1);
    if (a === null || b === null) return null;
    return durationArithmetic(n.operator, a, b);
  }
  if (n.type === "ObjectExpression") {
    let total = 0;
    for (const p of n.properties) {
      if (p.type !== "Property") return null;
      const unit = propertyName(p.key, p.computed);
      const factor = unit ? own(UNITS, unit) : undefined;
      const v = durationMs(fc, p.value as Node, depth + 1);
      if (factor === undefined || v === null) return null;
      total += factor * v;
    }
    return total;
  }
  if (n.type === "Identifier") {
    const bound = resolveLocal(fc, n);
    if (bound && bound !== n && isConstBinding(bound)) return durationMs(fc, bound, depth + 1);
  }
  return null;
}
