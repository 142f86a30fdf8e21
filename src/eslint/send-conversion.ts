import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { CallSite } from "../model/types.js";
import { type Node, memberName, objectProperty, unwrap } from "../ts/ast.js";

const TO_SEND: Record<string, string> = {
  serviceClient: "serviceSendClient",
  objectClient: "objectSendClient",
  workflowClient: "workflowSendClient",
  client: "sendClient",
  genericCall: "genericSend",
};

const TO_REQUEST: Record<string, string> = Object.fromEntries(Object.entries(TO_SEND).map(([a, b]) => [b, a]));

/**
 * The fix that turns a request-response call into the matching one-way send (or back):
 * renames the client factory written at the call (`ctx.objectClient(...).h()`) or the generic
 * method. Null when the client comes from a variable or the call needs the result's serde.
 */
export function switchClientFix(
  call: CallSite<Node>,
  to: "send" | "request",
): ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix) | null {
  const node = call.node as TSESTree.CallExpression | undefined;
  if (!node) return null;
  const table = to === "send" ? TO_SEND : TO_REQUEST;
  const callee = unwrap(node.callee);
  if (callee.type !== "MemberExpression") return null;
  if (call.api === "generic") {
    const name = memberName(callee);
    if (!name || !table[name] || callee.computed) return null;
    const spec = node.arguments[0] ? unwrap(node.arguments[0] as Node) : null;
    if (to === "send" && spec && objectProperty(spec, "outputSerde")) return null;
    return (fixer) => fixer.replaceText(callee.property, table[name]!);
  }
  const factory = unwrap(callee.object);
  if (factory.type !== "CallExpression") return null;
  const factoryCallee = unwrap(factory.callee);
  if (factoryCallee.type !== "MemberExpression" || factoryCallee.computed) return null;
  const name = memberName(factoryCallee);
  if (!name || !table[name]) return null;
  return (fixer) => fixer.replaceText(factoryCallee.property, table[name]!);
}
