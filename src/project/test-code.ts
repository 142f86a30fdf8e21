import path from "node:path";
import { globToRegExp, toPosix } from "./files.js";

/**
 * Files that are test code by their path: test suites, and the folders that hold tests and the
 * services and clients an end-to-end suite drives.
 */
export const DEFAULT_TEST_FILES: readonly string[] = [
  "**/*.test.*",
  "**/*.spec.*",
  "**/*_test.go",
  "**/test/**",
  "**/tests/**",
  "**/__tests__/**",
  "**/e2e/**",
];

/**
 * Modules whose import makes a file test code: test runners (npm), Restate's test environment, and
 * Go's `testing` package. A name also covers its subpaths (`vitest` covers `vitest/node`).
 */
export const DEFAULT_TEST_IMPORTS: readonly string[] = [
  "vitest",
  "jest",
  "@jest/globals",
  "mocha",
  "node:test",
  "@restatedev/restate-sdk-testcontainers",
  "testing",
];

export interface TestCodeOptions {
  /** Globs, relative to the working directory; the defaults when absent. */
  testFiles?: readonly string[];
  /** Module specifiers or Go import paths; the defaults when absent. */
  testImports?: readonly string[];
}

export interface LintedFileFacts {
  filename: string;
  cwd: string;
  /** Every module the file imports, as written (TypeScript specifiers, Go import paths). */
  imports: Iterable<string>;
}

const compiled = new Map<string, RegExp[]>();

function patterns(globs: readonly string[]): RegExp[] {
  const key = JSON.stringify(globs);
  let list = compiled.get(key);
  if (!list) {
    list = globs.map((g) => globToRegExp(g.replace(/^\.\//, "")));
    compiled.set(key, list);
  }
  return list;
}

/**
 * Whether a file is test code: its path matches one of `testFiles`, or it imports one of
 * `testImports`. The same answer for both languages, so that a mixed repository is judged alike.
 */
export function isTestCode(file: LintedFileFacts, options: TestCodeOptions = {}): boolean {
  const globs = options.testFiles ?? DEFAULT_TEST_FILES;
  if (globs.length > 0) {
    // Relative to the working directory, like ESLint's own `files`: a checkout that happens to
    // sit under a folder named `test` is not all test code.
    const rel = toPosix(path.relative(file.cwd, path.resolve(file.cwd, file.filename)));
    if (patterns(globs).some((re) => re.test(rel))) return true;
  }
  const modules = options.testImports ?? DEFAULT_TEST_IMPORTS;
  if (modules.length === 0) return false;
  for (const spec of file.imports) {
    if (modules.some((m) => spec === m || spec.startsWith(`${m}/`))) return true;
  }
  return false;
}
