import type { TSESLint } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { handlerContexts } from "../src/eslint/handler-context.js";
import { RestatePromises, nativeCombinator } from "../src/eslint/restate-promises.js";
import { sdkSpelling } from "../src/ts/spelling.js";
import type { Node } from "../src/ts/ast.js";
import type { FileContext } from "../src/ts/file-context.js";

type MessageIds = "nativeCombinator" | "concurrentRestateWork" | "useRestatePromise";

export default createRule<[], MessageIds>({
  name: "no-native-promise-combinators",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow `Promise.all/race/any/allSettled` over Restate promises; use `RestatePromise` combinators",
      config: "recommended",
    },
    hasSuggestions: true,
    messages: {
      nativeCombinator:
        "`Promise.{{method}}` over Restate promises is not journaled: the order in which they complete is not recorded, so a replay can resolve them differently from the first run (SDK 1.14–1.15 crash-loop here with \"awaitNext already pending\"). Use `{{replacement}}.{{method}}`.",
      concurrentRestateWork:
        "`Promise.{{method}}` runs {{what}} several times at once, and each run does Restate operations after an `await`: they are written to the journal in the order their waits happen to finish, which nothing records, so a replay can issue them in another order and fail with a journal mismatch (RT0016). Run them one after another, or make each one a single Restate promise (a call to a handler, or one `ctx.run`) and combine those with `{{replacement}}.{{method}}`.",
      useRestatePromise: "Use `{{replacement}}.{{method}}`",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      "Program:exit"() {
        const hc = handlerContexts(context);
        if (hc.bindings.length === 0) return;
        const promises = new RestatePromises(hc);
        const fc = hc.model.context;
        const replacement = combinatorSpelling(fc);
        for (const call of fc.calls) {
          const native = nativeCombinator(call);
          if (!native || !hc.isGlobal(native.promiseId)) continue;
          // Restate operations inside a run closure are already reported by no-context-in-run.
          if (hc.enclosingRun(call)) continue;
          const arg = call.arguments[0];
          if (!arg || arg.type === "SpreadElement") continue;
          const kind = promises.elements(arg as Node);
          const data = { method: native.method, replacement: replacement ?? "RestatePromise" };
          // Async functions interleaving their Restate operations: no Restate combinator takes
          // their results, so this is the finding even when some of them return a Restate promise.
          if (kind.late && kind.lateCount >= 2) {
            context.report({
              node: call.callee,
              messageId: "concurrentRestateWork",
              data: { method: data.method, replacement: data.replacement, what: kind.late },
            });
            continue;
          }
          if (!kind.restate) continue;
          const suggest: TSESLint.ReportSuggestionArray<MessageIds> =
            replacement && kind.exact
              ? [{ messageId: "useRestatePromise", data, fix: (fixer) => fixer.replaceText(native.promiseId, replacement) }]
              : [];
          context.report({ node: call.callee, messageId: "nativeCombinator", data, suggest });
        }
      },
    };
  },
});

/**
 * `RestatePromise` as this file can reach it; `CombineablePromise` for code written against
 * SDK < 1.6, where `RestatePromise` does not exist yet.
 */
function combinatorSpelling(fc: FileContext): string | null {
  const names = [...fc.restate.values()].filter((b) => b.module === "sdk").map((b) => b.path);
  const oldName = names.includes("CombineablePromise") || fc.text.includes(".CombineablePromise");
  const newName = names.includes("RestatePromise") || fc.text.includes("RestatePromise");
  if (oldName && !newName) return sdkSpelling(fc, "CombineablePromise");
  return sdkSpelling(fc, "RestatePromise") ?? (oldName ? sdkSpelling(fc, "CombineablePromise") : null);
}
