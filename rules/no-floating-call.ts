import type { TSESLint } from "@typescript-eslint/utils";
import {
  SEND_FACTORY,
  argumentsPortable,
  declaredVariable,
  factoryIdentifier,
  handlesRejection,
  promiseChain,
  readsInvocationId,
  shownTarget,
} from "../src/eslint/call-results.js";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import type { CallSite } from "../src/model/types.js";
import { type Node, enclosingFunction, parentOf } from "../src/ts/ast.js";
import { own } from "../src/model/records.js";

type MessageIds = "floatingCall" | "addAwait" | "useSendClient";

export default createRule<[], MessageIds>({
  name: "no-floating-call",
  meta: {
    type: "problem",
    docs: {
      description: "Require the promise of a request-response call to be awaited, returned or combined, so its failure is observed",
      config: "recommended",
    },
    hasSuggestions: true,
    messages: {
      floatingCall:
        "The promise of this call to {{target}} is {{what}}: the call still runs (Restate journals it when it is made), but its result and the TerminalError it may end with are never observed. Await it (or combine it with `RestatePromise.all`), send instead if the result is not needed, or write `void` to make fire-and-forget explicit.",
      addAwait: "Await the call",
      useSendClient: "Send instead with `{{send}}` (the result is not used)",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      "Program:exit"() {
        const model = fileModel(context);
        const reported = new Set<Node>();
        for (const call of model.calls) {
          // A helper reached from two handlers appears once per handler: one report per node.
          if (call.mode !== "request" || !call.node || reported.has(call.node)) continue;
          if (call.usage !== "floating" && call.usage !== "stored") continue;
          const chain = promiseChain(call.node);
          // An attached `.catch(...)` decides what a failure means; no-swallowed-error judges it.
          if (handlesRejection(chain)) continue;

          let what = "never awaited";
          const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
          const inAsync = enclosingFunction(call.node)?.async === true;
          if (call.usage === "stored") {
            // The frontend also calls a variable "stored" when it is passed on or put in an
            // object; only a variable nobody but `.invocationId` reads is surely never awaited.
            const variable = declaredVariable(chain);
            if (!variable || !variable.refs.every((r) => readsInvocationId(r))) continue;
            what = `kept in \`${variable.name}\` but never awaited`;
            if (inAsync && variable.refs.length === 0) {
              suggest.push({ messageId: "addAwait", fix: (fixer) => fixer.insertTextBefore(chain.top, "await ") });
            }
          } else {
            if (inAsync && reachesStatement(chain.top)) {
              suggest.push({ messageId: "addAwait", fix: (fixer) => fixer.insertTextBefore(chain.top, "await ") });
            }
            const send = sendSuggestion(call, chain.links.length === 0);
            if (send) suggest.push(send);
          }
          reported.add(call.node);
          context.report({ node: call.node, messageId: "floatingCall", data: { target: shownTarget(call, model.services), what }, suggest });
        }
      },
    };
  },
});

/**
 * Whether the value flows straight into an expression statement (possibly through `a && x`,
 * `c ? x : y`, `(a, x)`), where an `await` in front of it waits for it. Through a callback
 * (`items.map(x => call(x))`) an `await` would not help.
 */
function reachesStatement(top: Node): boolean {
  let child = top;
  for (let p = parentOf(child); p; child = p, p = parentOf(p)) {
    if (p.type === "ExpressionStatement") return true;
    if (p.type === "LogicalExpression" || p.type === "SequenceExpression") continue;
    if (p.type === "ConditionalExpression" && p.test !== child) continue;
    return false;
  }
  return false;
}

function sendSuggestion(call: CallSite<Node>, resultUnused: boolean): TSESLint.ReportSuggestionArray<MessageIds>[number] | null {
  if (!resultUnused || !argumentsPortable(call, "send")) return null;
  const factory = factoryIdentifier(call);
  const send = factory ? own(SEND_FACTORY, factory.name) : undefined;
  if (!factory || !send) return null;
  return { messageId: "useSendClient", data: { send }, fix: (fixer) => fixer.replaceText(factory, send) };
}
