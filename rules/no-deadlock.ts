import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import { cycleRole, offerModel, projectAnalysis } from "../src/eslint/project.js";
import { SEND_FACTORY, argumentsPortable, factoryIdentifier } from "../src/eslint/call-results.js";
import type { CallSite } from "../src/model/types.js";
import { deadlockReports } from "../src/report/chain.js";
import { type Node, parentOf } from "../src/ts/ast.js";

type Options = [{ reportPossible?: boolean }];
type MessageIds = "certainDeadlock" | "possibleDeadlock" | "useSend";

export default createRule<Options, MessageIds>({
  name: "no-deadlock",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow chains of request-response calls that wait on a virtual-object lock they already hold",
      config: "recommended",
      typeAware: true,
    },
    hasSuggestions: true,
    messages: {
      certainDeadlock:
        "Deadlock: {{chain}} — {{closing}} is exclusive and waits for the lock {{holder}} holds, while {{holder}} waits for it: neither invocation ever finishes, and every later call to that key queues behind them. Send instead of calling where the result is not needed, or make {{closing}} shared if it only reads state.",
      possibleDeadlock:
        "Possible deadlock: {{chain}} — {{explanation}} Send instead of calling where the result is not needed, or make {{closing}} shared if it only reads state.",
      useSend: "Send instead of waiting (the result is not used)",
    },
    schema: [
      {
        type: "object",
        properties: {
          reportPossible: {
            type: "boolean",
            description: "Also report chains whose keys are not provably equal (lock-order inversions).",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ reportPossible: true }],
  },
  defaultOptions: [{ reportPossible: true }],
  create(context, [options]) {
    const reportPossible = options.reportPossible !== false;
    // Most files of a project lie on no cycle: their model need not even be built, nor the nodes
    // it is built from collected, unless a cycle's analysis may read it.
    const role = cycleRole(context);
    if (role === "off") return {};
    if (role === "read") return { "Program:exit": () => offerModel(context, fileModel(context)) };
    return {
      "Program:exit"() {
        const model = fileModel(context);
        const analysis = projectAnalysis(context, model, "cycles");
        if (!analysis) return;
        for (const report of deadlockReports(analysis, context.filename, reportPossible)) {
          const call = model.calls[report.callIndex];
          const factory = call && resultUnused(call) && argumentsPortable(call, "send") ? factoryIdentifier(call) : null;
          const sendFactory = factory ? SEND_FACTORY[factory.name] : undefined;
          const suggest: TSESLint.ReportSuggestionArray<MessageIds> =
            factory && sendFactory
              ? [{ messageId: "useSend", fix: (fixer) => [removeAwait(call!, fixer), fixer.replaceText(factory, sendFactory)] }]
              : [];
          context.report({
            ...(call?.node ? { node: call.node as TSESTree.Node } : { loc: report.loc }),
            messageId: report.messageId,
            data: report.data,
            suggest,
          });
        }
      },
    };
  },
});

/** `await ctx.objectClient(X, k).h(x);` as a statement of its own: nothing reads the result. */
function resultUnused(call: CallSite<Node>): boolean {
  if (call.mode !== "request" || call.usage !== "awaited" || !call.node) return false;
  const awaitExpr = parentOf(call.node);
  return awaitExpr?.type === "AwaitExpression" && parentOf(awaitExpr)?.type === "ExpressionStatement";
}

/** Removes `await ` (the keyword and the space after it). */
function removeAwait(call: CallSite<Node>, fixer: TSESLint.RuleFixer): TSESLint.RuleFix {
  const awaitExpr = parentOf(call.node!) as TSESTree.AwaitExpression;
  return fixer.removeRange([awaitExpr.range[0], awaitExpr.argument.range[0]]);
}
