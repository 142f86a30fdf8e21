import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import {
  REQUEST_FACTORY,
  argumentsPortable,
  declaredVariable,
  factoryIdentifier,
  promiseChain,
  readsInvocationId,
  shownTarget,
} from "../src/eslint/call-results.js";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import type { CallSite } from "../src/model/types.js";
import { type Node, propertyName, valueParent } from "../src/ts/ast.js";
import { own } from "../src/model/records.js";

type MessageIds = "awaitOnSend" | "removeAwait" | "useRequestClient";

export default createRule<[], MessageIds>({
  name: "no-await-on-send",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow `await` on a one-way send: it resolves at once and does not wait for the callee",
      config: "recommended",
    },
    hasSuggestions: true,
    messages: {
      awaitOnSend:
        "`await` on a send does not wait for {{target}}: the send resolves at once with an invocation handle, before the callee has even started. Drop the `await`, or call with the request client if this handler needs the callee's result or must wait for it.",
      removeAwait: "Remove the `await` (the send stays one-way)",
      useRequestClient: "Wait for the callee: call it with `{{request}}`",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    return {
      "Program:exit"() {
        const model = fileModel(context);
        const reported = new Set<Node>();
        for (const call of model.calls) {
          if (call.mode !== "send" || call.usage !== "awaited" || !call.node || reported.has(call.node)) continue;
          const awaited = valueParent(call.node).parent;
          if (awaited?.type !== "AwaitExpression") continue;
          // `(await send).invocationId`, or a handle awaited into a variable to read its id:
          // pointless but harmless, and the code plainly knows it holds a handle.
          if (handleUsedForId(awaited)) continue;
          reported.add(call.node);

          const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
          const awaitToken = sourceCode.getFirstToken(awaited);
          const next = awaitToken ? sourceCode.getTokenAfter(awaitToken, { includeComments: true }) : null;
          if (awaitToken?.value === "await" && next) {
            suggest.push({ messageId: "removeAwait", fix: (fixer) => fixer.removeRange([awaitToken.range[0], next.range[0]]) });
          }
          const request = requestSuggestion(call);
          if (request) suggest.push(request);
          context.report({ node: call.node, messageId: "awaitOnSend", data: { target: shownTarget(call, model.services) }, suggest });
        }
      },
    };
  },
});

function handleUsedForId(awaited: TSESTree.AwaitExpression): boolean {
  if (readsInvocationId(awaited)) return true;
  const chain = promiseChain(awaited);
  // `const { invocationId } = await send(...)`
  const decl = chain.parent;
  if (decl?.type === "VariableDeclarator" && decl.init === chain.top && decl.id.type === "ObjectPattern") {
    return decl.id.properties.some((p) => p.type === "Property" && propertyName(p.key, p.computed) === "invocationId");
  }
  const variable = declaredVariable(chain);
  return !!variable && variable.refs.some((r) => readsInvocationId(r));
}

function requestSuggestion(call: CallSite<Node>): TSESLint.ReportSuggestionArray<MessageIds>[number] | null {
  // The caller's own key may be the caller's own object: waiting on it would self-deadlock,
  // so no suggestion writes that.
  if (call.key?.kind === "sameAsCaller" || !argumentsPortable(call, "request")) return null;
  const factory = factoryIdentifier(call);
  const request = factory ? own(REQUEST_FACTORY, factory.name) : undefined;
  if (!factory || !request) return null;
  return { messageId: "useRequestClient", data: { request }, fix: (fixer) => fixer.replaceText(factory, request) };
}
