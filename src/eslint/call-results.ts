import type { TSESTree } from "@typescript-eslint/utils";
import type { CallSite, ServiceDef } from "../model/types.js";
import { CHAIN_METHODS } from "../ts/usage.js";
import { type Node, enclosingFunction, memberName, objectProperty, parentOf, referencesTo, unwrap, valueParent } from "../ts/ast.js";

/** Request-response factory → the send factory with the same target and arguments. */
export const SEND_FACTORY: Readonly<Record<string, string>> = {
  serviceClient: "serviceSendClient",
  objectClient: "objectSendClient",
  workflowClient: "workflowSendClient",
  client: "sendClient",
  genericCall: "genericSend",
};

/** Send factory → the request-response factory with the same target and arguments. */
export const REQUEST_FACTORY: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SEND_FACTORY).map(([request, send]) => [send, request]),
);

/** A call's promise and the methods chained onto it: `call.orTimeout(1000).map(f)`. */
export interface PromiseChain {
  /** The outermost expression still carrying the promise, with TS wrappers. */
  top: Node;
  /** Where that expression goes. */
  parent: Node | undefined;
  /** The chained method calls, innermost first. */
  links: { name: string; call: TSESTree.CallExpression }[];
}

export function promiseChain(call: Node): PromiseChain {
  const links: PromiseChain["links"] = [];
  let current = call;
  for (;;) {
    const { parent, child } = valueParent(current);
    const name = parent?.type === "MemberExpression" && parent.object === child ? memberName(parent) : null;
    const next = parent ? parentOf(parent) : undefined;
    if (name && CHAIN_METHODS.has(name) && next?.type === "CallExpression" && next.callee === parent) {
      links.push({ name, call: next });
      current = next;
      continue;
    }
    return { top: child, parent, links };
  }
}

/** `.catch(h)` or `.then(ok, h)` somewhere on the chain: the code decided what a failure means. */
export function handlesRejection(chain: PromiseChain): boolean {
  return chain.links.some((l) => l.name === "catch" || (l.name === "then" && l.call.arguments.length >= 2));
}

/**
 * The identifier naming the factory at the call site (`serviceClient` in
 * `ctx.serviceClient(X).h()`, `genericCall` in `ctx.genericCall({...})`). Null when the client
 * comes from a variable (renaming its factory would change every use) or is spelled computed.
 */
export function factoryIdentifier(call: CallSite<Node>): TSESTree.Identifier | null {
  const node = call.node;
  if (node?.type !== "CallExpression") return null;
  const callee = unwrap(node.callee);
  if (callee.type !== "MemberExpression") return null;
  let factory: Node = callee;
  if (call.api !== "generic") {
    const created = unwrap(callee.object);
    if (created.type !== "CallExpression") return null;
    factory = unwrap(created.callee);
  }
  if (factory.type !== "MemberExpression" || factory.computed || factory.property.type !== "Identifier") return null;
  return factory.property;
}

/**
 * Whether the call's arguments stay valid when the factory is swapped between request and send:
 * typed options differ (`rpc.opts` vs `rpc.sendOpts`), and a generic call's `outputSerde` /
 * a generic send's `delay` have no counterpart on the other side.
 */
export function argumentsPortable(call: CallSite<Node>, toMode: "request" | "send"): boolean {
  if (call.api !== "generic") return call.options.form === "none";
  const spec = call.options.node ? unwrap(call.options.node) : null;
  if (spec?.type !== "ObjectExpression") return false;
  if (spec.properties.some((p) => p.type !== "Property")) return false;
  return !objectProperty(spec, toMode === "send" ? "outputSerde" : "delay");
}

/**
 * `Ledger.record`, `record`, or null when neither the target nor the handler is known. A
 * definition in this file is named by its service name, not the variable holding it.
 */
export function targetLabel(call: CallSite<Node>, services: readonly ServiceDef<unknown>[] = []): string | null {
  const t = call.target;
  let service: string | null = null;
  if (t.by === "local") service = services.find((s) => s.localNames.includes(t.localName))?.name || null;
  else if (t.by === "name") service = t.serviceName;
  else if (t.by === "import") service = t.ref.member ?? (t.ref.imported === "*" || t.ref.imported === "default" ? null : t.ref.imported);
  // Otherwise the name the code itself uses for the definition, if it is a plain identifier.
  if (!service && call.api !== "generic") service = definitionIdentifier(call);
  if (service && call.handler) return `${service}.${call.handler}`;
  return call.handler;
}

/** `counter` in `ctx.objectClient(counter, key).add()`. */
function definitionIdentifier(call: CallSite<Node>): string | null {
  const node = call.node;
  const callee = node?.type === "CallExpression" ? unwrap(node.callee) : null;
  const created = callee?.type === "MemberExpression" ? unwrap(callee.object) : null;
  const first = created?.type === "CallExpression" && created.arguments[0] ? unwrap(created.arguments[0]) : null;
  return first?.type === "Identifier" ? first.name : null;
}

/** "`Ledger.record`" or "the callee", for messages. */
export function shownTarget(call: CallSite<Node>, services: readonly ServiceDef<unknown>[] = []): string {
  const label = targetLabel(call, services);
  return label ? `\`${label}\`` : "the callee";
}

/**
 * For `const x = <expr>`: the variable and every later reference to it in the enclosing
 * function. Null for any other shape (destructuring, property targets), which the callers
 * treat as "we cannot follow it".
 */
export function declaredVariable(chain: PromiseChain): { name: string; refs: TSESTree.Identifier[] } | null {
  const decl = chain.parent;
  if (decl?.type !== "VariableDeclarator" || decl.init !== chain.top || decl.id.type !== "Identifier") return null;
  const scope = enclosingFunction(decl);
  if (!scope) return null;
  return { name: decl.id.name, refs: referencesTo(scope.body, decl.id.name) };
}

/** `x.invocationId` (or `x?.invocationId`). */
export function readsInvocationId(ref: Node): boolean {
  const { parent, child } = valueParent(ref);
  return parent?.type === "MemberExpression" && parent.object === child && memberName(parent) === "invocationId";
}
