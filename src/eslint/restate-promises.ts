import type { TSESTree } from "@typescript-eslint/utils";
import { type FunctionNode, type Node, isFunction, memberName, parentOf, unwrap, walk } from "../ts/ast.js";
import { sdkPath } from "../ts/file-context.js";
import { isCombinatorCall } from "../ts/usage.js";
import { type HandlerContexts, JOURNALED, functionName } from "./handler-context.js";

/**
 * What an expression is, as far as Restate's combinators care:
 * - `restate`: Restate journals the wait on it (a request-response call, `ctx.run`, a
 *   sleep, an awakeable, …);
 * - `exact`: it is a `RestatePromise` instance, so `RestatePromise.all` accepts it (that
 *   combinator throws for anything else, and a durable promise or an `async` callback's
 *   result is not one).
 */
export interface PromiseKind {
  restate: boolean;
  exact: boolean;
  /**
   * The result of an `async` function that can issue Restate operations after an `await` (named
   * for messages: "`executeStage`", "the `async` callback"). Several of them running at once
   * write their journal entries in the order their waits finish.
   */
  late?: string;
}

/** The same question for the values of an array; `exact` only when every element is known. */
export interface ElementsKind extends PromiseKind {
  /** How many `late` results the array can hold: 2 stands for "more than one". */
  lateCount: number;
}

const NONE: PromiseKind = { restate: false, exact: false };
const RESTATE: PromiseKind = { restate: true, exact: true };
const BACKED: PromiseKind = { restate: true, exact: false };
const NO_ELEMENTS: ElementsKind = { restate: false, exact: false, lateCount: 0 };

/** Whether a function does Restate operations, and whether some can come after an `await`. */
interface Work {
  any: boolean;
  late: boolean;
}

const LOOPS = new Set(["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"]);
const MAX_HELPER_DEPTH = 3;

const CTX_PROMISES = new Set(["run", "sleep", "signal", "attach", "genericCall"]);
const CHAINED = new Set(["orTimeout", "map"]);
const SDK_COMBINATORS = new Set(["all", "race", "any", "allSettled", "resolve", "reject"]);
const MAX_DEPTH = 6;

/** Answers "is this a Restate promise?" for one file, following local variables through scope analysis. */
export class RestatePromises {
  private readonly requestCalls = new Set<Node>();
  private readonly work = new Map<Node, Work>();

  constructor(private readonly hc: HandlerContexts) {
    for (const c of hc.model.calls) if (c.mode === "request" && c.node) this.requestCalls.add(c.node);
  }

  promise(node: Node, depth = 0): PromiseKind {
    if (depth > MAX_DEPTH) return NONE;
    const n = unwrap(node);
    switch (n.type) {
      case "CallExpression":
        return this.call(n, depth);
      case "MemberExpression":
        // `ctx.awakeable().promise` / `aw.promise`
        return memberName(n) === "promise" && this.isAwakeable(n.object, depth) ? RESTATE : NONE;
      case "Identifier":
        return this.variable(n, depth);
      case "ConditionalExpression":
        return merge(this.promise(n.consequent, depth + 1), this.promise(n.alternate, depth + 1));
      default:
        return NONE;
    }
  }

  elements(node: Node, depth = 0): ElementsKind {
    if (depth > MAX_DEPTH) return NO_ELEMENTS;
    const n = unwrap(node);
    if (n.type === "ArrayExpression") {
      let kind: ElementsKind = { restate: false, exact: true, lateCount: 0 };
      for (const el of n.elements) {
        if (!el) {
          kind.exact = false;
          continue;
        }
        const k = el.type === "SpreadElement" ? this.elements(el.argument, depth + 1) : single(this.promise(el, depth + 1));
        kind = mergeElements(kind, k);
      }
      return kind;
    }
    if (n.type === "CallExpression") {
      const callback = mapCallback(n);
      if (!callback) return NO_ELEMENTS;
      // `xs.map(stage)`: a local function passed by name.
      const fn = callback.type === "Identifier" ? this.hc.localFunction(callback) : callback;
      if (!fn) return NO_ELEMENTS;
      const label = fn === callback ? "the `async` callback" : `\`${functionName(fn) ?? (callback as TSESTree.Identifier).name}\``;
      // One run of the callback per element.
      return many(this.returned(fn, depth + 1, label));
    }
    if (n.type === "Identifier") return this.arrayVariable(n, depth);
    return NO_ELEMENTS;
  }

