import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { type SwallowFinding, restateOps, swallowedFailures } from "../src/eslint/catch-analysis.js";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";

type MessageIds = "swallowedError" | "rethrow";

export default createRule<[], MessageIds>({
  name: "no-swallowed-error",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow empty or log-only catches around Restate calls: they swallow terminal failures, timeouts and cancellation",
      config: "recommended",
    },
    hasSuggestions: true,
    messages: {
      swallowedError:
        "{{swallowed}}: {{lost}}, and the handler carries on as if nothing failed. {{remedy}}.",
      rethrow: "Rethrow the error at the end of the catch (`throw {{param}};`)",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    return {
      "Program:exit"() {
        const model = fileModel(context);
        if (!model.usesRestate) return;
        for (const finding of swallowedFailures(restateOps(model))) {
          const { handler, op } = finding;
          if (handler.kind === "method") {
            context.report({ node: handler.call.callee, messageId: "swallowedError", data: swallowedData("`.catch(...)`", op.label) });
            continue;
          }
          const clause = handler.clause;
          const fix = rethrowFix(sourceCode, finding);
          context.report({
            node: sourceCode.getFirstToken(clause) ?? clause,
            messageId: "swallowedError",
            data: swallowedData("catch", op.label),
            suggest: fix && clause.param?.type === "Identifier" ? [{ messageId: "rethrow", data: { param: clause.param.name }, fix }] : [],
          });
        }
      },
    };
  },
});

/** Ends the catch with `throw e;`: after its last statement, on its own line at that statement's indentation when the catch spans lines. */
function rethrowFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  finding: SwallowFinding,
): ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix) | null {
  if (finding.handler.kind !== "clause") return null;
  const { param, body } = finding.handler.clause;
  if (param?.type !== "Identifier") return null;
  const statement = `throw ${param.name};`;
  // After the last statement, or after a `// ignore` comment in an otherwise empty catch.
  const last: TSESTree.Node | TSESTree.Comment | undefined =
    body.body[body.body.length - 1] ?? sourceCode.getCommentsInside(body).at(-1);
  // `log(e); return;` ends the catch on purpose: the rethrow takes the place of that exit.
  if (last?.type === "ReturnStatement" || last?.type === "ContinueStatement") {
    return (fixer) => fixer.replaceText(last, statement);
  }
  if (last?.loc.start.line === body.loc.start.line) {
    return (fixer) => fixer.insertTextAfterRange(last.range, ` ${statement}`);
  }
  if (last) {
    const line = sourceCode.lines[last.loc.start.line - 1] ?? "";
    const indent = /^\s*/.exec(line)?.[0] ?? "";
    return (fixer) => fixer.insertTextAfterRange(last.range, `\n${indent}${statement}`);
  }
  return (fixer) => fixer.replaceText(body, `{ ${statement} }`);
}

/** The placeholders of `swallowedError` for TypeScript (the Go listeners fill them with Go's wording). */
function swallowedData(where: string, op: string): Record<"swallowed" | "lost" | "remedy", string> {
  return {
    swallowed: `This ${where} swallows the failure of ${op}`,
    lost: "the callee's TerminalError, a TimeoutError and this invocation's own CancelledError (both TerminalError subclasses) all end here",
    remedy: "Rethrow, handle the TerminalError subclasses you expect and rethrow the rest, or turn the error into a result",
  };
}
