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
}

/** How many `const`s a value may pass through on its way to the result. */
const MAX_CONSTS = 3;

/**
 * Whether the value of `node`, in the body of the handler `fn`, reaches nothing but the handler's
 * result: it is returned (directly, or through `const`s and calls that neither get the context
 * nor can see it), and decides no Restate operation on the way. Such a value differs between
 * replays, but nothing journaled depends on it, and the result is written once, when the
 * invocation ends (`return { at: Date.now() }`, a remaining time computed for a status read).
 */
export function onlyShapesResult(node: Node, fn: FunctionNode, cx: ResultOnlyContext, depth = 0): boolean {
  let child = node;
  for (let p = parentOf(child); p; child = p, p = parentOf(child)) {
    // Other work in the returned expression does not depend on the value: the path checked that.
    if (p === fn) return fn.type === "ArrowFunctionExpression" && fn.body === child;
    if (isFunction(p)) return false;
    switch (p.type) {
      case "ReturnStatement":
        return true;
      case "VariableDeclarator": {
        const decl = parentOf(p);
        if (p.init !== child || p.id.type !== "Identifier" || decl?.type !== "VariableDeclaration" || decl.kind !== "const") return false;
        if (depth >= MAX_CONSTS) return false;
        const reads = cx.readsOf(p);
        return reads !== null && reads.every((r) => onlyShapesResult(r, fn, cx, depth + 1));
      }
      case "CallExpression":
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