  private call(n: TSESTree.CallExpression, depth: number): PromiseKind {
    if (this.requestCalls.has(n)) return RESTATE;
    const callee = unwrap(n.callee);
    if (callee.type === "Identifier") {
      const helper = this.hc.localFunction(callee);
      return helper ? this.returned(helper, depth + 1, `\`${functionName(helper) ?? callee.name}\``) : NONE;
    }
    if (callee.type !== "MemberExpression") return NONE;
    const name = memberName(callee);
    if (!name) return NONE;
    const obj = unwrap(callee.object);
    if (this.hc.isCtx(obj)) {
      if (CTX_PROMISES.has(name)) return RESTATE;
      // A workflow's durable promise is awaitable but is not a RestatePromise; `.get()` is.
      if (name === "promise") return BACKED;
      return NONE;
    }
    if (name === "attach" && obj.type === "CallExpression") {
      const inner = unwrap(obj.callee);
      if (inner.type === "MemberExpression" && memberName(inner) === "invocation" && this.hc.isCtx(inner.object)) return RESTATE;
    }
    if (CHAINED.has(name)) return this.promise(obj, depth + 1).exact ? RESTATE : NONE;
    if (name === "get" || name === "peek" || name === "resolve" || name === "reject") {
      if (this.isDurable(obj, depth)) return name === "get" ? RESTATE : BACKED;
    }
    if (SDK_COMBINATORS.has(name)) {
      const path = sdkPath(this.hc.model.context, callee);
      if (path === `RestatePromise.${name}` || path === `CombineablePromise.${name}`) return RESTATE;
    }
    return NONE;
  }

  private isDurable(node: Node, depth: number): boolean {
    return this.isCtxMethodCall(node, "promise", depth);
  }

  private isAwakeable(node: Node, depth: number): boolean {
    return this.isCtxMethodCall(node, "awakeable", depth);
  }

  /** `ctx.<method>(...)`, directly or through a `const` holding it. */
  private isCtxMethodCall(node: Node, method: string, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    const n = unwrap(node);
    if (n.type === "CallExpression") {
      const callee = unwrap(n.callee);
      return callee.type === "MemberExpression" && memberName(callee) === method && this.hc.isCtx(callee.object);
    }
    if (n.type !== "Identifier") return false;
    const init = this.soleInit(n);
    return init ? this.isCtxMethodCall(init, method, depth + 1) : false;
  }

  /** The initializer of a binding that is never reassigned. */
  private soleInit(id: TSESTree.Identifier): Node | null {
    const v = this.hc.variableOf(id);
    if (!v || v.defs.length !== 1) return null;
    const def = v.defs[0]!;
    if (def.type !== "Variable") return null;
    const decl = def.node as TSESTree.VariableDeclarator;
    if (decl.id.type !== "Identifier" || !decl.init) return null;
    if (v.references.some((r) => r.isWrite() && r.writeExpr !== decl.init)) return null;
    return decl.init;
  }

