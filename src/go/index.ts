import type { ESLint } from "eslint";
import { createPlugin, isRecommended } from "../plugin.js";
import { registerFrontend } from "../project/frontends.js";
import { checkEslintForGo } from "./eslint-version.js";
import { goFrontend } from "./frontend.js";
import { goLanguage } from "./language.js";
import { goRuleNames, rules } from "./rules.js";

/*
 * The `eslint-plugin-restate/go` entry: the whole plugin (same rule ids and configs as the main
 * entry) plus the `restate/go` language and `configs.go`. Importing it adds Go files to the
 * project index, so one call graph spans TypeScript and Go. It loads the Go parser (WebAssembly)
 * with a top-level await: import it, do not require it.
 */
checkEslintForGo();
registerFrontend(goFrontend);

const plugin = createPlugin(rules, {
  languages: { go: goLanguage },
  configs: (self) => ({
    go: {
      name: "restate/go",
      files: ["**/*.go"],
      plugins: { restate: self },
      language: "restate/go",
      // The rules `recommended` turns on, where they have a Go implementation.
      rules: Object.fromEntries(goRuleNames.filter((name) => isRecommended(rules[name])).map((name) => [`restate/${name}`, "error"])),
    },
  }),
});

export default plugin as typeof plugin & ESLint.Plugin;
