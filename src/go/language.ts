import type { GoComment, GoLocation, GoNode, GoPosition } from "./ast.js";
import { lineStartsOf, positionAt } from "./ast.js";
import { GO_NODE_TYPES, parseGo } from "./parser.js";
import { offerTree } from "./linted-trees.js";

/** ESLint's view of a file handed to a language (`@eslint/core` `File`). */
export interface LanguageFile {
  path: string;
  physicalPath?: string;
  bom: boolean;
  body: string | Uint8Array;
}

type ParseResult =
  | { ok: true; ast: GoNode; comments: GoComment[] }
  | { ok: false; errors: { message: string; line: number; column: number; endLine?: number; endColumn?: number }[] };

/** One step of a traversal, as ESLint's SourceCodeTraverser reads them (kind 1 = visit node). */
interface VisitStep {
  kind: 1;
  target: GoNode;
  phase: 1 | 2;
  args: readonly [GoNode, GoNode | null];
}

interface Directive {
  type: "disable" | "enable" | "disable-line" | "disable-next-line";
  node: GoComment;
  value: string;
  justification: string;
}

interface FileProblem {
  ruleId: null;
  message: string;
  loc: GoLocation;
}

/** Every node keeps its children in `children`; ESLint walks those. */
export const GO_VISITOR_KEYS: Readonly<Record<string, readonly string[]>> = Object.freeze(
  Object.fromEntries(GO_NODE_TYPES.map((t) => [t, ["children"]])),
);

const DIRECTIVE = /^\s*(eslint-disable-next-line|eslint-disable-line|eslint-disable|eslint-enable|eslint)(?:\s|$)/;

/**
 * The `SourceCode` of a Go file: text, lines, the tree, comments, locations, traversal and
 * `// eslint-disable…` directives. Nodes carry `loc` (1-based lines, 0-based columns) and
 * `range` like ESTree nodes, and a `parent`.
 */
export class GoSourceCode {
  readonly text: string;
  readonly ast: GoNode;
  readonly comments: GoComment[];
  readonly hasBOM: boolean;
  readonly visitorKeys = GO_VISITOR_KEYS;
  readonly lines: string[];
  readonly lineStartIndices: number[];

  constructor(options: { text: string; ast: GoNode; comments: GoComment[]; hasBOM?: boolean }) {
    this.text = options.text;
    this.ast = options.ast;
    this.comments = options.comments;
    this.hasBOM = options.hasBOM ?? false;
    this.lineStartIndices = lineStartsOf(this.text);
    this.lines = this.lineStartIndices.map((start, i) => {
      const next = this.lineStartIndices[i + 1];
      return this.text.slice(start, next === undefined ? undefined : next).replace(/\r?\n$|\r$/, "");
    });
  }

  getLoc(node: { loc: GoLocation }): GoLocation {
    return node.loc;
  }

  getRange(node: { range: [number, number] }): [number, number] {
    return node.range;
  }

  getText(node?: { range: [number, number] } | null, beforeCount = 0, afterCount = 0): string {
    if (!node) return this.text;
    return this.text.slice(Math.max(node.range[0] - beforeCount, 0), node.range[1] + afterCount);
  }

  getParent(node: GoNode): GoNode | undefined {
    return node.parent ?? undefined;
  }

  /** From the root to the parent of `node`. */
  getAncestors(node: GoNode): GoNode[] {
    const out: GoNode[] = [];
    for (let p = node.parent; p; p = p.parent) out.push(p);
    return out.reverse();
  }

  getAllComments(): GoComment[] {
    return this.comments;
  }

  getLocFromIndex(index: number): GoPosition {
    if (index < 0 || index > this.text.length) throw new RangeError(`Index out of range: ${index}`);
    return positionAt(this.lineStartIndices, index);
  }

  getIndexFromLoc(loc: GoPosition): number {
    const start = this.lineStartIndices[loc.line - 1];
    if (start === undefined) throw new RangeError(`Line out of range: ${loc.line}`);
    return start + loc.column;
  }

  /**
   * Enter and exit steps for every node, in source order (ESLint runs rule listeners on them).
   * Made as they are taken, not kept: ESLint takes each step once, and a list of them all would
   * live as long as the file's lint. Iterating again walks the tree again.
   */
  traverse(): Iterable<VisitStep> {
    const root = this.ast;
    return { [Symbol.iterator]: () => steps(root) };
  }

