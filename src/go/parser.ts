import { hash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Tree, TreeCursor } from "web-tree-sitter";
import { PACKAGE_ROOT } from "../meta.js";
import { type GoComment, type GoCursor, type GoNode, type GoParseError, type Grammar, buildTree } from "./ast.js";

/*
 * ESLint parses synchronously, while web-tree-sitter loads its WebAssembly asynchronously. The
 * module therefore finishes loading the runtime and the Go grammar before it is evaluated
 * (top-level await): importing this module, or anything that imports it, waits for it once.
 */
const { Language, Parser } = await loadTreeSitter();
/** web-tree-sitter's WebAssembly module: `init` makes it out of the options object (see `directCursor`). */
const binding: Record<string, unknown> = {};
await Parser.init(binding);
const grammar = readFileSync(grammarFile());
const GO = await Language.load(grammar);
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
  const shipped = PACKAGE_ROOT ? path.join(PACKAGE_ROOT, "dist/grammars/tree-sitter-go.wasm") : null;
  if (shipped && existsSync(shipped)) return shipped;
  try {
    return createRequire(import.meta.url).resolve("tree-sitter-go/tree-sitter-go.wasm");
  } catch {
    throw new Error(`eslint-plugin-restate/go: the Go grammar is missing from the package (${shipped ?? "dist/grammars/tree-sitter-go.wasm"})`);
  }
}

/**
 * What makes the trees of Go files: the web-tree-sitter release and the grammar's bytes. The
 * plugin keeps what it made of a file between runs under it, so that another runtime or grammar
 * makes everything anew. Null when the runtime's release cannot be read (then nothing is kept).
 */
export const GO_PARSER_ID: string | null = (() => {
  try {
    const runtime = path.join(path.dirname(createRequire(import.meta.url).resolve("web-tree-sitter")), "package.json");
    const release = (JSON.parse(readFileSync(runtime, "utf8")) as { version?: unknown }).version;
    if (typeof release !== "string") return null;
    return `${release}+${hash("sha1", grammar, "base64url").slice(0, 12)}`;
  } catch {
    return null;
  }
})();

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
  return parseWith(text, direct);
}

function parseWith(text: string, fast: CursorExports | null): GoParseResult {
  const tree = parser.parse(text);
  if (!tree) throw new Error("tree-sitter returned no tree");
  try {
    return walk(tree, text, fast);
  } finally {
    tree.delete();
  }
}

function walk(tree: Tree, text: string, fast: CursorExports | null): GoParseResult {
  const hasError = tree.rootNode.hasError;
  const cursor = tree.walk();
  try {
    return buildTree(fast ? directCursor(fast, tree) : publicCursor(cursor), hasError, text, GRAMMAR);
  } finally {
    cursor.delete();
  }
}

function publicCursor(cursor: TreeCursor): GoCursor {
  return {
    typeId: () => cursor.nodeTypeId,
    startIndex: () => cursor.startIndex,
    endIndex: () => cursor.endIndex,
    fieldId: () => cursor.currentFieldId,
    isMissing: () => cursor.nodeIsMissing,
    gotoFirstChild: () => cursor.gotoFirstChild(),
    gotoNextSibling: () => cursor.gotoNextSibling(),
    gotoParent: () => cursor.gotoParent(),
  };
}

/** The cursor functions of web-tree-sitter's WebAssembly module, on the cursor in its transfer buffer. */
interface CursorExports {
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
}

const CURSOR_EXPORTS = [
  "_ts_tree_cursor_current_node_type_id_wasm",
  "_ts_tree_cursor_start_index_wasm",
  "_ts_tree_cursor_end_index_wasm",
  "_ts_tree_cursor_current_field_id_wasm",
  "_ts_tree_cursor_current_node_is_missing_wasm",
  "_ts_tree_cursor_goto_first_child_wasm",
  "_ts_tree_cursor_goto_next_sibling_wasm",
  "_ts_tree_cursor_goto_parent_wasm",
] as const;

/**
 * A cursor that calls the WebAssembly functions themselves. web-tree-sitter's TreeCursor copies
 * its state into the module's transfer buffer before every read and back after every move
 * (about thirty JavaScript calls per node: a third of the time of a parse); the module's functions
 * read the cursor from that buffer and moves write it back, and nothing else touches the buffer
 * while a tree is walked, so the walk can leave the state there from `tree.walk()` to the end.
 * The cursor object still frees what the walk used.
 */
function directCursor(c: CursorExports, tree: Tree): GoCursor {
  const t = (tree as unknown as { 0: number })[0];
  return {
    typeId: () => c._ts_tree_cursor_current_node_type_id_wasm(t),
    startIndex: () => c._ts_tree_cursor_start_index_wasm(t),
    endIndex: () => c._ts_tree_cursor_end_index_wasm(t),
    fieldId: () => c._ts_tree_cursor_current_field_id_wasm(t),
    isMissing: () => c._ts_tree_cursor_current_node_is_missing_wasm(t) === 1,
    gotoFirstChild: () => c._ts_tree_cursor_goto_first_child_wasm(t) === 1,
    gotoNextSibling: () => c._ts_tree_cursor_goto_next_sibling_wasm(t) === 1,
    gotoParent: () => c._ts_tree_cursor_goto_parent_wasm(t) === 1,
  };
}

/** Go texts the two walks are compared on: fields, operators, comments, nesting, a syntax error. */
const SELF_CHECK = [
  'package p\n\n// c\nfunc (s *S) F(ctx restate.Context, n int) (int, error) {\n\tx := -n + 2*n\n\tif x != 0 { return <-ch, nil } /* b */\n\treturn restate.Object[int](ctx, "A", "k", "h").Request(x)\n}\n',
  "package p\nfunc f() { a := (1 + }\n",
];

function shapeOf(r: GoParseResult): string {
  const node = (n: GoNode): unknown => [n.type, n.range, n.field, n.operator, n.children.map(node)];
  return JSON.stringify([node(r.root), r.comments, r.error]);
}

/**
 * The module's cursor functions, when this version of web-tree-sitter has them and a walk with
 * them makes the same trees as one through its TreeCursor (another version, or a module another
 * package initialized first, falls back to the TreeCursor).
 */
const direct: CursorExports | null = (() => {
  if (!CURSOR_EXPORTS.every((name) => typeof binding[name] === "function")) return null;
  const fast = binding as unknown as CursorExports;
  try {
    for (const sample of SELF_CHECK) {
      const tree = parser.parse(sample);
      if (!tree) return null;
      try {
        if (typeof (tree as unknown as { 0: unknown })[0] !== "number") return null;
        if (shapeOf(walk(tree, sample, fast)) !== shapeOf(walk(tree, sample, null))) return null;
      } finally {
        tree.delete();
      }
    }
    return fast;
  } catch {
    return null;
  }
})();

/** Whether parses walk the tree with the module's own functions (see `directCursor`). */
export const walksDirectly = direct !== null;

/** `parseGo` through web-tree-sitter's TreeCursor, whatever `walksDirectly` says (tests compare the two). */
export function parseGoThroughTreeCursor(text: string): GoParseResult {
  return parseWith(text, null);
}
