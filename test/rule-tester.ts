import { fileURLToPath } from "node:url";
import { RuleTester } from "@typescript-eslint/rule-tester";

/** A RuleTester for TypeScript snippets; each test file names its own virtual file path. */
export function ruleTester(): RuleTester {
  return new RuleTester({
    languageOptions: { parserOptions: { ecmaVersion: "latest", sourceType: "module" } },
  });
}

/** Prepends the usual SDK import so snippets stay short. */
export function ts(strings: TemplateStringsArray, ...values: unknown[]): string {
  const body = String.raw({ raw: strings }, ...values);
  return `import * as restate from "@restatedev/restate-sdk";\n${body}`;
}

/**
 * A virtual file inside an empty fixture project, for rules that look at the whole project:
 * the project index then holds just the snippet under test.
 */
export function projectFile(name = "snippet.ts"): string {
  return fileURLToPath(new URL(`../fixtures/rule-tester/src/${name}`, import.meta.url));
}