  /**
   * The Restate operations a function issues itself or through the local functions it calls
   * (three deep), on a context it is given or sees from an enclosing handler. One issued after an `await`, or in a loop that awaits, comes at a time that
   * depends on which wait finished first. Nested functions are not looked into.
   */
  private workOf(fn: FunctionNode, depth: number): Work {
    const known = this.work.get(fn);
    if (known) return known;
    const work: Work = { any: false, late: false };
    // A recursive helper sees itself as doing nothing more than it is found to do.
    this.work.set(fn, work);
    const awaits: Node[] = [];
    const ops: { node: Node; late: boolean }[] = [];
    walk(fn.body, (n) => {
      if (n !== fn.body && isFunction(n)) return false;
      if (n.type === "AwaitExpression" || (n.type === "ForOfStatement" && n.await)) awaits.push(n);
      else if (n.type === "MemberExpression" && this.hc.isCtx(n.object) && JOURNALED.has(memberName(n) ?? "")) {
        ops.push({ node: n, late: false });
      } else if (n.type === "CallExpression" && depth < MAX_HELPER_DEPTH) {
        const callee = unwrap(n.callee);
        const helper = callee.type === "Identifier" ? this.hc.localFunction(callee) : null;
        const inner = helper && helper !== fn ? this.workOf(helper, depth + 1) : null;
        if (inner?.any) ops.push({ node: n, late: inner.late });
      }
      return true;
    });
    work.any = ops.length > 0;
    work.late = ops.some((op) => op.late || afterAwait(op.node, fn, awaits));
    return work;
  }

  private variable(id: TSESTree.Identifier, depth: number): PromiseKind {
    const v = this.hc.variableOf(id);
    if (!v || v.defs.length === 0) return NONE;
    let restate = false;
    let exact = true;
    let late: string | undefined;
    let writes = 0;
    for (const def of v.defs) {
      if (def.type !== "Variable") return NONE;
      const decl = def.node as TSESTree.VariableDeclarator;
      // `const { id, promise } = ctx.awakeable()`
      if (decl.id.type === "ObjectPattern") {
        const prop = parentOf(def.name);
        const isPromiseField =
          prop?.type === "Property" &&
          parentOf(prop) === decl.id &&
          prop.value === def.name &&
          !prop.computed &&
          prop.key.type === "Identifier" &&
          prop.key.name === "promise";
        if (isPromiseField && decl.init && this.isAwakeable(decl.init, depth)) return RESTATE;
        return NONE;
      }
    }
    for (const ref of v.references) {
      if (!ref.isWrite()) continue;
      if (!ref.writeExpr) return NONE;
      writes++;
      const k = this.promise(ref.writeExpr, depth + 1);
      restate ||= k.restate;
      exact &&= k.exact;
      late ??= k.late;
    }
    return writes > 0 ? { restate, exact: restate && exact, late } : NONE;
  }

  /** An array variable: its initial value, reassignments, and what is pushed into it. */
  private arrayVariable(id: TSESTree.Identifier, depth: number): ElementsKind {
    const v = this.hc.variableOf(id);
    if (!v || v.defs.length === 0) return NO_ELEMENTS;
    let kind: ElementsKind = { restate: false, exact: true, lateCount: 0 };
    for (const ref of v.references) {
      if (ref.isWrite()) {
        if (!ref.writeExpr) return NO_ELEMENTS;
        kind = mergeElements(kind, this.elements(ref.writeExpr, depth + 1));
        continue;
      }
      const use = arrayUse(ref.identifier);
      if (use.kind === "add") {
        for (const arg of use.args) {
          // A push may sit in a loop: each pushed value may be there many times.
          const k = arg.type === "SpreadElement" ? this.elements(arg.argument, depth + 1) : many(this.promise(arg, depth + 1));
          kind = mergeElements(kind, k);
        }
      } else if (use.kind === "escapes") {
        // Handed to code we do not follow: it may add anything, so a suggestion would be a guess.
        kind.exact = false;
      }
    }
    return { ...kind, exact: kind.restate && kind.exact };
  }

