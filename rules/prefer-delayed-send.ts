import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import { addOptionFix } from "../src/eslint/options-fix.js";
import type { CallSite, SleepSite } from "../src/model/types.js";
import { type Node, isFunction, parentOf, walk } from "../src/ts/ast.js";

const LOOPS = new Set(["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"]);

export default createRule({
  name: "prefer-delayed-send",
  meta: {
    type: "suggestion",
    docs: {
      description: "Prefer a delayed send over `await ctx.sleep(d)` followed by a send",
      config: "recommended",
    },
    hasSuggestions: true,
    messages: {
      preferDelayedSend:
        "`await ctx.sleep({{delay}})` then a send keeps this invocation alive (and a virtual object locked) for the whole delay. Send with `delay: {{delay}}` instead: the handler ends at once and Restate delivers the message later.",
      useDelayOption: "Remove the sleep and send with `delay: {{delay}}`",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      "Program:exit"() {
        const model = fileModel(context);
        const sourceCode = context.sourceCode;
        const sendsByNode = new Map<Node, CallSite<Node>>();
        for (const c of model.calls) if (c.mode === "send" && c.node) sendsByNode.set(c.node, c);
        const done = new Set<Node>();

        for (const sleep of model.sleeps) {
          const statement = sleepStatement(sleep);
          if (!statement || done.has(statement) || insideLoop(statement)) continue;
          done.add(statement);
          const block = parentOf(statement);
          if (block?.type !== "BlockStatement" && block?.type !== "Program") continue;
          const body = block.body as Node[];
          const delayText = delayOf(sleep, sourceCode.text);
          for (let i = body.indexOf(statement) + 1; i < body.length; i++) {
            const send = soleSend(body[i]!, sendsByNode);
            if (!send) break;
            if (send.options.delay !== undefined) break;
            const fix = addOptionFix(model.context, sourceCode, send, "delay", delayText);
            context.report({
              node: send.node!,
              messageId: "preferDelayedSend",
              data: { delay: delayText },
              suggest: fix
                ? [
                    {
                      messageId: "useDelayOption",
                      data: { delay: delayText },
                      fix: (fixer) => [fixer.remove(statement), fix(fixer)],
                    },
                  ]
                : [],
            });
          }
        }
      },
    };
  },
});

/** `await ctx.sleep(d);` written as its own statement (a raced or stored sleep is an interruptible timer). */
function sleepStatement(sleep: SleepSite<Node>): Node | null {
  const call = sleep.node;
  if (!call || sleep.usage !== "awaited") return null;
  const awaitExpr = parentOf(call);
  const stmt = awaitExpr?.type === "AwaitExpression" ? parentOf(awaitExpr) : undefined;
  return stmt?.type === "ExpressionStatement" ? stmt : null;
}

function delayOf(sleep: SleepSite<Node>, text: string): string {
  const call = sleep.node as TSESTree.CallExpression;
  const arg = call.arguments[0];
  return arg ? text.slice(arg.range[0], arg.range[1]) : sleep.durationText;
}

function insideLoop(node: Node): boolean {
  for (let p = parentOf(node); p && !isFunction(p); p = parentOf(p)) if (LOOPS.has(p.type)) return true;
  return false;
}

/**
 * The send a statement consists of (`ctx.objectSendClient(X, k).h(x);`), when it does nothing
 * else. Any other statement ends the run: work placed between the sleep and the send may
 * depend on the time passing, so we stay silent.
 */
function soleSend(statement: Node, sends: Map<Node, CallSite<Node>>): CallSite<Node> | null {
  if (statement.type !== "ExpressionStatement") return null;
  let expr: Node = statement.expression;
  if (expr.type === "AwaitExpression") expr = expr.argument;
  const send = sends.get(expr);
  if (!send) return null;
  const call = send.node as TSESTree.CallExpression;
  let work = false;
  const options = send.options.node;
  for (const arg of call.arguments) {
    if (arg === options) continue;
    walk(arg, (n) => {
      if (n.type === "CallExpression" || n.type === "AwaitExpression" || n.type === "NewExpression") work = true;
    });
  }
  return work ? null : send;
}
