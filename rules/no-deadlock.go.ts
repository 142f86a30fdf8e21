import type { CallSite } from "../src/model/types.js";
import { deadlockReports } from "../src/report/chain.js";
import type { GoNode } from "../src/go/ast.js";
import { fieldOf, unparen } from "../src/go/ast.js";
import type { GoCallDetail, GoFileModel } from "../src/go/extract.js";
import { goProjectAnalysis } from "../src/go/project.js";
import { type GoFix, type GoFixer, type GoSuggestion, defineGoListeners, goModel } from "../src/go/rule-kit.js";

const SEND_FACTORY: Record<string, string> = { Service: "ServiceSend", Object: "ObjectSend", Workflow: "WorkflowSend" };

export default defineGoListeners("no-deadlock", {
  create(context) {
    const reportPossible = (context.options[0] as { reportPossible?: boolean } | undefined)?.reportPossible !== false;
    return {
      "source_file:exit"() {
        const model = goModel(context);
        const analysis = goProjectAnalysis(context, model, "cycles");
        if (!analysis) return;
        for (const report of deadlockReports(analysis, context.filename, reportPossible)) {
          const call: CallSite<GoNode> | undefined = model.calls[report.callIndex];
          const suggestion = call ? useSend(model, call) : null;
          context.report({
            ...(call?.node ? { node: call.node } : { loc: report.loc }),
            messageId: report.messageId,
            data: report.data,
            suggest: suggestion ? [suggestion] : [],
          });
        }
      },
    };
  },
});

/**
 * `restate.Object[O](ctx, "X", k, "h").Request(in)` as a statement of its own (nothing reads the
 * result or the error) becomes `restate.ObjectSend(ctx, "X", k, "h").Send(in)`.
 */
function useSend(model: GoFileModel, call: CallSite<GoNode>): GoSuggestion | null {
  const detail = call.node ? model.details.get(call.node) : undefined;
  if (!detail || detail.method !== "Request" || call.node?.parent?.type !== "expression_statement") return null;
  const edits = sendEdits(model, detail);
  return edits ? { messageId: "useSend", fix: (fixer) => edits(fixer) } : null;
}

function sendEdits(model: GoFileModel, detail: GoCallDetail): ((fixer: GoFixer) => GoFix[]) | null {
  const send = SEND_FACTORY[detail.factory];
  const restate = model.go.restate;
  const fn = fieldOf(detail.factoryCall, "function");
  const method = fieldOf(unparen(fieldOf(detail.methodCall, "function")!), "field");
  if (!send || !restate || !fn || !method) return null;
  // `restate.Object[O]` is an index expression or a selector followed by type arguments.
  const typeArgs = fieldOf(detail.factoryCall, "type_arguments");
  const end = typeArgs ? typeArgs.range[1] : fn.range[1];
  return (fixer) => [fixer.replaceTextRange([fn.range[0], end], `${restate}.${send}`), fixer.replaceText(method, "Send")];
}
