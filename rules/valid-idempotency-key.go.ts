import { keyFindings } from "../src/go/idempotency-keys.js";
import { type GoSuggestion, ctxNameAt, defineGoListeners, goModel } from "../src/go/rule-kit.js";
import { uuidReplacement } from "../src/go/sources.js";

export default defineGoListeners("valid-idempotency-key", {
  create(context) {
    return {
      "source_file:exit"() {
        const model = goModel(context);
        const sdk = model.go.restate ?? "restate";
        for (const { site, constant, random: source } of keyFindings(model)) {
          if (constant !== null) {
            if (site.fixedTarget) context.report({ node: site.value, messageId: "constantKey", data: { key: constant, noun: site.noun } });
            continue;
          }
          if (!source) continue;
          const ctx = ctxNameAt(model, source.node);
          const replacement = ctx && model.go.restate ? uuidReplacement(source, model.go.restate, ctx) : null;
          const suggest: GoSuggestion[] = replacement
            ? [
                {
                  messageId: "useCtxRandUuid",
                  data: { replaced: source.node.text, replacement },
                  fix: (fixer) => fixer.replaceText(source.node, replacement),
                },
              ]
            : [];
          context.report({
            node: site.value,
            messageId: "nondeterministicKey",
            data: { source: `${source.label}()`, noun: site.noun, stableKey: `${sdk}.UUID(${ctx ?? "ctx"})` },
            suggest,
          });
        }
      },
    };
  },
});
