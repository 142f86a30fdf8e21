import type { TSESLint } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import { keyFindings } from "../src/eslint/idempotency-keys.js";
import { shorten } from "../src/report/text.js";
import { type Node, isAncestor, isFunction, paramName, parentOf } from "../src/ts/ast.js";
import type { HandlerScope } from "../src/ts/calls.js";
import type { TsFileModel } from "../src/ts/extract.js";

type MessageIds = "nondeterministicKey" | "constantKey" | "useCtxRandUuid";

export default createRule<[], MessageIds>({
  name: "valid-idempotency-key",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow idempotency keys that change on retry inside handlers, and keys that are the same for every request",
      config: "recommended",
    },
    hasSuggestions: true,
    messages: {
      nondeterministicKey:
        "The idempotency key comes from `{{source}}`, which gives a new value each time the handler runs. When Restate retries this invocation, the replayed {{noun}} carries another key than the journaled one, so the invocation fails with a journal mismatch (RT0016) instead of resuming. Use `{{stableKey}}`, which stays the same across retries, or a key built from the request.",
      constantKey:
        "The idempotency key {{key}} is the same for every request to this target. Within the idempotency retention (24 h by default) Restate treats every later {{noun}} with this key as a repeat of the first and does not run it. Build the key from data that identifies the request.",
      useCtxRandUuid: "Replace `{{replaced}}` with `{{replacement}}`",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      "Program:exit"() {
        const model = fileModel(context);
        const sourceCode = context.sourceCode;
        for (const { site, constant, random: source } of keyFindings(model)) {
          if (constant !== null) {
            if (site.fixedTarget) {
              context.report({ node: site.value, messageId: "constantKey", data: { key: constant, noun: site.noun } });
            }
            continue;
          }
          if (!source) continue;
          const scope = scopeOf(model, site.call);
          const ctx = scope?.ctxName ?? "ctx";
          const target = source.kind === "id" ? source.node : source.root;
          const fixable = scope !== undefined && reachesCtx(target, scope);
          context.report({
            node: site.value,
            messageId: "nondeterministicKey",
            data: { source: sourceCode.getText(source.node), noun: site.noun, stableKey: `${ctx}.rand.uuidv4()` },
            suggest: fixable
              ? [
                  {
                    messageId: "useCtxRandUuid",
                    data: { replaced: shorten(sourceCode.getText(target)), replacement: `${ctx}.rand.uuidv4()` },
                    fix: (fixer: TSESLint.RuleFixer) => fixer.replaceText(target, `${ctx}.rand.uuidv4()`),
                  },
                ]
              : [],
          });
        }
      },
    };
  },
});

/** The innermost handler scope (handler or ctx-taking helper) containing a node. */
function scopeOf(model: TsFileModel, node: Node): HandlerScope | undefined {
  let best: HandlerScope | undefined;
  for (const s of model.scopes) {
    if (isAncestor(s.fn, node) && (!best || isAncestor(best.fn, s.fn))) best = s;
  }
  return best;
}

/** True when `ctx` of the scope is visible at `node`: inside the scope function and not shadowed. */
function reachesCtx(node: Node, scope: HandlerScope): boolean {
  for (let p = parentOf(node); p; p = parentOf(p)) {
    if (p === scope.fn) return true;
    if (isFunction(p) && p.params.some((q) => paramName(q as Node) === scope.ctxName)) return false;
  }
  return false;
}
