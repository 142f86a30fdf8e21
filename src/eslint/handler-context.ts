import { describeFrom } from "../ts/handlers.js";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { findVariable } from "./scopes.js";
import { type FunctionNode, type Node, enclosingFunction, isFunction, memberName, paramName, parentOf, unwrap, walk } from "../ts/ast.js";
import type { HandlerScope } from "../ts/calls.js";
import type { TsFileModel } from "../ts/extract.js";
import { fileModel } from "./file-model.js";
import { latestOnly } from "../model/latest.js";

type RuleContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;
type Variable = TSESLint.Scope.Variable;

/** A function that runs with the Restate context: a handler, or a helper that receives `ctx`. */
export interface ContextBinding {
  scope: HandlerScope;
  fn: FunctionNode;
  /** The `ctx` parameter as ESLint's scope analysis sees it, so shadowing is exact. */
  variable: Variable;
}

/** The action passed to `ctx.run(...)`: it runs once, and its result is journaled. */
export interface RunClosure {
  fn: FunctionNode;
  /** The `ctx.run(...)` call, or the call of a local wrapper that passes the action on to one. */
  call: TSESTree.CallExpression;
  /** The context the run is made on, as the code at `call` names it (null when not a plain name). */
  ctx: Variable | null;
}

export interface HandlerContexts {
  model: TsFileModel;
  /** One entry per (function, ctx parameter), in model order: handlers before stray helpers. */
  bindings: ContextBinding[];
  /** Closures that sit inside a binding's function (literals, or local functions passed by name). */
  runClosures: RunClosure[];
  runClosureFns: Set<Node>;
  /**
   * Variables handed to a local run wrapper as its context that are no binding's parameter
   * (`const { ctx } = saga; runStep(ctx, "x", () => …)`): a Restate context all the same.
   */
  runContexts: Variable[];
  /** Is this identifier a reference to some handler's context parameter? */
  isCtx(node: Node): boolean;
  /** The run closure a node sits in, if any. */
  enclosingRun(node: Node): RunClosure | null;
  /** The global (or lib) binding of `name` at `node`, i.e. not shadowed by a local or import. */
  isGlobal(id: TSESTree.Identifier): boolean;
  /** The variable `id` refers to, if scope analysis knows it. */
  variableOf(id: TSESTree.Identifier): Variable | null;
  /** The variables a function declares (its parameters among them). */
  declaredVariables(fn: FunctionNode): readonly Variable[];
  /** The local function a name is bound to (`function f` or `const f = () => …`), if any. */
  localFunction(id: TSESTree.Identifier): FunctionNode | null;
}

/**
 * Context members that journal, read journaled state or consume the deterministic random
 * sequence. `key`, `request()` and `console` are left out on purpose: they read values fixed
 * for the invocation (or log, which the SDK already mutes during replay) and write no journal
 * entry.
 */
export const JOURNALED: ReadonlySet<string> = new Set([
  "get",
  "set",
  "clear",
  "clearAll",
  "stateKeys",
  "sleep",
  "run",
  "rand",
  "date",
  "awakeable",
  "resolveAwakeable",
  "rejectAwakeable",
  "promise",
  "signal",
  "invocation",
  "attach",
  "cancel",
  "serviceClient",
  "objectClient",
  "workflowClient",
  "serviceSendClient",
  "objectSendClient",
  "workflowSendClient",
  "client",
  "sendClient",
  "genericCall",
  "genericSend",
  "scope",
]);

const cache = latestOnly<TSESTree.Program, HandlerContexts>();

/**
 * Where the Restate context is in scope in this file and where it must not be used: the facts
 * the determinism rules share. Built once per AST from `model.scopes` and ESLint's scope analysis.
 */
