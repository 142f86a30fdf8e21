import path from "node:path";
import type { GoNode } from "./ast.js";
import { parseGo } from "./parser.js";

/*
 * The trees ESLint's parse made of Go files, held weakly. The package view and the registrations
 * read other files of a package, often ones ESLint has just linted, and ESLint keeps a linted
 * file's tree until a full garbage collection anyway (see `GoNode`): while that tree is alive and
 * was made of the text the disk holds, the file is not parsed again.
 */
const trees = new Map<string, WeakRef<GoNode>>();

/** Called with the tree of every Go file ESLint parses without a syntax error. */
export function offerTree(file: string, root: GoNode): void {
  trees.set(path.resolve(file), new WeakRef(root));
}

/** The tree of `text`, the text of `file`: ESLint's when it is still alive, else a parse of its own; null when it does not parse. */
export function goTreeOf(file: string, text: string): GoNode | null {
  const kept = trees.get(path.resolve(file))?.deref();
  if (kept && kept.sourceText === text) return kept;
  const { root, error } = parseGo(text);
  return root && !error ? root : null;
}
