// Lints the plugin's own source: typescript-eslint for the code, eslint-plugin-eslint-plugin
// for the rules, and our own recommended config on the example system.
import eslintPlugin from "eslint-plugin-eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "fixtures/**", "coverage/**", "bench/.generated/**", "test/corpus/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["rules/**/*.ts"],
    // The Go listeners of a rule (`<rule>.go.ts`) are not rule modules: the rule's meta is in `<rule>.ts`.
    ignores: ["rules/**/*.go.ts"],
    ...eslintPlugin.configs.recommended,
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
