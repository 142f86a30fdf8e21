import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const NAME = "eslint-plugin-restate";

/** The package's own folder and package.json (see `PACKAGE_ROOT`). */
const own: { dir: string; version: unknown } | null = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = readPackage(dir);
    if (pkg?.name === NAME) return { dir, version: pkg.version };
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
})();

function readPackage(dir: string): { name?: unknown; version?: unknown } | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
  } catch {
    return null;
  }
}

/**
 * The package's own folder, found by walking up from this module to the package.json that names
 * the plugin: the code runs from the bundle (`dist/bundle`, at any depth of its chunks), from
 * tsc's output (`dist/src`) and from the sources (`src`). Null when no such package.json is found.
 */
export const PACKAGE_ROOT: string | null = own?.dir ?? null;

export const PACKAGE: { name: string; version: string } = { name: NAME, version: typeof own?.version === "string" ? own.version : "0.0.0" };

/** Where the rule docs live; every rule's `meta.docs.url` is built from this. */
export const DOCS_BASE = "https://github.com/eslint-plugin-restate/eslint-plugin-restate/blob/main/docs/rules/";

export function ruleDocsUrl(name: string): string {
  return `${DOCS_BASE}${name}.md`;
}
