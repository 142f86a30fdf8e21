import type { SourceLoc } from "../model/types.js";

export interface GoPosition {
  /** 1-based. */
  line: number;
  /** 0-based, in UTF-16 code units (as ESLint counts). */
  column: number;
}

export interface GoLocation {
  start: GoPosition;
  end: GoPosition;
}

/** The text of a Go file and where its lines start: what a node's location is computed from. */
export interface GoSource {
  readonly text: string;
  readonly lineStarts: readonly number[];
}

export function goSource(text: string): GoSource {
  return { text, lineStarts: lineStartsOf(text) };
}

/** A leaf's children: one shared list, frozen so that nothing can add to it (most nodes are leaves). */
const NO_CHILDREN = Object.freeze([]) as unknown as GoNode[];

/**
 * A node of a Go file: the named nodes of the tree-sitter-go grammar, with the type names of
 * that grammar (`call_expression`, `selector_expression`, …). Anonymous tokens are dropped,
 * except operators, which are kept on their node. Built once per parse; the tree-sitter tree
 * is freed right after, so nodes are plain, stable objects ESLint can key maps by. A node's
 * location and its `range` array are made when first read (most nodes are never reported on),
 * and a leaf shares one empty list of children: up to five objects fewer per node. Once any rule
 * is on, ESLint keeps every file's source code past the young-generation GCs, so a smaller tree
 * is a cheaper lint.
 */
export class GoNode {
  readonly type: string;
  /** Offsets of the node's first character and of the one after its last. */
  readonly start: number;
  readonly end: number;
  parent: GoNode | null = null;
  children: GoNode[] = NO_CHILDREN;
  /** The grammar field this node fills in its parent (`function`, `arguments`, `operand`…). */
  readonly field: string | null;
  /** The operator token of unary, binary and assignment nodes (`*`, `<-`, `!=`, `+=`). */
  operator: string | null = null;
  readonly #source: GoSource;
  #loc: GoLocation | null;
  #range: [number, number] | null = null;

  constructor(type: string, start: number, end: number, field: string | null, source: GoSource, loc: GoLocation | null = null) {
    this.type = type;
    this.start = start;
    this.end = end;
    this.field = field;
    this.#source = source;
    this.#loc = loc;
  }

