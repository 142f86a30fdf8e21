import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { type HandlerContexts, functionName, handlerContexts } from "../src/eslint/handler-context.js";
import { type FunctionNode, type Node, memberName, paramName, parentOf, propertyName, unwrap } from "../src/ts/ast.js";

/**
 * Context members that journal, read journaled state or consume the deterministic random
 * sequence. `key`, `request()` and `console` are left out on purpose: they read values fixed
 * for the invocation (or log, which the SDK already mutes during replay) and write no journal
 * entry.
 */
const JOURNALED = new Set([
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

export default createRule<[], "contextInRun">({
  name: "no-context-in-run",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow using the Restate context (state, calls, timers, `ctx.rand`, nested `ctx.run`) inside a `ctx.run` closure",
      config: "recommended",
    },
    messages: {
      contextInRun:
        "{{use}} inside a `ctx.run` closure: the closure runs only until its result is journaled and is skipped on replay, so Restate operations made from it are missing or out of order on the next attempt (journal mismatch, RT0016), and awaiting them from inside the run can hang. Do this before or after the `ctx.run` and pass the values in or out.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      "Program:exit"() {
        const hc = handlerContexts(context);
        if (hc.runClosures.length === 0) return;
        const reported = new Set<Node>();
        for (const binding of hc.bindings) {
          const ctx = binding.variable.name;
          for (const ref of binding.variable.references) {
            if (!ref.isValueReference) continue;
            const id = ref.identifier as TSESTree.Identifier;
            if (!hc.enclosingRun(id)) continue;
            const use = misuse(hc, id, ctx);
            if (!use || reported.has(use.node)) continue;
            reported.add(use.node);
            context.report({ node: use.node, messageId: "contextInRun", data: { use: use.text } });
          }
        }
      },
    };
  },
});

/** What the closure does with one reference to `ctx`, when that touches the journal. */
function misuse(hc: HandlerContexts, id: TSESTree.Identifier, ctx: string): { node: Node; text: string } | null {
  let child: Node = id;
  let parent = parentOf(child);
  while (parent && (parent.type === "TSNonNullExpression" || parent.type === "TSAsExpression")) {
    child = parent;
    parent = parentOf(child);
  }
  if (!parent) return null;
  if (parent.type === "MemberExpression" && parent.object === child) {
    const member = memberName(parent);
    return member && JOURNALED.has(member) ? { node: parent, text: `\`${ctx}.${member}\`` } : null;
  }
  // const { get, set } = ctx
  if (parent.type === "VariableDeclarator" && parent.init === child && parent.id.type === "ObjectPattern") {
    for (const p of parent.id.properties) {
      const name = p.type === "Property" ? propertyName(p.key, p.computed) : null;
      if (name && JOURNALED.has(name)) return { node: parent.id, text: `\`${ctx}.${name}\`` };
    }
    return null;
  }
  // helper(ctx): only when the helper, declared in this file, uses the context itself.
  if (parent.type === "CallExpression" && parent.arguments.includes(child as TSESTree.CallExpressionArgument)) {
    const callee = unwrap(parent.callee);
    if (callee.type !== "Identifier") return null;
    const fn = hc.localFunction(callee);
    if (!fn) return null;
    const index = parent.arguments.indexOf(child as TSESTree.CallExpressionArgument);
    const member = helperUse(hc, fn, index);
    if (!member) return null;
    const name = functionName(fn) ?? callee.name;
    return { node: child, text: `Passing \`${ctx}\` to \`${name}\`, which uses \`.${member}\`,` };
  }
  return null;
}

/** The first journaled context member a helper uses through its parameter at `index`. */
function helperUse(hc: HandlerContexts, fn: FunctionNode, index: number): string | null {
  const param = fn.params[index];
  const name = param ? paramName(param as Node) : null;
  if (!name || param?.type === "RestElement") return null;
  const variable = hc.declaredVariables(fn).find((v) => v.name === name);
  if (!variable) return null;
  for (const ref of variable.references) {
    const parent = parentOf(ref.identifier);
    if (parent?.type === "MemberExpression" && parent.object === ref.identifier) {
      const member = memberName(parent);
      if (member && JOURNALED.has(member)) return member;
    }
  }
  return null;
}
