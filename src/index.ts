import tsParser from "@typescript-eslint/parser";
import type { TSESLint } from "@typescript-eslint/utils";
import { PACKAGE } from "./meta.js";
import { rules } from "../rules/index.js";
import type { RestateRuleDocs } from "./eslint/create-rule.js";

type RuleEntry = (typeof rules)[keyof typeof rules];

function docsOf(rule: RuleEntry): RestateRuleDocs {
  return rule.meta.docs as unknown as RestateRuleDocs;
}

function ruleLevels(include: (docs: RestateRuleDocs) => boolean): Record<string, "error"> {
  const out: Record<string, "error"> = {};
  for (const [name, rule] of Object.entries(rules)) if (include(docsOf(rule))) out[`restate/${name}`] = "error";
  return out;
}

const plugin = {
  meta: { name: PACKAGE.name, version: PACKAGE.version },
  rules,
  configs: {} as Record<"recommended" | "strict" | "all", TSESLint.FlatConfig.Config>,
};

/** The files a config applies to: TypeScript and JavaScript sources. */
export const SOURCE_FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts", "**/*.js", "**/*.mjs", "**/*.cjs"];

function config(name: string, levels: Record<string, "error">): TSESLint.FlatConfig.Config {
  return {
    name: `restate/${name}`,
    files: SOURCE_FILES,
    languageOptions: { parser: tsParser as TSESLint.FlatConfig.Parser },
    plugins: { restate: plugin as unknown as TSESLint.FlatConfig.Plugin },
    rules: levels,
  };
}

plugin.configs.recommended = config("recommended", ruleLevels((d) => d.config === "recommended"));
plugin.configs.strict = config("strict", ruleLevels((d) => d.config === "recommended" || d.config === "strict"));
plugin.configs.all = config("all", ruleLevels(() => true));

export default plugin;
export { rules };
