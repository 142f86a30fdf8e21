import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function readPackage(): { name: string; version: string } {
  for (const p of ["../../package.json", "../package.json"]) {
    try {
      return require(p) as { name: string; version: string };
    } catch {
      // Built (dist/src) and source (src) layouts sit at different depths.
    }
  }
  return { name: "eslint-plugin-restate", version: "0.0.0" };
}

export const PACKAGE = readPackage();

/** Where the rule docs live; every rule's `meta.docs.url` is built from this. */
export const DOCS_BASE = "https://github.com/eslint-plugin-restate/eslint-plugin-restate/blob/main/docs/rules/";

export function ruleDocsUrl(name: string): string {
  return `${DOCS_BASE}${name}.md`;
}
