import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";
import { type GoComment, type GoNode, type GoParseError, type Grammar, buildTree } from "./ast.js";

const require = createRequire(import.meta.url);

/*
 * ESLint parses synchronously, while web-tree-sitter loads its WebAssembly asynchronously. The
 * module therefore finishes loading the runtime and the Go grammar before it is evaluated
 * (top-level await): importing this module, or anything that imports it, waits for it once.
 */
await Parser.init();
const GO = await Language.load(require.resolve("tree-sitter-go/tree-sitter-go.wasm"));
const parser = new Parser();
parser.setLanguage(GO);

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
