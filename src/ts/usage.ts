import type { CallUsage } from "../model/types.js";
import { type Node, enclosingFunction, memberName, parentOf, referencesTo, unwrap, valueParent } from "./ast.js";
import { declarationScope, declaringScope, refersToScope } from "./scope.js";

const COMBINATORS = new Set(["all", "race", "any", "allSettled"]);
/** Methods whose result still carries the promise they are called on. */
export const CHAIN_METHODS: ReadonlySet<string> = new Set(["orTimeout", "map", "then", "catch", "finally"]);

export interface UsageResult {
  usage: CallUsage;
  timeout: boolean;
  /** The outermost expression that still carries the call's promise (after `.orTimeout`, `.map`…). */
  carrier: Node;
}

/**
 * What the surrounding code does with the promise (or handle) produced by `expr`:
 * awaited, returned, combined, stored and later awaited, floating, voided, …
 */
export function classifyUsage(expr: Node, depth = 0): UsageResult {
  let timeout = false;
  let current: Node = expr;
  for (;;) {
    const { parent, child } = valueParent(current);
    current = child;
    if (!parent) return { usage: "unknown", timeout, carrier: current };
    switch (parent.type) {
      case "AwaitExpression":
        return { usage: "awaited", timeout, carrier: current };
      case "YieldExpression":
        return { usage: parent.delegate ? "awaited" : "unknown", timeout, carrier: current };
      case "ReturnStatement":
        return { usage: "returned", timeout, carrier: current };
      case "ArrowFunctionExpression":
        if (parent.body === current) return fromReturnedCallback(parent, timeout, current, depth);
        return { usage: "unknown", timeout, carrier: current };
      case "UnaryExpression":
        return { usage: parent.operator === "void" ? "voided" : "unknown", timeout, carrier: current };
      case "ExpressionStatement":
        return { usage: "floating", timeout, carrier: current };
      case "ConditionalExpression":
        if (parent.test === current) return { usage: "unknown", timeout, carrier: current };
        current = parent;
        continue;
      case "LogicalExpression":
      case "SequenceExpression":
        current = parent;
        continue;
      case "MemberExpression": {
        // p.orTimeout(...), p.map(...), p.then(...): the result still carries the call.
        const name = memberName(parent);
        const call = parentOf(parent);
        if (parent.object === current && name && CHAIN_METHODS.has(name) && call?.type === "CallExpression" && call.callee === parent) {
          if (name === "orTimeout") timeout = true;
          current = call;
          continue;
        }
        return { usage: "unknown", timeout, carrier: current };
      }
      case "ArrayExpression":
        return fromArray(parent, timeout, current, depth);
      case "CallExpression":
      case "NewExpression":
        if (parent.callee === current) return { usage: "unknown", timeout, carrier: current };
        if (isCombinatorCall(parent)) return { usage: "combined", timeout, carrier: current };
        if (isPushCall(parent) && depth < 2) {
          // promises.push(call): what happens to the array decides.
          const arr = unwrap((parent.callee as { object: Node }).object);
          if (arr.type === "Identifier") {
            // The array, not the promise, is what gets awaited: the promise joins a combination.
            const r = fromVariable(arr.name, parent, timeout, current, depth);
            return r.usage === "stored-awaited" ? { ...r, usage: "combined" } : r;
          }
        }
        return { usage: "passed", timeout, carrier: current };
      case "VariableDeclarator":
        if (parent.init === current && parent.id.type === "Identifier" && depth < 2) {
          return fromVariable(parent.id.name, parent, timeout, current, depth);
        }
        return { usage: "stored", timeout, carrier: current };
      case "AssignmentExpression":
        if (parent.right === current && parent.left.type === "Identifier" && depth < 2) {
          return fromVariable(parent.left.name, parent, timeout, current, depth);
        }
        // `this.pending = call()`: the promise escapes into a property.
        return { usage: parent.left.type === "Identifier" ? "stored" : "passed", timeout, carrier: current };
      case "Property":
      case "SpreadElement":
      case "TemplateLiteral":
      case "BinaryExpression":
        return { usage: "unknown", timeout, carrier: current };
      default:
        return { usage: "unknown", timeout, carrier: current };
    }
  }
}

