import tsParser from "@typescript-eslint/parser";
import type { ESLint, Linter } from "eslint";
import { rules } from "../rules/index.js";
import type { RestateRuleDocs } from "./eslint/create-rule.js";
import { PACKAGE } from "./meta.js";

type ConfigName = "recommended" | "recommended-type-checked" | "strict" | "all";

/** The files a config applies to: TypeScript and JavaScript sources. */
// The entry exports only the plugin: tools that `require()` it (Node 20.19+ loads ESM that way) must see it whole.
const SOURCE_FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts", "**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs"];

function docsOf(rule: (typeof rules)[keyof typeof rules]): RestateRuleDocs {
  return rule.meta.docs as unknown as RestateRuleDocs;
}

/** Config membership lives in each rule's `meta.docs.config`; configs are derived from it. */
function ruleLevels(include: (docs: RestateRuleDocs) => boolean): Linter.RulesRecord {
  const out: Linter.RulesRecord = {};
  for (const [name, rule] of Object.entries(rules)) if (include(docsOf(rule))) out[`restate/${name}`] = "error";
  return out;
}

const plugin = {
  meta: { name: PACKAGE.name, version: PACKAGE.version },
  rules,
  configs: {} as Record<ConfigName, Linter.Config>,
};

function config(name: ConfigName, levels: Linter.RulesRecord): Linter.Config {
  return {
    name: `restate/${name}`,
    files: SOURCE_FILES,
    languageOptions: { parser: tsParser as Linter.Parser },
    plugins: { restate: plugin as unknown as ESLint.Plugin },
    rules: levels,
  };
}

plugin.configs.recommended = config("recommended", ruleLevels((d) => d.config === "recommended"));
plugin.configs.strict = config("strict", ruleLevels((d) => d.config === "recommended" || d.config === "strict"));
plugin.configs.all = config("all", ruleLevels(() => true));
// Type information sharpens target resolution (aliases, re-exports, `{ name }` refs typed by
// imports); every rule works without it.
plugin.configs["recommended-type-checked"] = {
  ...plugin.configs.recommended,
  name: "restate/recommended-type-checked",
  languageOptions: { parser: tsParser as Linter.Parser, parserOptions: { projectService: true } },
};

export default plugin as typeof plugin & ESLint.Plugin;

