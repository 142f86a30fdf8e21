import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { type GoComment, type GoNode, type GoParseError, type Grammar, buildTree } from "./ast.js";

/*
 * ESLint parses synchronously, while web-tree-sitter loads its WebAssembly asynchronously. The
 * module therefore finishes loading the runtime and the Go grammar before it is evaluated
 * (top-level await): importing this module, or anything that imports it, waits for it once.
 */
const { Language, Parser } = await loadTreeSitter();
await Parser.init();
const GO = await Language.load(grammarFile());
const parser = new Parser();
parser.setLanguage(GO);

/** web-tree-sitter is an optional peer: only Go users install it. */
async function loadTreeSitter(): Promise<typeof import("web-tree-sitter")> {
  try {
    return await import("web-tree-sitter");
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new Error(
      "eslint-plugin-restate/go parses Go with the package web-tree-sitter, which is not installed: npm install --save-dev web-tree-sitter@0.27",
      { cause: error },
    );
  }
}

/** The grammar ships in the package (the build copies it); a development checkout reads the grammar's own package. */
function grammarFile(): string {
  const shipped = fileURLToPath(new URL("../../grammars/tree-sitter-go.wasm", import.meta.url));
  if (existsSync(shipped)) return shipped;
  try {
    return createRequire(import.meta.url).resolve("tree-sitter-go/tree-sitter-go.wasm");
  } catch {
    throw new Error(`eslint-plugin-restate/go: the Go grammar is missing from the package (${shipped})`);
  }
}

const GRAMMAR: Grammar = {
  types: GO.types,
  named: GO.types.map((_, id) => GO.nodeTypeIsNamed(id)),
  fields: GO.fields,
};

/** Every named node type of the grammar: the ESLint visitor keys (children are always in `children`). */
export const GO_NODE_TYPES: readonly string[] = (() => {
  const out = new Set<string>();
  for (let id = 0; id < GO.nodeTypeCount; id++) {
    const type = GO.nodeTypeForId(id);
    if (type && GO.nodeTypeIsNamed(id) && GO.nodeTypeIsVisible(id)) out.add(type);
  }
  out.add("ERROR");
  return [...out];
})();

export interface GoParseResult {
  root: GoNode;
  comments: GoComment[];
  /** The first syntax error in source order, if any (tree-sitter recovers, we do not trust the rest). */
  error: GoParseError | null;
}

/** Parses Go source into our own tree; the tree-sitter tree is freed at once. Throws only if the parser itself fails. */
export function parseGo(text: string): GoParseResult {
  const tree = parser.parse(text);
  if (!tree) throw new Error("tree-sitter returned no tree");
  try {
    return buildTree(tree, text, GRAMMAR);
  } finally {
    tree.delete();
  }
}
