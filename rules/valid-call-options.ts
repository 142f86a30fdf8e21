import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import { sdkSpelling } from "../src/eslint/sdk-spelling.js";
import type { Node } from "../src/ts/ast.js";

type MessageIds = "plainObjectOptions" | "plainObjectAsInput" | "legacyFactoryOptions" | "wrapOptions" | "moveDelay";

export default createRule<[], MessageIds>({
  name: "valid-call-options",
  meta: {
    type: "problem",
    docs: {
      description: "Require call options to be built with `rpc.opts`/`rpc.sendOpts`, not plain objects or the removed factory `{ delay }`",
      config: "recommended",
    },
    hasSuggestions: true,
    messages: {
      plainObjectOptions:
        "A plain object as call options throws `TypeError: The second argument must be either Opts or SendOpts` at run time. Build it with `{{helper}}(...)`.",
      plainObjectAsInput:
        "This plain object is sent as the handler's input, not read as options: `{{keys}}` never takes effect. Build it with `{{helper}}(...)`.",
      legacyFactoryOptions:
        "The client-factory `{ delay }` option was removed in SDK 1.12: on current SDKs it is ignored and the message goes out at once. Pass the delay to the send itself with `{{helper}}({ delay })`.",
      wrapOptions: "Wrap the object in `{{helper}}(...)`",
      moveDelay: "Move the delay into `{{helper}}({ delay: … })` on the send",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      "Program:exit"() {
        const model = fileModel(context);
        const sourceCode = context.sourceCode;
        const seen = new Set<Node>();
        for (const call of model.calls) {
          const opts = call.options.node;
          if (!opts || seen.has(opts) || call.api === "generic") continue;
          const send = call.mode === "send";
          const helper = send
            ? sdkSpelling(model.context, "rpc.sendOpts", "SendOpts.from")
            : sdkSpelling(model.context, "rpc.opts", "Opts.from");
          const shownHelper = helper ?? (send ? "restate.rpc.sendOpts" : "restate.rpc.opts");
          if (call.options.form === "plain-object") {
            seen.add(opts);
            const args = (call.node as TSESTree.CallExpression).arguments;
            const wrap: TSESLint.ReportSuggestionArray<MessageIds> = helper
              ? [{ messageId: "wrapOptions", data: { helper }, fix: (f) => f.replaceText(opts, `${helper}(${sourceCode.getText(opts)})`) }]
              : [];
            if (args.length >= 2) {
              context.report({ node: opts, messageId: "plainObjectOptions", data: { helper: shownHelper }, suggest: wrap });
            } else {
              const keys = (opts as TSESTree.ObjectExpression).properties
                .map((p) => (p.type === "Property" ? sourceCode.getText(p.key) : "…"))
                .join(", ");
              context.report({ node: opts, messageId: "plainObjectAsInput", data: { helper: shownHelper, keys }, suggest: wrap });
            }
          } else if (call.options.form === "legacy-factory") {
            seen.add(opts);
            const sendHelper = sdkSpelling(model.context, "rpc.sendOpts", "SendOpts.from");
            const fix = sendHelper ? moveDelayFix(sourceCode, call.node as TSESTree.CallExpression, opts, sendHelper, call.options.delay) : null;
            context.report({
              node: opts,
              messageId: "legacyFactoryOptions",
              data: { helper: sendHelper ?? "restate.rpc.sendOpts" },
              suggest: fix && sendHelper ? [{ messageId: "moveDelay", data: { helper: sendHelper }, fix }] : [],
            });
          }
        }
      },
    };
  },
});

/** `ctx.objectSendClient(o, k, { delay: d }).h(x)` → `ctx.objectSendClient(o, k).h(x, sendOpts({ delay: d }))`. */
function moveDelayFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  call: TSESTree.CallExpression,
  legacy: Node,
  helper: string,
  delay: string | undefined,
): ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[]) | null {
  if (delay === undefined || call.arguments.length > 1) return null;
  const before = sourceCode.getTokenBefore(legacy);
  if (!before || before.value !== ",") return null;
  const added = `${helper}({ delay: ${delay} })`;
  const last = call.arguments[0];
  const closing = sourceCode.getLastToken(call);
  if (!closing) return null;
  return (fixer) => [
    fixer.removeRange([before.range[0], legacy.range[1]]),
    last ? fixer.insertTextAfter(last, `, ${added}`) : fixer.insertTextBefore(closing, added),
  ];
}
