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
import { type Node, parentOf, propertyName, valueParent } from "../src/ts/ast.js";
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
        /** `stored`: the handle was kept in a variable and `awaited` reads it (reported there). */
        const report = (call: CallSite<Node>, awaited: TSESTree.AwaitExpression, stored: boolean, request: boolean) => {
          const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
          const remove = removeAwaitFix(sourceCode, awaited, stored);
          if (remove) suggest.push({ messageId: "removeAwait", fix: remove });
          const toRequest = request ? requestSuggestion(call) : null;
          if (toRequest) suggest.push(toRequest);
          const node = stored ? awaited : call.node!;
          context.report({ node, messageId: "awaitOnSend", data: { target: shownTarget(call, model.services) }, suggest });
        };
        for (const call of model.calls) {
          if (call.mode !== "send" || !call.node || reported.has(call.node)) continue;
          if (call.usage === "stored-awaited") {
            const handle = storedHandle(sourceCode, call.node);
            if (!handle) continue;
            reported.add(call.node);
            // Every read waits or reads the id, so a request promise fits every use of the variable.
            const request = handle.others === 0;
            for (const awaited of handle.awaits) report(call, awaited, true, request);
            continue;
          }
          if (call.usage !== "awaited") continue;
          const awaited = valueParent(call.node).parent;
          if (awaited?.type !== "AwaitExpression") continue;
          // `(await send).invocationId`, or a handle awaited into a variable to read its id:
          // pointless but harmless, and the code plainly knows it holds a handle.
          if (handleUsedForId(awaited)) continue;
          reported.add(call.node);
          report(call, awaited, false, true);
        }
      },
    };
  },
});

/**
 * `const h = send(...); …; await h`: the awaits of a handle kept in a variable that holds nothing
 * else. `others` counts the reads that neither await it nor read its id.
 */
function storedHandle(
  sourceCode: Readonly<TSESLint.SourceCode>,
  send: Node,
): { awaits: TSESTree.AwaitExpression[]; others: number } | null {
  const { parent: decl, child } = valueParent(send);
  if (decl?.type !== "VariableDeclarator" || decl.init !== child || decl.id.type !== "Identifier") return null;
  const variable = sourceCode.getDeclaredVariables(decl).find((v) => v.name === (decl.id as TSESTree.Identifier).name);
  if (!variable) return null;
  const awaits: TSESTree.AwaitExpression[] = [];
  let others = 0;
  for (const ref of variable.references) {
    if (ref.isWrite()) {
      // Reassigned: what is awaited may not be this send's handle.
      if (ref.writeExpr !== decl.init) return null;
      continue;
    }
    const awaited = valueParent(ref.identifier).parent;
    if (awaited?.type === "AwaitExpression") {
      if (!handleUsedForId(awaited)) awaits.push(awaited);
    } else if (!readsInvocationId(ref.identifier)) others++;
  }
  return awaits.length > 0 ? { awaits, others } : null;
}

/** Drops the `await`; a statement that is nothing but `await handle;` goes, with its line when alone on it. */
function removeAwaitFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  awaited: TSESTree.AwaitExpression,
  stored: boolean,
): TSESLint.ReportFixFunction | null {
  const statement = parentOf(awaited);
  const list = statement ? parentOf(statement) : undefined;
  const inList = list?.type === "BlockStatement" || list?.type === "Program" || list?.type === "SwitchCase";
  if (stored && inList && statement?.type === "ExpressionStatement" && statement.expression === awaited) {
    const text = sourceCode.text;
    let [start, end] = statement.range;
    while (start > 0 && (text[start - 1] === " " || text[start - 1] === "\t")) start--;
    const after = /[ \t]*(\r?\n|$)/y;
    after.lastIndex = end;
    const match = (start === 0 || text[start - 1] === "\n") && after.exec(text);
    if (match) end += match[0].length;
    else start = statement.range[0];
    return (fixer) => fixer.removeRange([start, end]);
  }
  const awaitToken = sourceCode.getFirstToken(awaited);
  const next = awaitToken ? sourceCode.getTokenAfter(awaitToken, { includeComments: true }) : null;
  if (awaitToken?.value !== "await" || !next) return null;
  return (fixer) => fixer.removeRange([awaitToken.range[0], next.range[0]]);
}

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
