import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import { ingressCalls } from "../src/ts/ingress.js";
import { clientsSpelling, sdkSpelling } from "../src/ts/spelling.js";
import type { CallSite } from "../src/model/types.js";
import { type Node, parentOf, propertyName, unwrap } from "../src/ts/ast.js";
import type { TsFileModel } from "../src/ts/extract.js";
import { type FileContext, sdkPath } from "../src/ts/file-context.js";

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
            const args = (call.node as TSESTree.CallExpression).arguments;
            if (args.length < 2 && !sentAsInputByMistake(model, call)) continue;
            seen.add(opts);
            const wrap: TSESLint.ReportSuggestionArray<MessageIds> = helper
              ? [{ messageId: "wrapOptions", data: { helper }, fix: (f) => f.replaceText(opts, `${helper}(${sourceCode.getText(opts)})`) }]
              : [];
            if (args.length >= 2) {
              context.report({ node: opts, messageId: "plainObjectOptions", data: { helper: shownHelper }, suggest: wrap });
            } else {
              const obj = unwrap(opts);
              const keys = (obj.type === "ObjectExpression" ? obj.properties : [])
                .map((p) => (p.type === "Property" ? sourceCode.getText(p.key) : "…"))
                .join(", ");
              context.report({ node: opts, messageId: "plainObjectAsInput", data: { helper: shownHelper, keys }, suggest: wrap });
            }
          } else if (call.options.form === "legacy-factory" && call.options.delay !== undefined) {
            seen.add(opts);
            const sendHelper = sdkSpelling(model.context, "rpc.sendOpts", "SendOpts.from");
            const fix = sendHelper
              ? moveDelayFix(model.context, sourceCode, call.node as TSESTree.CallExpression, opts, sendHelper, call.options.delay)
              : null;
            context.report({
              node: opts,
              messageId: "legacyFactoryOptions",
              data: { helper: sendHelper ?? "restate.rpc.sendOpts" },
              suggest: fix && sendHelper ? [{ messageId: "moveDelay", data: { helper: sendHelper }, fix }] : [],
            });
          }
        }

        // The ingress client reads its options the same way (`optsFromArgs` of the clients package).
        for (const call of ingressCalls(model)) {
          const opts = call.options.plainObject;
          // `workflowAttach(opts?)` and `workflowOutput(opts?)` read no second argument.
          if (!opts || call.exemption === "workflowAttach" || call.exemption === "workflowOutput") continue;
          const send = call.mode === "send";
          const helper = send
            ? clientsSpelling(model.context, "rpc.sendOpts", "SendOpts.from")
            : clientsSpelling(model.context, "rpc.opts", "Opts.from");
          context.report({
            node: opts,
            messageId: "plainObjectOptions",
            data: { helper: helper ?? (send ? "clients.rpc.sendOpts" : "clients.rpc.opts") },
            suggest: helper
              ? [{ messageId: "wrapOptions", data: { helper }, fix: (f) => f.replaceText(opts, `${helper}(${sourceCode.getText(opts)})`) }]
              : [],
          });
        }
      },
    };
  },
});

const OPTION_HELPERS = new Set(["rpc.opts", "rpc.sendOpts", "Opts.from", "SendOpts.from"]);
/** Keys that name Restate call options and hardly ever a field of a handler's input. */
const CALL_ONLY_KEYS = new Set(["idempotencyKey", "headers", "limitKey"]);

/**
 * Whether a lone plain object that looks like options is really meant as options. When the
 * target handler is defined in this file its signature decides: with an input parameter the
 * object is that input. Otherwise the keys decide; `delay` alone counts only on a send, as a
 * request has no delay option and `{ delay }` is then most likely real input.
 */
function sentAsInputByMistake(model: TsFileModel, call: CallSite<Node>): boolean {
  const input = targetInput(model, call);
  if (input !== "unknown") return input === "none";
  if (call.mode === "send") return true;
  const obj = call.options.node ? unwrap(call.options.node) : null;
  if (obj?.type !== "ObjectExpression") return false;
  return obj.properties.some((p) => p.type === "Property" && CALL_ONLY_KEYS.has(propertyName(p.key, p.computed) ?? ""));
}

/** Whether the called handler takes an input, when its definition is in this file. */
function targetInput(model: TsFileModel, call: CallSite<Node>): "input" | "none" | "unknown" {
  const target = call.target;
  const services = model.services.filter((s) =>
    target.by === "local" ? s.localNames.includes(target.localName) : target.by === "name" && s.name === target.serviceName,
  );
  if (services.length !== 1 || call.handler === null) return "unknown";
  const handler = services[0]!.handlers.find((h) => h.name === call.handler);
  const fn = handler ? model.impls.find((i) => i.handler === handler)?.fn : null;
  if (!fn) return "unknown";
  return fn.params.length >= 2 ? "input" : "none";
}

/** `ctx.objectSendClient(o, k, { delay: d }).h(x)` → `ctx.objectSendClient(o, k).h(x, sendOpts({ delay: d }))`. */
function moveDelayFix(
  fc: FileContext,
  sourceCode: Readonly<TSESLint.SourceCode>,
  call: TSESTree.CallExpression,
  legacy: Node,
  helper: string,
  delay: string | undefined,
): ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[]) | null {
  if (delay === undefined || call.arguments.length > 1) return null;
  // Only when the client is used right here: a stored client may serve other sends, which
  // would silently lose their delay.
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression" || unwrap(callee.object) !== parentOf(legacy)) return null;
  // The legacy object carries nothing but the delay.
  const obj = unwrap(legacy);
  if (obj.type !== "ObjectExpression" || obj.properties.length !== 1) return null;
  const only = call.arguments[0];
  // A lone `rpc.sendOpts(...)` argument is options, not input: a second one would turn it into input.
  if (only && (only.type === "SpreadElement" || isOptionsHelperCall(fc, only))) return null;
  const before = sourceCode.getTokenBefore(legacy);
  if (!before || before.value !== ",") return null;
  const added = `${helper}({ delay: ${delay} })`;
  const closing = sourceCode.getLastToken(call);
  if (!closing) return null;
  return (fixer) => [
    fixer.removeRange([before.range[0], legacy.range[1]]),
    only ? fixer.insertTextAfter(only, `, ${added}`) : fixer.insertTextBefore(closing, added),
  ];
}

function isOptionsHelperCall(fc: FileContext, node: Node): boolean {
  const n = unwrap(node);
  if (n.type !== "CallExpression") return false;
  const path = sdkPath(fc, n.callee);
  return path !== null && OPTION_HELPERS.has(path);
}
