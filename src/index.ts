import tsParser from "@typescript-eslint/parser";
import type { ESLint, Linter } from "eslint";
import { rules as tsRules } from "../rules/index.js";
import type { RestateRuleDocs } from "./eslint/create-rule.js";
// Loads the Go parser (top-level await) and adds Go files to the project index.
import { goLanguage, goRules, withGo } from "./go/index.js";
import { PACKAGE } from "./meta.js";

type ConfigName = "recommended" | "recommended-type-checked" | "strict" | "all" | "go";

/** The files a config applies to: TypeScript and JavaScript sources. */
// The entry exports only the plugin: tools that `require()` it (Node 20.19+ loads ESM that way) must see it whole.
const SOURCE_FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts", "**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs"];

/** Each rule id serves TypeScript and, where a Go implementation exists, Go files. */
const rules = Object.fromEntries(
  Object.entries(tsRules).map(([name, rule]) => {
    const go = goRules[name];
    return [name, go ? withGo(rule, go) : rule];
  }),
) as typeof tsRules;

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
  languages: { go: goLanguage },
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

// Go files: the `restate/go` language and the rules that have a Go implementation, at the
// level `recommended` gives them (strict-only rules stay off, as for TypeScript).
plugin.configs.go = {
  name: "restate/go",
  files: ["**/*.go"],
  plugins: { restate: plugin as unknown as ESLint.Plugin },
  language: "restate/go",
  rules: Object.fromEntries(
    Object.keys(goRules)
      .filter((name) => docsOf(tsRules[name as keyof typeof tsRules]).config === "recommended")
      .map((name) => [`restate/${name}`, "error"]),
  ),
};

export default plugin as typeof plugin & ESLint.Plugin;

