import tsNoRequestFromExclusiveHandler from "../../../rules/no-request-from-exclusive-handler.js";
import path from "node:path";
import type { CallSite } from "../../model/types.js";
import { longLockedMessageData, longLockedRequests } from "../../project/long-waits.js";
import type { GoNode } from "../ast.js";
import { goProjectAnalysis } from "../project.js";
import { defineGoRule, goModel } from "../rule-kit.js";

export default defineGoRule(tsNoRequestFromExclusiveHandler, {
  messages: {
    requestFromExclusive:
      "{{caller}} holds the lock on ({{callerObject}}, key) while it waits for {{callee}} ({{calleeKind}}): every other call to this key queues until it finishes. Send instead of calling, or make one of the two handlers shared.",
  },
  create(context) {
    const allow = (context.options[0] as { allow?: string[] } | undefined)?.allow ?? [];
    return {
      "source_file:exit"() {
        const model = goModel(context);
        const analysis = goProjectAnalysis(context, model, "all");
        if (!analysis) return;
        const file = path.resolve(context.filename);
        for (const e of longLockedRequests(analysis, file, allow)) {
          const call: CallSite<GoNode> | undefined = model.calls[e.callIndex];
          const at = analysis.locOf(e);
          context.report({
            ...(call?.node
              ? { node: call.node }
              : { loc: { start: { line: at.line, column: at.column }, end: { line: at.endLine, column: at.endColumn } } }),
            messageId: "requestFromExclusive",
            data: longLockedMessageData(e),
          });
        }
      },
    };
  },
});
