import type { TSESTree } from "@typescript-eslint/utils";
import type { CallUsage } from "../model/types.js";
import { type FunctionNode, type Node, isFunction, memberName, parentOf, unwrap, walk } from "../ts/ast.js";
import type { TsFileModel } from "../ts/extract.js";
import { classifyUsage } from "../ts/usage.js";
import { shownTarget } from "./call-results.js";

/** A Restate operation whose promise rejects with a `TerminalError` (or a subclass). */
export interface RestateOp {
  node: TSESTree.CallExpression;
  usage: CallUsage;
  /** For messages: "the call to `Ledger.record`", "`ctx.run`", … */
  label: string;
}

/** Where a failure can end: a `catch` clause, or the function given to `promise.catch(...)`. */
export type ErrorHandler =
  | { kind: "clause"; clause: TSESTree.CatchClause }
  | { kind: "method"; call: TSESTree.CallExpression; handler: Node };

export interface SwallowFinding {
  handler: ErrorHandler;
  /** The first Restate operation whose failure reaches the handler. */
  op: RestateOp;
}

const WAITED = new Set<CallUsage>(["awaited", "combined", "stored-awaited"]);
const LOG_METHODS = new Set(["log", "info", "warn", "warning", "error", "debug", "trace", "fatal", "verbose"]);
const LOOPS = new Set(["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"]);

/**
 * The Restate operations of a file that can fail with a `TerminalError`: request-response calls
 * and sleeps from the model, and the `ctx.run(...)` / `ctx.attach(id)` /
 * `ctx.invocation(id).attach()` calls made on a handler scope's context.
 */
export function restateOps(model: TsFileModel): RestateOp[] {
  const ops: RestateOp[] = [];
  const seen = new Set<Node>();
  const add = (node: Node | undefined, usage: CallUsage, label: string) => {
    if (node?.type !== "CallExpression" || seen.has(node)) return;
    seen.add(node);
    ops.push({ node, usage, label });
  };
  for (const call of model.calls) {
    if (call.mode === "request") add(call.node, call.usage, `the call to ${shownTarget(call, model.services)}`);
  }
  for (const sleep of model.sleeps) add(sleep.node, sleep.usage, "`ctx.sleep`");
  if (model.scopes.length === 0) return ops;
  for (const call of model.context.calls) {
    const what = contextOperation(call);
    if (!what || seen.has(call)) continue;
    if (!model.scopes.some((s) => s.ctxName === what.ctx && within(s.fn as Node, call))) continue;
    add(call, classifyUsage(call).usage, what.label);
  }
  return ops;
}

/** `ctx.run(...)`, `ctx.attach(id)`, `ctx.invocation(id).attach()`: the receiver's name and a label. */
function contextOperation(call: TSESTree.CallExpression): { ctx: string; label: string } | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const method = memberName(callee);
  if (method !== "run" && method !== "attach") return null;
  const obj = unwrap(callee.object);
  if (obj.type === "Identifier") return { ctx: obj.name, label: method === "run" ? "`ctx.run`" : "the attached invocation" };
  if (method !== "attach" || obj.type !== "CallExpression") return null;
  const inner = unwrap(obj.callee);
  const ctx = inner.type === "MemberExpression" && memberName(inner) === "invocation" ? unwrap(inner.object) : null;
  return ctx?.type === "Identifier" ? { ctx: ctx.name, label: "the attached invocation" } : null;
}

/**
 * Follows each operation's failure outwards: into the innermost `catch` clause whose `try`
 * block waits for it, or the `.catch(...)` chained onto it, and on to the next one only if that
 * handler rethrows. Handlers that swallow (empty, or only log) are returned with the first
 * operation that reaches them. One walk up the ancestors per operation.
 */
export function swallowedFailures(ops: RestateOp[]): SwallowFinding[] {
  const findings = new Map<Node, SwallowFinding>();
  const verdicts = new Map<Node, Verdict>();
  const verdictOf = (h: ErrorHandler): Verdict => {
    const key = handlerKey(h);
    let v = verdicts.get(key);
    if (!v) verdicts.set(key, (v = judge(h)));
    return v;
  };

  for (const op of ops) {
    // `waited`: the failure is awaited where the climb is; `carried`: it at least reaches the
    // enclosing function's result (awaited there, or returned from it).
    let waited = WAITED.has(op.usage);
    let carried = waited || op.usage === "returned";
    let child: Node = op.node;
    for (let p = parentOf(child); p; child = p, p = parentOf(p)) {
      let handler: ErrorHandler | null = null;
      if (p.type === "TryStatement" && p.block === child && p.handler) {
        // `try { return call(); }` hands the promise out unawaited: this catch never sees it.
        if (waited) handler = { kind: "clause", clause: p.handler };
      } else if (p.type === "CallExpression" && p.callee === child && catchMethod(p)) {
        handler = { kind: "method", call: p, handler: p.arguments[0] as Node };
      } else if (isFunction(p)) {
        // A callback (or an immediately called function) fails into the call it is given to,
        // as far as that call's result is waited for; any other function's failure goes
        // wherever it is called from, which we do not follow.
        const outer = parentOf(p);
        if (outer?.type !== "CallExpression" || !carried) break;
        const usage = classifyUsage(outer).usage;
        waited = WAITED.has(usage);
        carried = waited || usage === "returned";
      }
      if (!handler) continue;
      const verdict = verdictOf(handler);
      if (verdict === "swallows") {
        const key = handlerKey(handler);
        if (!findings.has(key)) findings.set(key, { handler, op });
      }
      if (verdict !== "rethrows") break;
    }
  }
  return [...findings.values()];
}

