import { type GoComment, type GoLocation, GoNode, fieldOf, fieldsOf, goSource } from "./ast.js";
import { type FnInfo, type GoFileModel, extractGoModel } from "./extract.js";
import { GoSourceCode } from "./language.js";
import { EMPTY_PACKAGE } from "./package.js";
import { latestOnly } from "../model/latest.js";
import { RestateSettingsError } from "../project/settings.js";
import { modelsBuilt } from "../eslint/file-model.js";
import { SDK_PATH } from "./imports.js";

type Range = [number, number];
interface Ranged {
  range: Range;
}

/** ESLint's fixer as it applies to Go nodes (anything with a `range`). */
export interface GoFixer {
  insertTextAfter(node: Ranged, text: string): GoFix;
  insertTextAfterRange(range: Range, text: string): GoFix;
  insertTextBefore(node: Ranged, text: string): GoFix;
  insertTextBeforeRange(range: Range, text: string): GoFix;
  remove(node: Ranged): GoFix;
  removeRange(range: Range): GoFix;
  replaceText(node: Ranged, text: string): GoFix;
  replaceTextRange(range: Range, text: string): GoFix;
}

export interface GoFix {
  range: Range;
  text: string;
}

export type GoFixFunction = (fixer: GoFixer) => GoFix | GoFix[];

export interface GoSuggestion {
  messageId: string;
  data?: Record<string, string | number>;
  fix: GoFixFunction;
}

export interface GoReportDescriptor {
  node?: GoNode | GoComment;
  loc?: GoLocation;
  messageId: string;
  data?: Record<string, string | number>;
  suggest?: GoSuggestion[];
}

/** The part of ESLint's rule context the Go rules use. */
export interface GoRuleContext {
  readonly sourceCode: GoSourceCode;
  readonly filename: string;
  readonly cwd: string;
  readonly settings: Record<string, unknown>;
  readonly options: readonly unknown[];
  report(descriptor: GoReportDescriptor): void;
}

/** The Go listeners of a rule: the rule's meta, messages and options are those of its TypeScript module. */
export interface GoListeners {
  name: string;
  create(context: GoRuleContext): Record<string, (node: GoNode) => void>;
}

/**
 * The Go half of a rule (`rules/<name>.go.ts`, next to the rule's module). Its reports use the
 * rule's own message ids, filling the placeholders that name the Go APIs.
 */
export function defineGoListeners(name: string, rule: { create: GoListeners["create"] }): GoListeners {
  return {
    name,
    create(context) {
      // Never let an odd file stop a lint: a rule that fails reports nothing.
      const listeners = rule.create(context);
      const safe: Record<string, (node: GoNode) => void> = {};
      for (const [selector, listener] of Object.entries(listeners)) {
        safe[selector] = (node) => {
          try {
            listener(node);
          } catch (error) {
            // A configuration error is the user's to see; anything else is an odd file.
            if (error instanceof RestateSettingsError) throw error;
            if (process.env.RESTATE_LINT_DEBUG) console.error(`eslint-plugin-restate: ${name} on ${context.filename}:`, error);
          }
        };
      }
      return safe;
    },
  };
}

const cache = latestOnly<GoNode, GoFileModel>();

/** The model of the Go file being linted, built once per tree and shared by every rule. */
export function goModel(context: GoRuleContext): GoFileModel {
  const ast = context.sourceCode.ast;
  let model = cache.get(ast);
  if (!model) {
    // Counted as TypeScript's are: the models of the files that may be Restate code.
    if (context.sourceCode.text.includes(SDK_PATH)) modelsBuilt.count++;
    try {
      model = extractGoModel(ast, context.filename);
    } catch (error) {
      if (process.env.RESTATE_LINT_DEBUG) console.error(`eslint-plugin-restate: ${context.filename}:`, error);
      model = extractGoModel(new GoNode("source_file", ast.start, ast.end, null, goSource(""), ast.loc), context.filename, EMPTY_PACKAGE);
    }
    cache.set(ast, model);
  }
  return model;
}

const functionIndexes = latestOnly<GoFileModel, Map<GoNode, FnInfo>>();

/** The analysed function a node of the model is (declarations, methods, handler literals). */
export function functionInfo(model: GoFileModel, fn: GoNode): FnInfo | undefined {
  let index = functionIndexes.get(model);
  if (!index) {
    index = new Map(model.functions.map((f) => [f.fn, f]));
    functionIndexes.set(model, index);
  }
  return index.get(fn);
}

/** The Restate context parameter visible at a node (not shadowed by a closure's parameter), for suggestions. */
export function ctxNameAt(model: GoFileModel, node: GoNode): string | null {
  const shadowed = new Set<string>();
  for (let p = node.parent; p; p = p.parent) {
    const info = functionInfo(model, p);
    if (info) {
      const first = [...info.ctxParams.entries()].find(([name, v]) => v.type !== "RunContext" && !shadowed.has(name));
      return first ? first[0] : null;
    }
    if (p.type === "func_literal") {
      for (const decl of fieldOf(p, "parameters")?.children ?? []) for (const n of fieldsOf(decl, "name")) shadowed.add(n.text);
    }
  }
  return null;
}

/** Removes whole lines when `[start, end)` starts and ends its lines (keeps the file tidy), else just the range. */
export function removeStatementRange(sourceCode: GoSourceCode, start: number, end: number): Range {
  const text = sourceCode.text;
  let s = start;
  while (s > 0 && (text[s - 1] === " " || text[s - 1] === "\t")) s--;
  let e = end;
  while (e < text.length && (text[e] === " " || text[e] === "\t")) e++;
  const startsLine = s === 0 || text[s - 1] === "\n";
  if (startsLine && text[e] === "\n") return [s, e + 1];
  if (startsLine && text.slice(e, e + 2) === "\r\n") return [s, e + 2];
  return [start, end];
}

export function isGoSourceCode(sourceCode: unknown): sourceCode is GoSourceCode {
  return sourceCode instanceof GoSourceCode;
}
