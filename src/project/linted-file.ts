import path from "node:path";
import type { FileModel, HandlerKind, TargetRef } from "../model/types.js";
import type { ProjectAnalysis } from "./analysis.js";
import { configEpoch } from "./config-files.js";
import { cacheFolder } from "./disk-cache.js";
import { projectRootOf } from "./roots.js";
import { frontendFor } from "./frontends.js";
import { ProjectIndex, type ProjectOptions, type TargetLookup } from "./index.js";
import { type RestateSettings, restateSettings } from "./settings.js";

/** What a whole-program rule knows of the file it lints, in any language. */
export interface LintedFile {
  filename: string;
  cwd: string;
  settings: Record<string, unknown>;
  /** The file's text as ESLint has it (an unsaved buffer wins over the disk). */
  text: string;
  model: FileModel<unknown>;
  /** The TypeScript program's files, when type information is there. */
  programFiles?: readonly string[];
}

/**
 * What a rule needs of the system: "cycles" (the deadlocks, from the files that can lie on a
 * cycle), "all" (every call's edge, every file parsed), or the handlers some calls name (only
 * the files that may declare them shared; see `ProjectIndex.analyseTargets`).
 */
export type AnalysisScope = "cycles" | "all" | { targets: readonly TargetLookup[] };

/**
 * Puts the file being linted in the project index and returns the analysis of the whole system.
 * Null when the file is no Restate code or anything goes wrong: a whole-program rule must never
 * stop a lint. A misconfigured `settings.restate` is no such accident: its `RestateSettingsError`
 * is thrown, for ESLint to stop the lint with it.
 */
export function analyseLintedFile(linted: LintedFile, scope: AnalysisScope): ProjectAnalysis | null {
  if (!linted.model.usesRestate) return null;
  // Checked outside the `try`: a misconfigured setting is thrown.
  restateSettings(linted.settings, linted.cwd);
  try {
    const { file, index } = lintedIndex(linted);
    index.update(file, linted.text, linted.model);
    // Type-resolved targets can name a definition in ways the text sketches cannot follow.
    if (linted.programFiles || scope === "all") return index.analyse();
    return scope === "cycles" ? index.analyseCycles(file) : index.analyseTargets(file, scope.targets);
  } catch (error) {
    if (process.env.RESTATE_LINT_DEBUG) console.error("eslint-plugin-restate: project analysis failed:", error);
    return null;
  }
}

/**
 * Hands the index ESLint's model of a linted file that holds no Restate code of its own (a barrel
 * or a file of names that imports the SDK's types): a cycle's analysis may read it, and would
 * otherwise parse it from disk again. Never throws.
 */
export function offerLintedModel(linted: LintedFile): void {
  try {
    const { file, index } = lintedIndex(linted);
    index.update(file, linted.text, linted.model);
  } catch {
    // The index parses the file if an analysis needs it.
  }
}

/**
 * How the runtime surely registers the handler a call of the linted file names through an
 * import, from the sketches alone (see `ProjectIndex.sketchedHandlerKind`). Null when they cannot
 * tell, or anything goes wrong; a misconfigured `settings.restate` is thrown, as by
 * `analyseLintedFile`.
 */
export function lintedSketchedHandlerKind(linted: Omit<LintedFile, "model" | "programFiles">, target: TargetRef, handler: string): HandlerKind | null {
  restateSettings(linted.settings, linted.cwd);
  try {
    const { file, index } = lintedIndex(linted);
    return index.sketchedHandlerKind(file, target, handler);
  } catch {
    return null;
  }
}

/**
 * What the linted file is to the cycles the index could find. "on": it may lie on one. "off": it
 * is the file on disk and lies on none, so `no-deadlock` has nothing to report in it and need not
 * build its model (every deadlock lies on a cycle, and the cycle candidates hold every cycle,
 * without type information). "read": off every cycle too, but a cycle's analysis may read it (see
 * `ProjectIndex.wantsModel`): handing the index its model saves a parse.
 */
