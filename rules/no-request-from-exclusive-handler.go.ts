import path from "node:path";
import type { CallSite } from "../src/model/types.js";
import { longLockedMessageData, longLockedRequests } from "../src/project/long-waits.js";
import type { GoNode } from "../src/go/ast.js";
import { goProjectAnalysis } from "../src/go/project.js";
import { defineGoListeners, goModel } from "../src/go/rule-kit.js";

export default defineGoListeners("no-request-from-exclusive-handler", {
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