  get range(): [number, number] {
    return (this.#range ??= [this.start, this.end]);
  }

  get loc(): GoLocation {
    return (this.#loc ??= locationOf(this.#source.lineStarts, this.start, this.end));
  }

  get text(): string {
    return this.#source.text.slice(this.start, this.end);
  }

  /** The whole text of the file the node was parsed from. */
  get sourceText(): string {
    return this.#source.text;
  }
}

/** A Go comment, shaped like ESTree comments so ESLint's directive handling can use it. */
export interface GoComment {
  type: "Line" | "Block";
  value: string;
  range: [number, number];
  loc: GoLocation;
}

export interface GoParseError {
  message: string;
  /** 1-based, as ESLint reports parse errors. */
  line: number;
  /** 1-based. */
  column: number;
  endLine: number;
  endColumn: number;
}

/** Offsets at which each line starts (Go ends lines with `\n`; `\r\n` and a lone `\r` are accepted too). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

function locationOf(lineStarts: readonly number[], start: number, end: number): GoLocation {
  return { start: positionAt(lineStarts, start), end: positionAt(lineStarts, end) };
}

export function positionAt(lineStarts: readonly number[], index: number): GoPosition {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: index - lineStarts[lo]! };
}

/** What the tree walk needs to know about the grammar, by numeric id (cheaper than names per node). */
export interface Grammar {
  types: readonly (string | null)[];
  named: readonly boolean[];
  fields: readonly (string | null)[];
}

/** Node types whose operator token is kept (`operator` field). */
const OPERATOR_PARENTS = new Set(["binary_expression", "unary_expression", "assignment_statement"]);

/**
 * A tree-sitter cursor, as the tree walk reads it: the node it is on and the moves it makes.
 * Every read crosses into WebAssembly, so each node reads only what it needs.
 */
export interface GoCursor {
  typeId(): number;
  startIndex(): number;
  endIndex(): number;
  fieldId(): number;
  isMissing(): boolean;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/**
 * Copies a tree-sitter tree into GoNodes in one cursor walk (no recursion, so deep nesting
 * cannot overflow the stack), collecting comments and the first syntax error on the way.
 * `cursor` starts on the root; `hasError` is whether the tree has any error or missing node.
 */
export function buildTree(cursor: GoCursor, hasError: boolean, text: string, grammar: Grammar): { root: GoNode; comments: GoComment[]; error: GoParseError | null } {
  const source = goSource(text);
  const locOf = (start: number, end: number): GoLocation => locationOf(source.lineStarts, start, end);
  const comments: GoComment[] = [];
  let error: GoParseError | null = null;
  const stack: GoNode[] = [];
  let root: GoNode | null = null;
  for (;;) {
    const id = cursor.typeId();
    const type = grammar.types[id] ?? "ERROR";
    const named = grammar.types[id] === undefined || grammar.named[id] === true;
    const parent = stack[stack.length - 1] ?? null;
    let node: GoNode | null = null;
    if (hasError && error === null) {
      const missing = cursor.isMissing();
      if (missing || type === "ERROR") error = syntaxError(missing, type, text, cursor.startIndex(), cursor.endIndex(), locOf);
    }
    if (named) {
      const start = cursor.startIndex();
      const end = cursor.endIndex();
      if (type === "comment") comments.push(commentOf(text, start, end, locOf(start, end)));
      else if (!hasError || !cursor.isMissing()) {
        node = new GoNode(type, start, end, grammar.fields[cursor.fieldId()] ?? null, source);
        if (parent) {
          node.parent = parent;
          if (parent.children === NO_CHILDREN) parent.children = [node];
          else parent.children.push(node);
        } else root = node;
      }
    } else if (parent && OPERATOR_PARENTS.has(parent.type) && grammar.fields[cursor.fieldId()] === "operator") {
      parent.operator = text.slice(cursor.startIndex(), cursor.endIndex());
    }
    if (node && cursor.gotoFirstChild()) {
      stack.push(node);
      continue;
    }
    let done = false;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
      stack.pop();
    }
    if (done || stack.length === 0) break;
  }
  if (!root) root = new GoNode("source_file", 0, text.length, null, source);
  return { root, comments, error };
}

function syntaxError(
  missing: boolean,
  type: string,
  text: string,
  start: number,
  end: number,
  locOf: (s: number, e: number) => GoLocation,
): GoParseError {
  const loc = locOf(start, end);
  let message: string;
  if (missing) message = `Missing ${JSON.stringify(type)}`;
  else {
    const snippet = text.slice(start, Math.min(end, start + 20)).split(/\r?\n/)[0] ?? "";
    message = snippet ? `Unexpected ${JSON.stringify(snippet)}` : "Unexpected end of input";
  }
  return { message, line: loc.start.line, column: loc.start.column + 1, endLine: loc.end.line, endColumn: loc.end.column + 1 };
}

function commentOf(text: string, start: number, end: number, loc: GoLocation): GoComment {
  const raw = text.slice(start, end);
  if (raw.startsWith("/*")) return { type: "Block", value: raw.slice(2, raw.endsWith("*/") ? -2 : undefined), range: [start, end], loc };
  return { type: "Line", value: raw.slice(2), range: [start, end], loc };
}

// ---------------------------------------------------------------------------------------------
// Helpers over GoNodes
// ---------------------------------------------------------------------------------------------

/** The child filling a grammar field (`function`, `arguments`, `operand`, `field`, `left`…). */
export function fieldOf(node: GoNode | null | undefined, field: string): GoNode | undefined {
  if (!node) return undefined;
  for (const c of node.children) if (c.field === field) return c;
  return undefined;
}

export function fieldsOf(node: GoNode, field: string): GoNode[] {
  return node.children.filter((c) => c.field === field);
}

/** Strips parentheses around an expression. */
export function unparen(node: GoNode): GoNode {
  let n = node;
  while (n.type === "parenthesized_expression" && n.children.length === 1) n = n.children[0]!;
  return n;
}

export const FUNCTION_TYPES = new Set(["function_declaration", "method_declaration", "func_literal"]);

export function isFunction(node: GoNode | null | undefined): boolean {
  return !!node && FUNCTION_TYPES.has(node.type);
}

/** Depth-first, in source order; `visit` returning false skips the node's children. */
export function walkGo(root: GoNode, visit: (node: GoNode) => boolean | void): void {
  const stack: GoNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

export function isAncestorOf(ancestor: GoNode, node: GoNode): boolean {
  for (let p: GoNode | null = node; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

/** The innermost function (declaration, method or literal) containing a node. */
export function enclosingFunction(node: GoNode): GoNode | null {
  for (let p = node.parent; p; p = p.parent) if (isFunction(p)) return p;
  return null;
}

export function toSourceLoc(node: GoNode): SourceLoc {
  return { line: node.loc.start.line, column: node.loc.start.column, endLine: node.loc.end.line, endColumn: node.loc.end.column };
}

const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"', "'": "'" };

/** The value of a Go string literal (`"…"` or a raw `` `…` `` string); null for anything else. */
export function stringValue(node: GoNode | null | undefined): string | null {
  if (!node) return null;
  const n = unparen(node);
  const raw = n.text;
  if (n.type === "raw_string_literal") return raw.slice(1, -1).replace(/\r/g, "");
  if (n.type !== "interpreted_string_literal") return null;
  const body = raw.slice(1, -1);
  if (!body.includes("\\")) return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return null;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const hexLength = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (hexLength > 0) {
      const hex = body.slice(i + 1, i + 1 + hexLength);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLength) return null;
      const code = Number.parseInt(hex, 16);
      // `\x` escapes are bytes of UTF-8: only ASCII maps to one character.
      if (e === "x" && code > 0x7f) return null;
      if (code > 0x10ffff) return null;
      out += String.fromCodePoint(code);
      i += hexLength;
      continue;
    }
    if (/[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) return null;
      const code = Number.parseInt(oct, 8);
      if (code > 0x7f) return null;
      out += String.fromCharCode(code);
      i += 2;
      continue;
    }
    return null;
  }
  return out;
}

/** `pkg.Name` → ["pkg", "Name"] when both sides are plain identifiers. */
export function selectorParts(node: GoNode | null | undefined): [string, string] | null {
  if (!node) return null;
  const n = unparen(node);
  if (n.type !== "selector_expression") return null;
  const operand = fieldOf(n, "operand");
  const field = fieldOf(n, "field");
  if (operand?.type !== "identifier" || !field) return null;
  return [operand.text, field.text];
}