  /**
   * What a function returns when called: an `async` function wraps even a Restate promise in a
   * native one, and is `late` (named `label`) when it can issue Restate operations after an `await`.
   */
  private returned(fn: FunctionNode, depth: number, label: string): PromiseKind {
    let late = fn.async && this.workOf(fn, 0).late ? label : undefined;
    const results: Node[] = [];
    if (fn.body.type !== "BlockStatement") results.push(fn.body);
    else {
      walk(fn.body, (n) => {
        if (isFunction(n)) return false;
        if (n.type === "ReturnStatement" && n.argument) results.push(n.argument);
        return true;
      });
    }
    let restate = false;
    let exact = !fn.async;
    for (const r of results) {
      const k = this.promise(r, depth + 1);
      restate ||= k.restate;
      exact &&= k.exact;
      late ??= k.late;
    }
    return { restate, exact: restate && exact, late };
  }
}

function merge(a: PromiseKind, b: PromiseKind): PromiseKind {
  return { restate: a.restate || b.restate, exact: a.exact && b.exact, late: a.late ?? b.late };
}

function single(k: PromiseKind): ElementsKind {
  return { ...k, lateCount: k.late ? 1 : 0 };
}

function many(k: PromiseKind): ElementsKind {
  return { ...k, lateCount: k.late ? 2 : 0 };
}

function mergeElements(a: ElementsKind, b: ElementsKind): ElementsKind {
  return { ...merge(a, b), lateCount: Math.min(2, a.lateCount + b.lateCount) };
}

/** `op` runs after a wait of `fn`: it follows an `await`, or sits in a loop with one. */
function afterAwait(op: Node, fn: FunctionNode, awaits: readonly Node[]): boolean {
  if (awaits.some((a) => a.range[1] <= op.range[0])) return true;
  for (let p = parentOf(op); p && p !== fn; p = parentOf(p)) {
    if (LOOPS.has(p.type) && awaits.some((a) => p!.range[0] <= a.range[0] && a.range[1] <= p!.range[1])) return true;
  }
  return false;
}

/** `xs.map(cb)` or `Array.from(xs, cb)`: the callback whose results form the new array (a function, or a name). */
function mapCallback(call: TSESTree.CallExpression): FunctionNode | TSESTree.Identifier | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const name = memberName(callee);
  let cb: Node | undefined;
  if (name === "map") cb = call.arguments[0] as Node | undefined;
  else if (name === "from" && unwrap(callee.object).type === "Identifier" && (unwrap(callee.object) as TSESTree.Identifier).name === "Array") {
    cb = call.arguments[1] as Node | undefined;
  }
  const fn = cb ? unwrap(cb) : null;
  return isFunction(fn) || fn?.type === "Identifier" ? fn : null;
}

type ArrayUse = { kind: "add"; args: TSESTree.CallExpressionArgument[] } | { kind: "read" } | { kind: "escapes" };

/** How one reference to an array variable treats the array. */
function arrayUse(id: Node): ArrayUse {
  const parent = parentOf(id);
  if (parent?.type === "MemberExpression" && parent.object === id) {
    const name = memberName(parent);
    const call = parentOf(parent);
    if (call?.type === "CallExpression" && call.callee === parent && (name === "push" || name === "unshift")) {
      return { kind: "add", args: call.arguments };
    }
    // `xs[i] = p` puts something we did not look at into the array.
    const assign = parentOf(parent);
    if (parent.computed && assign?.type === "AssignmentExpression" && assign.left === parent) return { kind: "escapes" };
    return { kind: "read" };
  }
  if (parent?.type === "CallExpression" && parent.arguments.includes(id as TSESTree.CallExpressionArgument)) {
    return isCombinatorCall(parent) ? { kind: "read" } : { kind: "escapes" };
  }
  return { kind: "read" };
}

const NATIVE_COMBINATORS = new Set(["all", "race", "any", "allSettled"]);

/** `Promise.all(...)` and friends, with `Promise` the global (checked by the caller). */
export function nativeCombinator(call: TSESTree.CallExpression): { method: string; promiseId: TSESTree.Identifier } | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const method = memberName(callee);
  const obj = unwrap(callee.object);
  if (!method || !NATIVE_COMBINATORS.has(method) || obj.type !== "Identifier" || obj.name !== "Promise") return null;
  return { method, promiseId: obj };
}
