import path from "node:path";
import type { FileModel } from "../model/types.js";
import type { ProjectAnalysis } from "./analysis.js";
import { packageRootOf } from "./files.js";
import { ProjectIndex } from "./index.js";

/** `settings.restate` in an ESLint config. */
export interface RestateSettings {
  /** Globs (relative to ESLint's cwd) of the files that form the system; default: the package's files. */
  project?: string[];
  /** How long the index trusts its last look at the disk, in ms (default 500). */
  refreshMs?: number;
}

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
 * cycle; everything else left unparsed) or "all" (every call's edge, every file parsed).
 */
export type AnalysisScope = "cycles" | "all";

/**
 * Puts the file being linted in the project index and returns the analysis of the whole system.
 * Null when the file is no Restate code or anything goes wrong: a whole-program rule must never
 * stop a lint.
 */
export function analyseLintedFile(linted: LintedFile, scope: AnalysisScope): ProjectAnalysis | null {
  if (!linted.model.usesRestate) return null;
  try {
    const file = path.resolve(linted.filename);
    const index = indexFor(linted, file);
    index.update(file, linted.text, linted.model);
    // Type-resolved targets can name a definition in ways the text sketches cannot follow.
    return scope === "cycles" && !linted.programFiles ? index.analyseCycles() : index.analyse();
  } catch (error) {
    if (process.env.RESTATE_LINT_DEBUG) console.error("eslint-plugin-restate: project analysis failed:", error);
    return null;
  }
}

/**
 * True when the file as linted is the file on disk and lies on no cycle the index could find:
 * `no-deadlock` then has nothing to report in it and need not build its model. Every deadlock
 * lies on a cycle, and the cycle candidates hold every cycle (without type information).
 */
export function lintedFileOffCycles(linted: Omit<LintedFile, "model" | "programFiles">): boolean {
  try {
    const file = path.resolve(linted.filename);
    return indexFor(linted, file).offCycles(file, linted.text);
  } catch {
    return false;
  }
}

function indexFor(linted: Omit<LintedFile, "model">, file: string): ProjectIndex {
  const settings = ((linted.settings as { restate?: RestateSettings }).restate ?? {}) as RestateSettings;
  return ProjectIndex.for({
    root: packageRootOf(file),
    include: settings.project,
    base: linted.cwd,
    programFiles: linted.programFiles,
    refreshMs: settings.refreshMs,
  });
}
