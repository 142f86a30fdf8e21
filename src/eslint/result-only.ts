import type { TSESTree } from "@typescript-eslint/utils";
import { type FunctionNode, type Node, isFunction, parentOf, walk } from "../ts/ast.js";

/** What the check needs to know of the handler's context. */
export interface ResultOnlyContext {
  /** A reference to the Restate context. */
  isCtx(node: Node): boolean;
  /** The function a name calls, when it is declared in this file. */
  localFunction(id: TSESTree.Identifier): FunctionNode | null;
  /** Where a `const` declaration's variable is read (null when unknown). */
  readsOf(decl: TSESTree.VariableDeclarator): Node[] | null;
  /** The name is the global of that name (not shadowed, not imported). */
  isGlobal(id: TSESTree.Identifier): boolean;
  /** Where the variable a name reads is declared (null for globals and unresolved names). */
  declarationOf(id: TSESTree.Identifier): Node | null;
}

/** Where a value may end without anything journaled depending on it. */
export interface Sinks {
  /** The function's result (only a handler's: Restate writes it once, when the invocation ends). */
  result: boolean;
}

/** `console.log(…)`, `ctx.console.info(…)`. */
const CONSOLE_METHODS = new Set(["log", "info", "warn", "error", "debug", "trace"]);
/** `logger.info(…)`, `this.log.debug(…)`: the level methods of the common loggers. */
const LOGGER_METHODS = new Set(["info", "warn", "error", "debug", "trace", "log"]);
const LOGGER_NAMES = new Set(["logger", "log"]);

/** How many `const`s a value may pass through on its way to the result. */
const MAX_CONSTS = 3;

/**
 * Whether the value of `node`, in the body of `fn`, reaches nothing but the handler's result (when
 * `sinks.result`, `fn` being the handler) and log lines: every way it goes ends in a `return`
 * or in the arguments of a log call (`console.*`, `ctx.console.*`, a `logger`'s or `log`'s level
 * methods) that is a statement of its own — directly, or through `const`s and calls that neither get the
 * context nor can see it — and it decides no Restate operation on the way. Such a value differs
 * between replays, but nothing journaled depends on it: the result is written once, when the
 * invocation ends (`return { at: Date.now() }`, a remaining time computed for a status read), and
 * a log line is no journal entry (`ctx.console.log(\`took ${Date.now() - t0}\`)`).
 */
export function onlyShapesResult(node: Node, fn: FunctionNode, cx: ResultOnlyContext, sinks: Sinks = { result: true }, depth = 0): boolean {
  let child = node;
  for (let p = parentOf(child); p; child = p, p = parentOf(child)) {
    // Other work in the returned expression does not depend on the value: the path checked that.
    if (p === fn) return sinks.result && fn.type === "ArrowFunctionExpression" && fn.body === child;
    if (isFunction(p)) return false;
    switch (p.type) {
      case "ReturnStatement":
        return sinks.result;
      case "VariableDeclarator": {
        const decl = parentOf(p);
        if (p.init !== child || p.id.type !== "Identifier" || decl?.type !== "VariableDeclaration" || decl.kind !== "const") return false;
        if (depth >= MAX_CONSTS) return false;
        const reads = cx.readsOf(p);
        return reads !== null && reads.every((r) => onlyShapesResult(r, fn, cx, sinks, depth + 1));
      }
      case "CallExpression":
        // A log line: the value ends there (the call's own result is dropped).
        if (p.callee !== child && logStatement(p, fn, cx)) return true;
        if (p.callee !== child && !harmlessCallee(p, fn, cx)) return false;
        break;
      case "NewExpression":
        // The value goes into a call's result: only a call that cannot reach Restate carries it.
        if (p.callee !== child && !harmlessCallee(p, fn, cx)) return false;
        break;
      case "ConditionalExpression":
        // Deciding between branches is fine while neither branch does anything Restate sees.
        if (p.test === child && !(inert(p.consequent, fn, cx) && inert(p.alternate, fn, cx))) return false;
        break;
      case "LogicalExpression":
        if (p.left === child && !inert(p.right, fn, cx)) return false;
        break;
      case "MemberExpression":
      case "BinaryExpression":
      case "UnaryExpression":
      case "TemplateLiteral":
      case "ArrayExpression":
      case "ObjectExpression":
      case "Property":
      case "SpreadElement":
      case "ChainExpression":
      case "TSAsExpression":
      case "TSNonNullExpression":
      case "TSSatisfiesExpression":
      case "TSTypeAssertion":
        break;
      default:
        return false;
    }
  }
  return false;
}

/** A log call that is a statement of its own, to a logger not written inside the function. */
function logStatement(call: TSESTree.CallExpression, fn: FunctionNode, cx: ResultOnlyContext): boolean {
  const statement = parentOf(call);
  if (statement?.type !== "ExpressionStatement" || statement.expression !== call) return false;
  const callee = call.callee;
  if (callee.type !== "MemberExpression" || callee.computed || callee.property.type !== "Identifier") return false;
  const method = callee.property.name;
  const obj = callee.object;
  // `console.log(…)`, `ctx.console.log(…)`
  if (CONSOLE_METHODS.has(method)) {
    if (obj.type === "Identifier" && obj.name === "console" && cx.isGlobal(obj)) return true;
    if (obj.type === "MemberExpression" && !obj.computed && obj.property.type === "Identifier" && obj.property.name === "console" && cx.isCtx(obj.object)) {
      return true;
    }
  }
  if (!LOGGER_METHODS.has(method)) return false;
  // `logger.info(…)`, `this.logger.info(…)`: a logger made outside the function (one made inside could be anything).
  if (obj.type === "MemberExpression") {
    return obj.object.type === "ThisExpression" && !obj.computed && obj.property.type === "Identifier" && LOGGER_NAMES.has(obj.property.name);
  }
  if (obj.type !== "Identifier" || !LOGGER_NAMES.has(obj.name)) return false;
  const decl = cx.declarationOf(obj);
  return !!decl && !(fn.range[0] <= decl.range[0] && decl.range[1] <= fn.range[1]);
}

function harmlessCallee(call: TSESTree.CallExpression | TSESTree.NewExpression, fn: FunctionNode, cx: ResultOnlyContext): boolean {
  const callee = call.callee as Node;
  if (callee.type === "Identifier" && declaredInside(cx.localFunction(callee), fn)) return false;
  return inert(callee, fn, cx) && !call.arguments.some((a) => cx.isCtx(a as Node));
}

function declaredInside(local: FunctionNode | null, fn: FunctionNode): boolean {
  return !!local && fn.range[0] <= local.range[0] && local.range[1] <= fn.range[1];
}

/**
 * Nothing in `root` waits, sees the context, or calls a function written inside the handler
 * (which could use the context it closes over).
 */
function inert(root: Node, fn: FunctionNode, cx: ResultOnlyContext): boolean {
  let ok = true;
  walk(root, (n) => {
    if (!ok) return false;
    if (n.type === "AwaitExpression" || n.type === "YieldExpression" || cx.isCtx(n)) ok = false;
    else if (n.type === "CallExpression" && n.callee.type === "Identifier" && declaredInside(cx.localFunction(n.callee), fn)) ok = false;
    return ok;
  });
  return ok;
}