/** `p.catch(h)` with one handler argument. */
function catchMethod(call: TSESTree.CallExpression): boolean {
  const callee = call.callee;
  return callee.type === "MemberExpression" && memberName(callee) === "catch" && call.arguments.length === 1;
}

function handlerKey(h: ErrorHandler): Node {
  return h.kind === "clause" ? h.clause : h.call;
}

/**
 * - `swallows`: empty, or only logs (and `return;` / `continue;`);
 * - `rethrows`: has a `throw` somewhere, so the failure (or one made from it) goes on;
 * - `handles`: anything else (returns a result, stores state, compensates): a decision we respect.
 */
type Verdict = "swallows" | "rethrows" | "handles";

function judge(h: ErrorHandler): Verdict {
  if (h.kind === "clause") {
    if (containsThrow(h.clause.body)) return "rethrows";
    if (!logOnly(h.clause.body)) return "handles";
    return retryLoop(h.clause) ? "handles" : "swallows";
  }
  const fn = unwrap(h.handler);
  if (isFunction(fn)) {
    if (containsThrow(fn.body)) return "rethrows";
    return bodyLogOnly(fn) ? "swallows" : "handles";
  }
  // `.catch(console.error)`
  return isLogCallee(fn) ? "swallows" : "handles";
}

function bodyLogOnly(fn: FunctionNode): boolean {
  if (fn.body.type === "BlockStatement") return logOnly(fn.body);
  const body = unwrap(fn.body);
  // `() => undefined` / `() => void 0` give nothing back; `() => null` is a chosen result.
  if (body.type === "Identifier" && body.name === "undefined") return true;
  if (body.type === "UnaryExpression" && body.operator === "void" && body.argument.type === "Literal") return true;
  return isLogExpression(body);
}

function containsThrow(root: Node): boolean {
  let found = false;
  walk(root, (n) => {
    if (found) return false;
    if (n.type === "ThrowStatement") found = true;
    return !found;
  });
  return found;
}

function logOnly(stmt: Node): boolean {
  switch (stmt.type) {
    case "BlockStatement":
      return stmt.body.every((s) => logOnly(s));
    case "EmptyStatement":
    case "ContinueStatement":
      return true;
    case "ReturnStatement":
      return stmt.argument === null;
    case "ExpressionStatement":
      return isLogExpression(stmt.expression);
    case "IfStatement":
      return logOnly(stmt.consequent) && (stmt.alternate === null || logOnly(stmt.alternate));
    default:
      return false;
  }
}

/** `console.error(e)`, `ctx.console.warn(...)`, `logger.info(...)`, `log(...)`, optionally awaited or voided. */
function isLogExpression(expr: Node): boolean {
  let e = unwrap(expr);
  if (e.type === "AwaitExpression") e = unwrap(e.argument);
  if (e.type === "UnaryExpression" && e.operator === "void") e = unwrap(e.argument);
  return e.type === "CallExpression" && isLogCallee(unwrap(e.callee));
}

function isLogCallee(callee: Node): boolean {
  if (callee.type === "Identifier") return /^log($|[A-Z_])/.test(callee.name);
  if (callee.type !== "MemberExpression") return false;
  const method = memberName(callee);
  if (!method || !LOG_METHODS.has(method)) return false;
  const receiver = unwrap(callee.object);
  const name = receiver.type === "Identifier" ? receiver.name : receiver.type === "MemberExpression" ? memberName(receiver) : null;
  return !!name && /console|log/i.test(name);
}

/**
 * `for (...) { try { ...; break; } catch (e) { log(e) } }`: the catch ends an attempt, not the
 * failure; what happens after the last attempt is decided after the loop.
 */
function retryLoop(clause: TSESTree.CatchClause): boolean {
  const tryStmt = parentOf(clause);
  if (tryStmt?.type !== "TryStatement") return false;
  let inLoop = false;
  for (let p = parentOf(tryStmt); p && !isFunction(p); p = parentOf(p)) {
    if (LOOPS.has(p.type)) {
      inLoop = true;
      break;
    }
  }
  if (!inLoop) return false;
  let exits = false;
  walk(tryStmt.block, (n) => {
    if (exits || isFunction(n)) return false;
    if (n.type === "BreakStatement" || n.type === "ReturnStatement") exits = true;
    return !exits;
  });
  return exits;
}

function within(outer: Node, inner: Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}
