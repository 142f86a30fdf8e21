import path from "node:path";
import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import { projectAnalysis } from "../src/eslint/project.js";
import type { CallSite } from "../src/model/types.js";
import { longLockedMessageData, longLockedRequests } from "../src/project/long-waits.js";
import type { Node } from "../src/ts/ast.js";

type Options = [{ allow?: string[] }];

export default createRule<Options, "requestFromExclusive">({
  name: "no-request-from-exclusive-handler",
  meta: {
    type: "suggestion",
    docs: {
      description:
        "Disallow request-response calls from an exclusive handler to another virtual object's exclusive handler or a workflow",
      config: "strict",
      typeAware: true,
    },
    messages: {
      requestFromExclusive:
        "{{caller}} holds the lock on ({{callerObject}}, key) while it waits for {{callee}} ({{calleeKind}}): every other call to this key queues until it finishes. Send instead of calling, or make one of the two handlers shared.",
    },
    schema: [
      {
        type: "object",
        properties: {
          allow: {
            type: "array",
            items: { type: "string" },
            description: 'Targets that may be called: "Service", "Service/handler" or "Service/*".',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ allow: [] }],
  },
  defaultOptions: [{ allow: [] }],
  create(context, [options]) {
    const allow = options.allow ?? [];
    return {
      "Program:exit"() {
        const model = fileModel(context);
        const analysis = projectAnalysis(context, model, "all");
        if (!analysis) return;
        const file = path.resolve(context.filename);
        for (const e of longLockedRequests(analysis, file, allow)) {
          const call: CallSite<Node> | undefined = model.calls[e.callIndex];
          const at = analysis.locOf(e);
          const loc = { start: { line: at.line, column: at.column }, end: { line: at.endLine, column: at.endColumn } };
          context.report({
            ...(call?.node ? { node: call.node as TSESTree.Node } : { loc }),
            messageId: "requestFromExclusive",
            data: longLockedMessageData(e),
          });
        }
      },
    };
  },
});
