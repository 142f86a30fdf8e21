import tsParser from "@typescript-eslint/parser";
import type { ESLint, Linter } from "eslint";
import type { RestateRuleDocs } from "./eslint/create-rule.js";
import { PACKAGE } from "./meta.js";

export type ConfigName = "recommended" | "recommended-type-checked" | "strict" | "all";

/** The files the TypeScript configs apply to: TypeScript and JavaScript sources. */
const SOURCE_FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts", "**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs"];

interface RuleWithDocs {
  meta: { docs?: unknown };
}

export interface RestatePlugin<Rules, Configs extends string> {
  meta: { name: string; version: string };
  languages: Record<string, unknown>;
  rules: Rules;
  configs: Record<Configs, Linter.Config>;
}

function docsOf(rule: RuleWithDocs): RestateRuleDocs {
  return rule.meta.docs as RestateRuleDocs;
}

/**
 * The plugin object both entries export: the rules, and configs derived from each rule's
 * `meta.docs.config` (never kept by hand). The configs refer to the plugin itself, so a config
 * brings the plugin along.
 */
export function createPlugin<Rules extends Record<string, RuleWithDocs>, More extends string = never>(
  rules: Rules,
  more: {
    languages?: Record<string, unknown>;
    /** Further configs; `self` is the plugin, for their `plugins`. */
    configs?: (self: ESLint.Plugin) => Record<More, Linter.Config>;
  } = {},
): RestatePlugin<Rules, ConfigName | More> {
  const plugin: RestatePlugin<Rules, ConfigName | More> = {
    meta: { name: PACKAGE.name, version: PACKAGE.version },
    languages: more.languages ?? {},
    rules,
    configs: {} as Record<ConfigName | More, Linter.Config>,
  };
  const levels = (include: (docs: RestateRuleDocs) => boolean): Linter.RulesRecord => {
    const out: Linter.RulesRecord = {};
    for (const [name, rule] of Object.entries(rules)) if (include(docsOf(rule))) out[`restate/${name}`] = "error";
    return out;
  };
  const config = (name: ConfigName, rulesOn: Linter.RulesRecord, parserOptions?: Linter.ParserOptions): Linter.Config => ({
    name: `restate/${name}`,
    files: SOURCE_FILES,
    languageOptions: { parser: tsParser as Linter.Parser, ...(parserOptions ? { parserOptions } : {}) },
    plugins: { restate: plugin as unknown as ESLint.Plugin },
    rules: rulesOn,
  });
  const recommended = levels((d) => d.config === "recommended");
  plugin.configs.recommended = config("recommended", recommended);
  // Type information sharpens target resolution (aliases, re-exports, `{ name }` refs typed by
  // imports); every rule works without it.
  plugin.configs["recommended-type-checked"] = config("recommended-type-checked", recommended, { projectService: true });
  plugin.configs.strict = config("strict", levels((d) => d.config === "recommended" || d.config === "strict"));
  plugin.configs.all = config("all", levels(() => true));
  if (more.configs) Object.assign(plugin.configs, more.configs(plugin as unknown as ESLint.Plugin));
  return plugin;
}

/** Whether a rule is in `recommended` (the Go config turns on the same rules). */
export function isRecommended(rule: RuleWithDocs): boolean {
  return docsOf(rule).config === "recommended";
}
