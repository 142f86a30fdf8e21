import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { FileModel } from "../model/types.js";
import { type ProjectAnalysis, analyseProject } from "./analysis.js";
import { isSourceFile, listSourceFiles } from "./files.js";
import { frontendFor } from "./frontends.js";
import { type PathMapping, readPathMapping } from "./module-resolution.js";
import { plainModel } from "./plain-model.js";

export interface ProjectOptions {
  /** The folder the project's files live under (the nearest package.json). */
  root: string;
  /** `settings.restate.project` globs; replace the folder walk when given. */
  include?: readonly string[];
  /** Folder the globs are relative to (ESLint's cwd). */
  base?: string;
  /** Files of the TypeScript program, when type information is there. */
  programFiles?: readonly string[];
  /** How long a look at the disk stays fresh, in ms. */
  refreshMs?: number;
}

interface Entry {
  mtimeMs: number;
  size: number;
  hash: string;
  model: FileModel | null;
  /** The facts of `model` the analysis reads, without source positions. */
  facts: string;
  /** Came from ESLint's AST (an editor buffer may differ from the disk). */
  fromLinter: boolean;
}

/** Default for how long a directory listing and file stats are trusted during a lint run. */
export const DEFAULT_REFRESH_MS = 500;

export function contentHash(text: string): string {
  return createHash("sha1").update(text).digest("base64");
}

/**
 * What the whole-program analysis reads of a model, without positions: an edit that only moves
 * code (typing inside a handler) keeps it, and then the analysis is kept too.
 */
function factsOf(model: FileModel | null): string {
  if (!model) return "";
  return JSON.stringify([model.services, model.descriptors, model.calls, model.imports, model.exports, model.reexports, model.starExports], (key, value: unknown) =>
    key === "loc" ? undefined : value,
  );
}

/**
 * The whole-program view: each file's model, cached by content, and the analysis of the
 * system, recomputed only when some model changed. One index per project root and options,
 * shared by every rule and every lint of the process (CLI run or editor server).
 */
export class ProjectIndex {
  private static readonly registry = new Map<string, ProjectIndex>();

  static for(options: ProjectOptions): ProjectIndex {
    const key = JSON.stringify([options.root, options.include ?? null, options.base ?? null, options.programFiles?.length ?? 0]);
    let index = ProjectIndex.registry.get(key);
    if (!index) {
      index = new ProjectIndex(options);
      ProjectIndex.registry.set(key, index);
    } else if (options.programFiles) index.options = options;
    return index;
  }

  /** Forgets every index (tests). */
  static reset(): void {
    ProjectIndex.registry.clear();
  }

  readonly root: string;
  private options: ProjectOptions;
  private readonly entries = new Map<string, Entry>();
  private lastRefresh = -Infinity;
  private generation = 0;
  private analysis: { generation: number; value: ProjectAnalysis } | null = null;
  private readonly mapping: PathMapping | null;
  /** How many times each file was parsed from disk (for tests of the cache). */
  readonly parses = new Map<string, number>();
  /** Module specifier resolutions, kept while the set of files stays the same. */
  private resolutions = new Map<string, string | null>();

  private constructor(options: ProjectOptions) {
    this.options = options;
    this.root = options.root;
    this.mapping = readPathMapping(options.root);
  }

  /** Puts the file being linted in the index from ESLint's own AST (an unsaved buffer wins over disk). */
  update(file: string, text: string, model: FileModel<unknown>): void {
    this.refresh();
    const abs = path.resolve(file);
    const hash = contentHash(text);
    const entry = this.entries.get(abs);
    if (entry && entry.hash === hash) return;
    const stat = statOf(abs);
    const plain = model.usesRestate || hasExports(model) ? plainModel(model) : null;
    const facts = factsOf(plain);
    if (!entry) this.resolutions.clear();
    this.entries.set(abs, { mtimeMs: stat?.mtimeMs ?? -1, size: stat?.size ?? -1, hash, model: plain, facts, fromLinter: true });
    // Same facts, other positions: the analysis stands; reports read positions from the entry.
    if (entry?.facts !== facts || !entry.model !== !plain) this.generation++;
  }