/** `RestatePromise.all([...])`, `Promise.race([...])`, `CombineablePromise.any(...)`. */
export function isCombinatorCall(call: Node): boolean {
  if (call.type !== "CallExpression") return false;
  const callee = unwrap(call.callee);
  const name = memberName(callee);
  return !!name && COMBINATORS.has(name);
}

function isPushCall(call: Node): boolean {
  if (call.type !== "CallExpression") return false;
  const name = memberName(unwrap(call.callee));
  return name === "push" || name === "unshift";
}

function fromArray(arr: Node, timeout: boolean, carrier: Node, depth: number): UsageResult {
  const inner = classifyUsage(arr, depth + 1);
  const usage: CallUsage =
    inner.usage === "combined" || inner.usage === "awaited" || inner.usage === "returned" || inner.usage === "stored-awaited"
      ? "combined"
      : inner.usage;
  return { usage, timeout: timeout || inner.timeout, carrier };
}

/** `.map(x => call(x))`: the callback's result flows wherever the `.map(...)` result goes. */
function fromReturnedCallback(fn: Node, timeout: boolean, carrier: Node, depth: number): UsageResult {
  const call = parentOf(fn);
  if (call?.type === "CallExpression" && call.arguments.includes(fn as never) && depth < 3) {
    const name = memberName(unwrap(call.callee));
    if (name === "map" || name === "flatMap") {
      const inner = classifyUsage(call, depth + 1);
      const usage: CallUsage = inner.usage === "awaited" || inner.usage === "stored-awaited" || inner.usage === "returned" ? "combined" : inner.usage;
      return { usage, timeout: timeout || inner.timeout, carrier };
    }
    if (name === "run") return { usage: "returned", timeout, carrier };
    // `forEach` drops what its callback returns.
    if (name === "forEach") return { usage: "floating", timeout, carrier };
  }
  return { usage: "returned", timeout, carrier };
}

/** A promise kept in a variable: waited for if any later reference is awaited, returned or combined. */
function fromVariable(name: string, decl: Node, timeout: boolean, carrier: Node, depth: number): UsageResult {
  const scope = enclosingFunction(decl) ?? rootOf(decl);
  const variableScope = scopeOfVariable(name, decl);
  let awaited = false;
  let escapes = false;
  let t = timeout;
  for (const ref of referencesTo(scope, name)) {
    if (isDeclarationTarget(ref, decl) || isArrayFill(ref)) continue;
    // An inner variable or parameter of the same name is another variable.
    if (!refersToScope(ref, variableScope)) continue;
    const r = classifyUsage(ref, depth + 1);
    if (r.usage === "awaited" || r.usage === "returned" || r.usage === "combined" || r.usage === "stored-awaited") {
      awaited = true;
      t = t || r.timeout;
    } else if ((r.usage === "passed" || r.usage === "unknown") && !readsInvocationId(ref)) {
      // Handed to other code (`track(p)`, `{ p }`): whether it is awaited there is not known.
      escapes = true;
    }
  }
  return { usage: awaited ? "stored-awaited" : escapes ? "passed" : "stored", timeout: t, carrier };
}

/** Where the variable `name` assigned at `site` (a declarator, an assignment, a push) is declared. */
function scopeOfVariable(name: string, site: Node): Node | null {
  if (site.type === "VariableDeclarator") return declarationScope(site);
  let id: Node | undefined;
  if (site.type === "AssignmentExpression") id = site.left;
  else if (site.type === "CallExpression") id = unwrap((site.callee as { object?: Node }).object ?? site.callee);
  return id?.type === "Identifier" && id.name === name ? (declaringScope(id)?.scope ?? null) : null;
}

/** `ps.push(x)`: the array being filled, not a use of what is in it. */
function isArrayFill(ref: Node): boolean {
  const { parent, child } = valueParent(ref);
  return parent?.type === "MemberExpression" && parent.object === child && isPushCall(parentOf(parent) ?? parent);
}

/** `handle.invocationId`: reading the id neither waits nor hands the promise on. */
function readsInvocationId(ref: Node): boolean {
  const { parent, child } = valueParent(ref);
  return parent?.type === "MemberExpression" && parent.object === child && memberName(parent) === "invocationId";
}

function isDeclarationTarget(ref: Node, decl: Node): boolean {
  return decl.type === "AssignmentExpression" && decl.left === ref;
}

function rootOf(node: Node): Node {
  let n = node;
  for (let p = parentOf(n); p; p = parentOf(p)) n = p;
  return n;
}