export function lintedFileCycleRole(linted: Omit<LintedFile, "model" | "programFiles">): "on" | "off" | "read" {
  try {
    const { file, index } = lintedIndex(linted);
    if (!index.offCycles(file, linted.text)) return "on";
    return index.wantsModel(file, linted.text) ? "read" : "off";
  } catch {
    // Bad settings included: the analysis throws them again from the rule's listener, where ESLint
    // shows the message as it is (from `create` it would say the rule failed to load).
    return "on";
  }
}

/**
 * The index whose disk cache keeps the reports rules made on the linted file between runs; null
 * when there is no cache (turned off, or no folder for it) or `settings.restate` is wrong (the
 * rules then run, and the analysis reports the settings).
 */
export function replayIndex(linted: Omit<LintedFile, "model" | "programFiles" | "text">): ProjectIndex | null {
  try {
    const { index } = lintedIndex(linted);
    return index.replays ? index : null;
  } catch {
    return null;
  }
}

const cacheFolders = new Map<string, string | null>();

/** `cacheFolder`, looked up once per setting and cwd (it searches the folders above for node_modules). */
function cacheFolderFor(setting: boolean | string | undefined, cwd: string): string | null {
  const key = `${String(setting)}\u0000${cwd}`;
  let folder = cacheFolders.get(key);
  if (folder === undefined) cacheFolders.set(key, (folder = cacheFolder(setting, cwd)));
  return folder;
}

/** The linted file's absolute path, and the index of its project (a misconfigured `settings.restate` throws). */
function lintedIndex(linted: Omit<LintedFile, "model" | "programFiles" | "text">): { file: string; index: ProjectIndex } {
  const file = path.resolve(linted.filename);
  return { file, index: ProjectIndex.for(indexOptions(linted, restateSettings(linted.settings, linted.cwd), file)) };
}

/** The options the last file gave: ESLint lints a folder's files one after another, and every rule asks. */
let lastOptions: { dir: string; cwd: string; settings: RestateSettings; epoch: number; options: ProjectOptions } | null = null;

function indexOptions(linted: Omit<LintedFile, "model" | "text">, settings: RestateSettings, file: string): ProjectOptions {
  const dir = path.dirname(file);
  const last = lastOptions;
  // The same object while nothing changed, which `ProjectIndex.for` knows its index by.
  if (last && last.dir === dir && last.cwd === linted.cwd && sameIndexSettings(last.settings, settings) && last.epoch === configEpoch()) return last.options;
  const options: ProjectOptions = {
    root: projectRootOf(file),
    include: settings.project,
    base: linted.cwd,
    refreshMs: settings.refreshMs,
    cacheFolder: cacheFolderFor(settings.cache, linted.cwd),
  };
  lastOptions = { dir, cwd: linted.cwd, settings, epoch: configEpoch(), options };
  return options;
}

function sameIndexSettings(a: RestateSettings, b: RestateSettings): boolean {
  return a.project === b.project && a.refreshMs === b.refreshMs && a.cache === b.cache;
}

/**
 * What the project index would do with ESLint's model of a linted file that names no Restate
 * package (no rule runs on it): "take" it when a lint of this process made the index, which may
 * read the file when looking for cycles and has no model of it (see `ProjectIndex.wantsModel`);
 * "keep" it for an index made later when none is made yet and the file may matter to one (a file
 * of names, a barrel: see `ProjectIndex.keepEarly`); null otherwise. Never makes an index: a
 * project with no Restate code pays nothing for its files of names. Never throws.
 */
export function lintedFileWanted(linted: Omit<LintedFile, "model" | "programFiles">): "take" | "keep" | null {
  try {
    const file = path.resolve(linted.filename);
    const index = ProjectIndex.find(indexOptions(linted, restateSettings(linted.settings, linted.cwd), file));
    if (index) return index.wantsModel(file, linted.text) ? "take" : null;
    return frontendFor(file)?.mayMatter(linted.text) ? "keep" : null;
  } catch {
    return null;
  }
}

/** Keeps ESLint's model of a linted file for the project index made later (see `lintedFileWanted`). */
export function keepEarlyModel(linted: LintedFile): void {
  ProjectIndex.keepEarly(linted.filename, linted.text, linted.model);
}