  /** Picks up files added, removed or changed on disk since the last look (at most every `refreshMs`). */
  refresh(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastRefresh < (this.options.refreshMs ?? DEFAULT_REFRESH_MS)) return;
    this.lastRefresh = now;
    const files = this.options.programFiles ? this.programAndOtherFiles(this.options.programFiles) : this.walkFiles();
    const seen = new Set<string>();
    for (const file of files) {
      const abs = path.resolve(file);
      seen.add(abs);
      const stat = statOf(abs);
      if (!stat) continue;
      const entry = this.entries.get(abs);
      if (entry && entry.mtimeMs === stat.mtimeMs && entry.size === stat.size) continue;
      this.load(abs, stat);
    }
    for (const [file, entry] of this.entries) {
      if (!seen.has(file) && !entry.fromLinter) {
        this.entries.delete(file);
        this.resolutions.clear();
        this.generation++;
      }
    }
  }

  private walkFiles(): string[] {
    return listSourceFiles(this.root, this.options.include, this.options.base);
  }

  /**
   * With type information the TypeScript program names the TypeScript files; files of other
   * languages (Go) still come from the folder walk, so one graph spans both.
   */
  private programAndOtherFiles(programFiles: readonly string[]): string[] {
    const ts = programFiles.filter((f) => isSourceFile(f) && !f.includes("/node_modules/") && frontendFor(f)?.name === "typescript");
    const others = this.walkFiles().filter((f) => frontendFor(f)?.name !== "typescript");
    return [...ts, ...others];
  }

  private load(file: string, stat: { mtimeMs: number; size: number }): void {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return;
    }
    const hash = contentHash(text);
    const previous = this.entries.get(file);
    if (previous && previous.hash === hash) {
      previous.mtimeMs = stat.mtimeMs;
      previous.size = stat.size;
      return;
    }
    const model = this.parseFile(file, text);
    const facts = factsOf(model);
    if (!previous) this.resolutions.clear();
    this.entries.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, hash, model, facts, fromLinter: false });
    if (previous?.facts !== facts) this.generation++;
  }

  private parseFile(file: string, text: string): FileModel | null {
    const frontend = frontendFor(file);
    // Files that cannot be Restate code (or a barrel re-exporting it) are never parsed.
    if (!frontend || !frontend.mayMatter(text)) return null;
    this.parses.set(file, (this.parses.get(file) ?? 0) + 1);
    try {
      const model = frontend.model(file, text);
      return model.usesRestate || hasExports(model) ? plainModel(model) : null;
    } catch {
      // A file that does not parse contributes nothing until it changes.
      return null;
    }
  }

  models(): FileModel[] {
    const out: FileModel[] = [];
    for (const e of this.entries.values()) if (e.model) out.push(e.model);
    return out;
  }

  /** The analysis of the current state, computed once per change. */
  analyse(): ProjectAnalysis {
    if (!this.analysis || this.analysis.generation !== this.generation) {
      this.analysis = {
        generation: this.generation,
        value: analyseProject(this.models(), {
          root: this.root,
          mapping: this.mapping,
          known: (f) => this.entries.has(f),
          current: (f) => this.entries.get(f)?.model ?? undefined,
          resolutions: this.resolutions,
        }),
      };
    }
    return this.analysis.value;
  }
}

function hasExports(model: FileModel<unknown>): boolean {
  return Object.keys(model.reexports).length > 0 || model.starExports.length > 0;
}

function statOf(file: string): { mtimeMs: number; size: number } | null {
  try {
    const s = statSync(file);
    return { mtimeMs: s.mtimeMs, size: s.size };
  } catch {
    return null;
  }
}
