import tsParser from "@typescript-eslint/parser";
import type { TSESTree } from "@typescript-eslint/utils";
import type { Linter } from "eslint";
import { PACKAGE } from "../meta.js";
import { frontendFor, useTypeScriptParse } from "../project/frontends.js";
import { mayImportRestate } from "../ts/imports.js";

/*
 * The parser of the plugin's configs: typescript-eslint's, plus sharing with the project index,
 * so that each file is parsed once per run:
 * - the index must sometimes read a file before ESLint lints it (the other file of a cycle): it
 *   parses it here exactly as ESLint will (same options, the file's own path) and keeps the
 *   result, and ESLint's own parse of that text takes it instead of parsing again;
 * - a file ESLint parsed before the index needs it hands its model over from the rules when it is
 *   Restate code; a barrel or a file of constants (which the rules leave alone) leaves its tree
 *   here for the index to take.
 * Only untyped parses are shared: a parse with type information belongs to a TypeScript program.
 */

type ParseResult = ReturnType<typeof tsParser.parseForESLint>;
type Options = Record<string, unknown> & { filePath?: string };

interface Kept {
  text: string;
  optionsKey: string;
  result: ParseResult;
}

/** Parses kept for ESLint; a file the lint never reaches must not hold memory for long. */
const MAX_KEPT = 64;
const kept = new Map<string, Kept>();

/** Trees of barrels and constants files ESLint parsed, until the index takes them (small files, few of them). */
const MAX_LEFT = 256;
const left = new Map<string, { text: string; ast: TSESTree.Program }>();

/** The options of ESLint's last untyped parse with this parser, as the index parses with them. */
let lastOptions: { key: string; options: Options } | null = null;

/** How many times each file was really parsed here, and handed a kept parse (for tests). */
export const parserStats = { parsed: new Map<string, number>(), shared: new Map<string, number>() };

const TYPED = ["project", "projectService", "programs", "EXPERIMENTAL_useProjectService"];

function optionsKey(options: Options): string | null {
  if (TYPED.some((k) => options[k] !== undefined && options[k] !== null && options[k] !== false)) return null;
  try {
    return JSON.stringify(options, (k, v: unknown) => (k === "filePath" ? undefined : v));
  } catch {
    return null;
  }
}

function count(map: Map<string, number>, file: string): void {
  map.set(file, (map.get(file) ?? 0) + 1);
}

export const parser = {
  meta: { name: `${PACKAGE.name}/parser`, version: PACKAGE.version },
  parseForESLint(code: string, options: Options = {}): ParseResult {
    const file = options.filePath;
    const key = optionsKey(options);
    if (file && key !== null) {
      const k = kept.get(file);
      kept.delete(file);
      if (k && k.text === code && k.optionsKey === key) {
        count(parserStats.shared, file);
        return k.result;
      }
      lastOptions = { key, options };
    }
    if (file) count(parserStats.parsed, file);
    const result = tsParser.parseForESLint(code, options);
    if (file && key !== null && !mayImportRestate(code) && frontendFor(file)?.mayMatter(code)) {
      if (left.size >= MAX_LEFT) left.delete(left.keys().next().value!);
      left.set(file, { text: code, ast: result.ast as TSESTree.Program });
    }
    return result;
  },
};

/** The index's parse of a file ESLint has not linted yet, when ESLint parses untyped with this parser. */
function parseAhead(file: string, text: string): TSESTree.Program | null {
  const done = left.get(file);
  left.delete(file);
  if (done && done.text === text) return done.ast;
  if (!lastOptions) return null;
  const options = { ...lastOptions.options, filePath: file };
  count(parserStats.parsed, file);
  const result = tsParser.parseForESLint(text, options);
  if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value!);
  kept.set(file, { text, optionsKey: lastOptions.key, result });
  return result.ast as TSESTree.Program;
}

useTypeScriptParse(parseAhead);

/** The parser as configs take it. */
export const configParser = parser as unknown as Linter.Parser;
