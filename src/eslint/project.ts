import path from "node:path";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { CallSite, FileModel, HandlerKind, TargetRef } from "../model/types.js";
import type { ProjectAnalysis } from "../project/analysis.js";
import { type AnalysisScope, type LintedFile, analyseLintedFile, keepEarlyModel, lintedFileCycleRole, lintedFileWanted, lintedSketchedHandlerKind, offerLintedModel } from "../project/linted-file.js";
import { type TsFileModel, extractFileModel } from "../ts/extract.js";
import type { Node } from "../ts/ast.js";
import { mayImportRestate } from "../ts/imports.js";
import { readsProject } from "./replay.js";

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

interface TypeServices {
  program: import("typescript").Program;
  esTreeNodeToTSNodeMap: { get(node: TSESTree.Node): import("typescript").Node };
}

function typeServices(context: Context): TypeServices | null {
  const services = context.sourceCode.parserServices as Partial<TypeServices> | undefined;
  return services?.program && services.esTreeNodeToTSNodeMap ? (services as TypeServices) : null;
}

/** The program's own files, listed once per program (not once per linted file). */
const programFilesCache = new WeakMap<object, readonly string[]>();

function programFiles(program: import("typescript").Program): readonly string[] {
  let files = programFilesCache.get(program);
  if (!files) {
    files = program.getSourceFiles().map((f) => path.resolve(f.fileName));
    programFilesCache.set(program, files);
  }
  return files;
}

/** What the project index is told of the file a rule lints. */
function lintedOf(context: Context): Omit<LintedFile, "model" | "programFiles"> {
  return { filename: context.filename, cwd: context.cwd, settings: context.settings, text: context.sourceCode.text };
}

/** The tree of the last file `offerFileOfNames` looked at: every rule of a file asks. */
let lastOffered: unknown = null;

/**
 * For a file that names no Restate package (no rule runs on it): when looking for cycles reads
 * it (a file of names a definition spreads, a barrel) and the project index has no model of it,
 * hands the index the model of ESLint's tree, which it would otherwise parse from disk again; or
 * keeps that model for the index when none is made yet (the file is linted before any Restate file).
 */
export function offerFileOfNames(context: Context): void {
  const sourceCode = context.sourceCode;
  if (sourceCode.ast === lastOffered) return;
  lastOffered = sourceCode.ast;
  if (typeServices(context)) return;
  const linted = lintedOf(context);
  const wanted = lintedFileWanted(linted);
  if (!wanted) return;
  try {
    const model = extractFileModel(sourceCode.ast as TSESTree.Program, context.filename, sourceCode.text);
    if (wanted === "take") offerLintedModel({ ...linted, model });
    else keepEarlyModel({ ...linted, model });
  } catch {
    // The index parses the file if an analysis needs it.
  }
}

/** See `lintedFileCycleRole`; never off with type information, whose targets the sketches may not see. */
export function cycleRole(context: Context): "on" | "off" | "read" {
  // A file that names no Restate package has no calls to put on a cycle (its model, if a cycle
  // reads it, is handed over by `offerFileOfNames`).
  if (!mayImportRestate(context.sourceCode.text)) return "off";
  if (typeServices(context)) return "on";
  readsProject(context);
  return lintedFileCycleRole(lintedOf(context));
}

/**
 * Hands the project index ESLint's model of a linted file that a cycle's analysis may read but
 * no analysis of this lint puts in the index: one off every cycle (`cycleRole` "read"), or one
 * with no Restate code of its own.
 */
export function offerModel(context: Context, model: TsFileModel): void {
  offerLintedModel({ ...lintedOf(context), model });
}

/**
 * How the runtime surely registers the handler an ingress call names (through an import, or by a
 * name), from the project's sketches (no file parsed); never with type information, whose targets
 * the sketches may not see.
 */
export function sketchedHandlerKind(context: Context, model: TsFileModel, target: TargetRef, handler: string): HandlerKind | null {
  if (!model.usesRestate || typeServices(context)) return null;
  readsProject(context);
  return lintedSketchedHandlerKind(lintedOf(context), target, handler);
}

/**
 * The whole-system analysis for the TypeScript file being linted (see `analyseLintedFile`).
 * Throws a `RestateSettingsError` on a misconfigured `settings.restate`: the rule lets it through.
 */
export function projectAnalysis(context: Context, model: TsFileModel, scope: AnalysisScope): ProjectAnalysis | null {
  const types = typeServices(context);
  if (!model.usesRestate) {
    // `no-deadlock` lints it because a cycle's names may pass through it: the index takes its model.
    if (scope === "cycles" && !types) offerModel(context, model);
    return null;
  }
  readsProject(context);
  return analyseLintedFile({
    ...lintedOf(context),
    // Type-resolved targets differ from import-followed ones: keep them apart in the cache.
    text: context.sourceCode.text + (types ? "\u0000typed" : ""),
    model: types ? withCheckedTargets(model, types) : model,
    programFiles: types ? programFiles(types.program) : undefined,
  }, scope);
}

/**
 * With type information, a target written as an identifier resolves through the checker to the
 * variable it finally denotes, across re-exports and aliases that import-following may miss.
 */
function withCheckedTargets(model: TsFileModel, types: TypeServices): FileModel<Node> {
  const checker = types.program.getTypeChecker();
  const calls: CallSite<Node>[] = model.calls.map((call) => {
    const node = call.targetNode;
    if (!node || node.type !== "Identifier" || call.target.by === "name") return call;
    try {
      const tsNode = types.esTreeNodeToTSNodeMap.get(node as TSESTree.Node);
      let symbol = checker.getSymbolAtLocation(tsNode);
      if (symbol && symbol.flags & 2097152 /* ts.SymbolFlags.Alias */) symbol = checker.getAliasedSymbol(symbol);
      const decl = symbol?.declarations?.[0] as { name?: { getText(): string }; getSourceFile(): { fileName: string } } | undefined;
      const name = decl?.name?.getText();
      if (!decl || !name) return call;
      return { ...call, target: { by: "declared", file: path.resolve(decl.getSourceFile().fileName), localName: name } };
    } catch {
      return call;
    }
  });
  return { ...model, calls };
}
