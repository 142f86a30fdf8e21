import { createRequire } from "node:module";

/** The first ESLint that takes a `language` in a flat config (and the language API we implement). */
export const MIN_ESLINT_FOR_GO = "9.6.0";

function older(version: string, than: string): boolean {
  const a = version.split(/[.-]/).map(Number);
  const b = than.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

/**
 * ESLint before 9.6 fails on the Go config with `Unexpected key "language"`, which names neither
 * the plugin nor the remedy: say both instead. The ESLint found next to the plugin is the one the
 * project runs (it is the plugin's peer).
 */
export function checkEslintForGo(found: string | null = installedEslint()): void {
  if (found && older(found, MIN_ESLINT_FOR_GO)) {
    throw new Error(
      `eslint-plugin-restate/go needs ESLint ${MIN_ESLINT_FOR_GO} or later to lint Go files (flat config's \`language\` key); this project has ESLint ${found}. ` +
        `Upgrade ESLint, or import "eslint-plugin-restate" (TypeScript and JavaScript only, ESLint 9.0.0 and later).`,
    );
  }
}

function installedEslint(): string | null {
  try {
    return (createRequire(import.meta.url)("eslint/package.json") as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}
