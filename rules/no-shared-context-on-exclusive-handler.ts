import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import { sdkSpelling } from "../src/ts/spelling.js";
import { entityPath, sdkTypePath } from "../src/ts/file-context.js";
import type { ServiceDef } from "../src/model/types.js";

export default createRule({
  name: "no-shared-context-on-exclusive-handler",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow plain object handlers typed `ObjectSharedContext`: Restate registers them as exclusive",
      config: "recommended",
    },
    hasSuggestions: true,
    messages: {
      sharedContextOnExclusive:
        "{{service}}.{{handler}} is typed `ObjectSharedContext` but registered EXCLUSIVE: the runtime decides by the wrapper, not the type. It takes the lock on its key and queues behind (and blocks) every other exclusive call.",
      wrapInShared: "Wrap it in `{{wrapper}}(...)` so it really is shared",
      useObjectContext: "Type the context `ObjectContext` (keep it exclusive)",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      "Program:exit"() {
        const model = fileModel(context);
        const fc = model.context;
        const reported = new Set<TSESTree.Node>();
        for (const impl of model.impls) {
          if (impl.wrapper !== "plain" || impl.handler.kind !== "exclusive" || !impl.fn) continue;
          // A getter or setter in the handler map is not a handler function the endpoint registers.
          if (impl.property && impl.property.kind !== "init") continue;
          const param = impl.fn.params[0];
          const id = param?.type === "AssignmentPattern" ? param.left : param;
          const ref = id?.type === "Identifier" ? id.typeAnnotation?.typeAnnotation : undefined;
          if (ref?.type !== "TSTypeReference") continue;
          const path = entityPath(ref.typeName);
          if (!path || sdkTypePath(path, fc.restate) !== "ObjectSharedContext" || reported.has(ref)) continue;
          reported.add(ref);

          const suggest: TSESLint.ReportSuggestionArray<"wrapInShared" | "useObjectContext"> = [];
          const wrapper = sdkSpelling(fc, "handlers.object.shared", "createObjectSharedHandler");
          const prop = impl.property;
          if (wrapper && prop) {
            suggest.push({
              messageId: "wrapInShared",
              data: { wrapper },
              fix: (fixer) => wrapFix(fixer, context.sourceCode, prop, wrapper),
            });
          }
          // Only offer the type change when the file can already name `ObjectContext`.
          const objectContext = sdkSpelling(fc, "ObjectContext");
          if (objectContext) {
            suggest.push({
              messageId: "useObjectContext",
              fix: (fixer) => fixer.replaceText(ref.typeName, objectContext),
            });
          }
          context.report({
            node: ref,
            messageId: "sharedContextOnExclusive",
            data: { service: serviceLabel(model.services.find((s) => s.handlers.includes(impl.handler))), handler: impl.handler.name },
            suggest,
          });
        }
      },
    };
  },
});

/**
 * The object's name; for one named only in another file (`{ ...COUNTER_OBJECT, handlers }`), the
 * variable it is bound to: the rule needs only its kind, which the call tells.
 */
function serviceLabel(service: ServiceDef | undefined): string {
  if (service?.name) return service.name;
  return service?.localNames.find((n) => n !== "default") ?? "(unnamed object)";
}

function wrapFix(
  fixer: TSESLint.RuleFixer,
  sourceCode: Readonly<TSESLint.SourceCode>,
  prop: TSESTree.Property,
  wrapper: string,
): TSESLint.RuleFix {
  const value = prop.value as TSESTree.Node;
  if (prop.shorthand) {
    // `{ get }` → `{ get: wrapper(get) }`
    const name = sourceCode.getText(prop.key);
    return fixer.replaceText(prop, `${name}: ${wrapper}(${name})`);
  }
  if (prop.method && value.type === "FunctionExpression") {
    // `async get(ctx) {…}` → `get: wrapper(async function (ctx) {…})`
    const key = sourceCode.getText(prop.key);
    const keyText = prop.computed ? `[${key}]` : key;
    const head = `${value.async ? "async " : ""}function${value.generator ? "*" : ""} `;
    return fixer.replaceText(prop, `${keyText}: ${wrapper}(${head}${sourceCode.getText(value)})`);
  }
  return fixer.replaceText(value, `${wrapper}(${sourceCode.getText(value)})`);
}
