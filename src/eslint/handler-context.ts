import { describeFrom } from "../ts/handlers.js";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { findVariable } from "@typescript-eslint/utils/ast-utils";
import { type FunctionNode, type Node, isFunction, memberName, parentOf, unwrap, walk } from "../ts/ast.js";
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
  call: TSESTree.CallExpression;
  binding: ContextBinding;
}

export interface HandlerContexts {
  model: TsFileModel;
  /** One entry per (function, ctx parameter), in model order: handlers before stray helpers. */
  bindings: ContextBinding[];
  /** Closures that sit inside a binding's function (literals, or local functions passed by name). */
  runClosures: RunClosure[];
  runClosureFns: Set<Node>;
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
  for (const binding of bindings) {
    for (const ref of binding.variable.references) {
      const call = runCallOf(ref.identifier);
      if (!call) continue;
      for (const fn of actionFunctions(call, binding, localFunction)) {
        if (runClosureFns.has(fn)) continue;
        runClosureFns.add(fn);
        runClosures.push({ fn, call, binding });
      }
    }
  }

  const byFn = new Map<Node, RunClosure>();
  for (const c of runClosures) byFn.set(c.fn, c);

  const result: HandlerContexts = {
    model,
    bindings,
    runClosures,
    runClosureFns,
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

/**
 * The functions that run as the action of `ctx.run([name,] action[, options])`: the action
 * itself, a local function passed by name, or the functions inside a wrapper call
 * (`ctx.run("x", withRetry(() => …))`), whose bodies run when the action does.
 */
function actionFunctions(
  call: TSESTree.CallExpression,
  binding: ContextBinding,
  localFunction: (id: TSESTree.Identifier) => FunctionNode | null,
): FunctionNode[] {
  const action = call.arguments.length >= 2 ? call.arguments[1] : call.arguments[0];
  if (!action || action.type === "SpreadElement") return [];
  const a = unwrap(action as Node);
  if (isFunction(a)) return [a];
  if (a.type === "Identifier") {
    const local = localFunction(a);
    // Only a closure declared in this function can see this ctx.
    return local && within(binding.fn, local) ? [local] : [];
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
