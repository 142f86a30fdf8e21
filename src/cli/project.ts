/**
 * The project a command reads, found as a lint of a file in the folder finds it, with Go read
 * when the project has Go files and the optional parser is installed.
 */
import { statSync } from "node:fs";
import type { ProjectAnalysis } from "../project/analysis.js";
import { listSourceFiles, newWalkCache } from "../project/files.js";
import { indexedExtensions, registerFrontend } from "../project/frontends.js";
import { ProjectIndex } from "../project/index.js";
import { projectRoot } from "../project/roots.js";

/** Loads the Go parser and registers the Go frontend; the parser waits for its WebAssembly. */
export type GoLoader = () => Promise<void>;

export const loadGo: GoLoader = async () => {
  const { goFrontend } = await import("../go/frontend.js");
  registerFrontend(goFrontend);
};

export interface ProjectRead {
  root: string;
  /** Why this root: the rule that chose it. */
  why: string;
  /** Source files read (Go included when it could be read). */
  files: string[];
  /** Go files in the project, read or not. */
  goFiles: string[];
  /** Why Go files were left out, when they were. */
  goProblem: string | null;
  analysis: ProjectAnalysis;
}

/** Reads the project of `folder` (or the files `globs` match) and analyses it as `no-deadlock` does. */
export async function readProject(folder: string, globs: string[] | undefined, goLoader: GoLoader = loadGo): Promise<ProjectRead> {
  const { root, why } = projectRoot(folder);
  // Go files are counted before Go can be read: a project of Go only is not a folder without sources.
  const goFiles = listSourceFiles(root, globs, process.cwd(), newWalkCache(), [".go"]);
  let goProblem: string | null = null;
  if (goFiles.length > 0 && !indexedExtensions().includes(".go")) {
    try {
      await goLoader();
    } catch (error) {
      goProblem = goLoadProblem(error);
    }
  }
  const files = listSourceFiles(root, globs, process.cwd());
  const index = ProjectIndex.for({ root, include: globs, base: process.cwd(), refreshMs: 0 });
  index.refresh(true);
  return { root, why, files, goFiles, goProblem, analysis: index.analyse() };
}

/** What to do when Go cannot be read: the parser's package is an optional peer. */
function goLoadProblem(error: unknown): string {
  const missing = (e: unknown): boolean => {
    const x = e as { code?: string; message?: string; cause?: unknown } | null;
    return !!x && ((x.code === "ERR_MODULE_NOT_FOUND" && /web-tree-sitter/.test(x.message ?? "")) || missing(x.cause));
  };
  if (missing(error)) return "reading Go needs the package web-tree-sitter, which is not installed (npm install --save-dev web-tree-sitter)";
  return `the Go parser did not load (${(error as Error)?.message ?? String(error)})`;
}

/** Why a folder cannot be read, or null. */
export function folderProblem(folder: string): string | null {
  try {
    return statSync(folder).isDirectory() ? null : "not a directory";
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? "no such directory" : (e as Error).message;
  }
}