  /** `// eslint-disable-next-line restate/no-deadlock -- reason` and the other disable/enable comments. */
  getDisableDirectives(): { directives: Directive[]; problems: FileProblem[] } {
    const directives: Directive[] = [];
    const problems: FileProblem[] = [];
    for (const comment of this.comments) {
      const parsed = parseDirective(comment.value);
      if (!parsed || parsed.label === "eslint") continue;
      const type = parsed.label.slice("eslint-".length) as Directive["type"];
      if (type === "disable-line" && comment.loc.start.line !== comment.loc.end.line) {
        problems.push({ ruleId: null, message: `${parsed.label} comment should not span multiple lines.`, loc: comment.loc });
        continue;
      }
      directives.push({ type, node: comment, value: parsed.value, justification: parsed.justification });
    }
    return { directives, problems };
  }

  /** Block comments `/* eslint rule: "off" *\/` that configure rules. */
  getInlineConfigNodes(): GoComment[] {
    return this.comments.filter((c) => c.type === "Block" && parseDirective(c.value)?.label === "eslint");
  }

  applyInlineConfig(): { configs: { config: { rules: Record<string, unknown> }; loc: GoLocation }[]; problems: FileProblem[] } {
    const configs: { config: { rules: Record<string, unknown> }; loc: GoLocation }[] = [];
    const problems: FileProblem[] = [];
    for (const comment of this.getInlineConfigNodes()) {
      const value = parseDirective(comment.value)!.value;
      const rules = parseRulesConfig(value);
      if (rules) configs.push({ config: { rules }, loc: comment.loc });
      else problems.push({ ruleId: null, message: `Failed to parse inline configuration: ${value}`, loc: comment.loc });
    }
    return { configs, problems };
  }
}

function parseDirective(value: string): { label: string; value: string; justification: string } | null {
  const m = DIRECTIVE.exec(value);
  if (!m) return null;
  const rest = value.slice(m[0].length);
  const dashes = /\s-{2,}\s/.exec(` ${rest}`);
  const body = dashes ? rest.slice(0, Math.max(0, dashes.index - 1)) : rest;
  const justification = dashes ? ` ${rest}`.slice(dashes.index + dashes[0].length).trim() : "";
  return { label: m[1]!, value: body.trim(), justification };
}

/** `rule-a: "off", rule-b: [2, { x: 1 }]` → an object, or null when it is not JSON once the keys are quoted. */
function parseRulesConfig(text: string): Record<string, unknown> | null {
  const quoted = text.replace(/(^|[{,\s])([@\w/-]+)\s*:/g, (_, lead: string, key: string) => `${lead}"${key}":`);
  try {
    const parsed: unknown = JSON.parse(`{${quoted}}`);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Go as an ESLint language (the ESLint 9/10 `languages` API). Use it with
 * `{ files: ["**\/*.go"], plugins: { restate }, language: "restate/go" }`.
 */
export const goLanguage = {
  fileType: "text" as const,
  lineStart: 1 as const,
  columnStart: 0 as const,
  nodeTypeKey: "type",
  visitorKeys: GO_VISITOR_KEYS as Record<string, string[]>,
  defaultLanguageOptions: {},

  /** Go files take no language options; options meant for other languages are ignored. */
  validateLanguageOptions(_options: Record<string, unknown>): void {},

  parse(file: LanguageFile): ParseResult {
    const text = typeof file.body === "string" ? file.body : new TextDecoder().decode(file.body);
    try {
      const { root, comments, error } = parseGo(text);
      if (error) return { ok: false, errors: [error] };
      offerTree(file.physicalPath ?? file.path, root);
      return { ok: true, ast: root, comments };
    } catch (e) {
      return { ok: false, errors: [{ message: e instanceof Error ? e.message : String(e), line: 1, column: 1 }] };
    }
  },

  createSourceCode(file: LanguageFile, result: { ast: GoNode; comments?: GoComment[] }): GoSourceCode {
    const text = typeof file.body === "string" ? file.body : new TextDecoder().decode(file.body);
    return new GoSourceCode({ text, ast: result.ast, comments: result.comments ?? [], hasBOM: file.bom });
  },
};

export type GoLanguage = typeof goLanguage;

/** The steps of a depth-first walk from `root`, without recursion (deep nesting cannot overflow the stack). */
function* steps(root: GoNode): Generator<VisitStep> {
  const nodes: GoNode[] = [root];
  // The next child to enter of each node on `nodes`.
  const next: number[] = [0];
  const argsOf: (readonly [GoNode, GoNode | null])[] = [[root, null]];
  yield { kind: 1, target: root, phase: 1, args: argsOf[0]! };
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const node = nodes[top]!;
    const i = next[top]!;
    if (i < node.children.length) {
      next[top] = i + 1;
      const child = node.children[i]!;
      const args: readonly [GoNode, GoNode | null] = [child, node];
      nodes.push(child);
      next.push(0);
      argsOf.push(args);
      yield { kind: 1, target: child, phase: 1, args };
    } else {
      const args = argsOf.pop()!;
      nodes.pop();
      next.pop();
      yield { kind: 1, target: node, phase: 2, args };
    }
  }
}