export function handlerContexts(context: RuleContext): HandlerContexts {
  const sourceCode = context.sourceCode;
  const ast = sourceCode.ast;
  const cached = cache.get(ast);
  if (cached) return cached;

  const model = fileModel(context);
  const bindings: ContextBinding[] = [];
  const ctxRefs = new Set<Node>();
  const seen = new Set<Variable>();
  for (const scope of model.scopes) {
    const fn = scope.fn as FunctionNode;
    const variable = safe(() => sourceCode.getDeclaredVariables(fn).find((v) => v.name === scope.ctxName)) ?? null;
    if (!variable || seen.has(variable)) continue;
    seen.add(variable);
    bindings.push({ scope, fn, variable });
    for (const ref of variable.references) if (ref.isValueReference) ctxRefs.add(ref.identifier);
  }

  const variableOf = (id: TSESTree.Identifier): Variable | null =>
    safe(() => findVariable(sourceCode.getScope(id), id)) ?? null;

  const localFunction = (id: TSESTree.Identifier): FunctionNode | null => {
    const v = variableOf(id);
    if (!v || v.defs.length !== 1) return null;
    const def = v.defs[0]!;
    if (def.type === "FunctionName" && isFunction(def.node as Node)) return def.node as FunctionNode;
    if (def.type !== "Variable") return null;
    const decl = def.node as TSESTree.VariableDeclarator;
    const init = decl.init ? unwrap(decl.init) : null;
    if (!isFunction(init) || decl.id.type !== "Identifier") return null;
    // A reassigned binding could hold anything when it is called.
    if (v.references.some((r) => r.isWrite() && r.writeExpr !== decl.init)) return null;
    return init;
  };

  const runClosures: RunClosure[] = [];
  const runClosureFns = new Set<Node>();
  const addClosures = (fns: FunctionNode[], call: TSESTree.CallExpression, ctx: Variable | null) => {
    for (const fn of fns) {
      if (runClosureFns.has(fn)) continue;
      runClosureFns.add(fn);
      runClosures.push({ fn, call, ctx });
    }
  };
  const wrappers: RunWrapper[] = [];
  for (const binding of bindings) {
    for (const ref of binding.variable.references) {
      const call = runCallOf(ref.identifier);
      if (!call) continue;
      const action = actionOf(call);
      addClosures(actionFunctions(action, binding.fn, localFunction), call, binding.variable);
      const wrapper = asWrapper(binding.fn, ref.identifier, action, variableOf, 1);
      if (wrapper) wrappers.push(wrapper);
    }
  }
  const runContexts =
    wrappers.length > 0 ? followWrappers(wrappers, model.context.calls, seen, { variableOf, localFunction, addClosures }) : [];
  const byFn = new Map<Node, RunClosure>();
  for (const c of runClosures) byFn.set(c.fn, c);

  const result: HandlerContexts = {
    model,
    bindings,
    runClosures,
    runClosureFns,
    runContexts,
    isCtx: (node) => ctxRefs.has(unwrap(node)),
    enclosingRun(node) {
      for (let p = parentOf(node); p; p = parentOf(p)) {
        const c = byFn.get(p);
        if (c) return c;
      }
      return null;
    },
    isGlobal(id) {
      const v = variableOf(id);
      return !v || v.defs.length === 0;
    },
    variableOf,
    localFunction,
    declaredVariables: (fn) => safe(() => sourceCode.getDeclaredVariables(fn)) ?? [],
  };
  cache.set(ast, result);
  return result;
}

/** The action of `ctx.run([name,] action[, options])`. */
function actionOf(call: TSESTree.CallExpression): Node | undefined {
  const action = call.arguments.length >= 2 ? call.arguments[1] : call.arguments[0];
  return action && action.type !== "SpreadElement" ? unwrap(action as Node) : undefined;
}

/**
 * The functions that run as a run action: the action itself, a local function passed by name
 * (declared inside `container`, the function whose context it may use), or the functions inside a
 * wrapper call (`ctx.run("x", withRetry(() => …))`), whose bodies run when the action does.
 */
function actionFunctions(
  action: Node | undefined,
  container: Node | null,
  localFunction: (id: TSESTree.Identifier) => FunctionNode | null,
): FunctionNode[] {
  if (!action) return [];
  const a = unwrap(action);
  if (isFunction(a)) return [a];
  if (a.type === "Identifier") {
    const local = localFunction(a);
    return local && container && within(container, local) ? [local] : [];
  }
  if (a.type !== "CallExpression") return [];
  const out: FunctionNode[] = [];
  walk(a, (n) => {
    if (!isFunction(n)) return true;
    out.push(n);
    return false;
  });
  return out;
}

/** A local function that makes a run on its context parameter with an action it was given. */
interface RunWrapper {
  fn: FunctionNode;
  ctxIndex: number;
  actionIndex: number;
  /** Wrappers between this one and the `ctx.run` call, itself included (as for helpers, at most three). */
  depth: number;
}

const MAX_WRAPPER_DEPTH = 3;

/**
 * `fn` is a run wrapper when the context of a run it makes (`ctx`, a reference) is one of its
 * parameters and so is the action: `(ctx, name, action) => ctx.run(name, action)`, or an action that
 * calls the parameter (`ctx.run(name, () => action())`).
 */
function asWrapper(
  fn: FunctionNode,
  ctx: Node,
  action: Node | undefined,
  variableOf: (id: TSESTree.Identifier) => Variable | null,
  depth: number,
): RunWrapper | null {
  const ctxIndex = paramIndex(fn, ctx, variableOf);
  if (ctxIndex < 0 || !action) return null;
  let actionIndex = paramIndex(fn, action, variableOf);
  if (actionIndex < 0 && isFunction(action)) {
    walk(action.body, (n) => {
      if (actionIndex >= 0) return false;
      if (n.type === "CallExpression") actionIndex = paramIndex(fn, n.callee, variableOf);
      return true;
    });
  }
  return actionIndex >= 0 ? { fn, ctxIndex, actionIndex, depth } : null;
}

/** The index of the parameter of `fn` a plain name refers to, or -1. */
function paramIndex(fn: FunctionNode, node: Node, variableOf: (id: TSESTree.Identifier) => Variable | null): number {
  const n = unwrap(node);
  if (n.type !== "Identifier") return -1;
  const v = variableOf(n);
  const def = v?.defs.length === 1 ? v.defs[0] : undefined;
  if (def?.type !== "Parameter" || def.node !== fn) return -1;
  return fn.params.findIndex((p) => paramName(p as Node) === n.name);
}

/**
 * The actions given to local run wrappers at their call sites are run closures too; a wrapper
 * that hands its own parameters on to another wrapper is one itself. Returns the variables passed
 * as the context that no binding declares.
 */
function followWrappers(
  found: RunWrapper[],
  calls: readonly TSESTree.CallExpression[],
  bindingVariables: Set<Variable>,
  hc: {
    variableOf: (id: TSESTree.Identifier) => Variable | null;
    localFunction: (id: TSESTree.Identifier) => FunctionNode | null;
    addClosures: (fns: FunctionNode[], call: TSESTree.CallExpression, ctx: Variable | null) => void;
  },
): Variable[] {
  // Every call of a local function, once: the wrappers found later need their call sites too.
  const callsOf = new Map<Node, TSESTree.CallExpression[]>();
  for (const call of calls) {
    const callee = unwrap(call.callee);
    const fn = callee.type === "Identifier" ? hc.localFunction(callee) : null;
    if (!fn) continue;
    const list = callsOf.get(fn);
    if (list) list.push(call);
    else callsOf.set(fn, [call]);
  }
  const wrappers = new Map<Node, RunWrapper>();
  const queue: RunWrapper[] = [];
  for (const w of found) {
    if (wrappers.has(w.fn)) continue;
    wrappers.set(w.fn, w);
    queue.push(w);
  }
  const contexts = new Set<Variable>();
  for (let i = 0; i < queue.length; i++) {
    const w = queue[i]!;
    for (const call of callsOf.get(w.fn) ?? []) {
      const ctxArg = call.arguments[w.ctxIndex];
      const action = call.arguments[w.actionIndex];
      if (!ctxArg || !action || ctxArg.type === "SpreadElement" || action.type === "SpreadElement") continue;
      const ctxId = unwrap(ctxArg as Node);
      const ctx = ctxId.type === "Identifier" ? hc.variableOf(ctxId) : null;
      const container = enclosingFunction(call) ?? null;
      const fns = actionFunctions(action as Node, container, hc.localFunction);
      hc.addClosures(fns, call, ctx);
      if (ctx && fns.length > 0 && !bindingVariables.has(ctx)) contexts.add(ctx);
      if (container && w.depth < MAX_WRAPPER_DEPTH && !wrappers.has(container)) {
        const outer = asWrapper(container, ctxArg as Node, unwrap(action as Node), hc.variableOf, w.depth + 1);
        if (outer) {
          wrappers.set(container, outer);
          queue.push(outer);
        }
      }
    }
  }
  return [...contexts];
}

/** `ctx.run(...)` when `id` is the `ctx` of that call. */
function runCallOf(id: Node): TSESTree.CallExpression | null {
  const member = parentOf(id);
  if (member?.type !== "MemberExpression" || member.object !== id || memberName(member) !== "run") return null;
  let callee: Node = member;
  let call = parentOf(callee);
  while (call && (call.type === "TSNonNullExpression" || call.type === "ChainExpression")) {
    callee = call;
    call = parentOf(callee);
  }
  return call?.type === "CallExpression" && call.callee === callee ? call : null;
}

function within(outer: Node, inner: Node): boolean {
  return outer !== inner && outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** `Orders.place`, `Orders.place → makeId`, or the function's own name outside a known handler. */
export function describeScope(scope: HandlerScope, extra: string[] = []): string {
  const fnName = functionName(scope.fn as FunctionNode);
  if (scope.from) return describeFrom(scope.from, [...scope.via, ...extra]);
  return [fnName ?? "this function", ...extra].join(" → ");
}

export function functionName(fn: FunctionNode): string | null {
  if (fn.type !== "ArrowFunctionExpression" && fn.id) return fn.id.name;
  const p = parentOf(fn);
  if (p?.type === "VariableDeclarator" && p.id.type === "Identifier") return p.id.name;
  if (p?.type === "Property" || p?.type === "MethodDefinition") {
    const key = p.key;
    if (key.type === "Identifier" && !p.computed) return key.name;
  }
  return null;
}
