import { hash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { FileModel, FileSketch, HandlerKind, TargetRef } from "../model/types.js";
import { pushTo } from "../model/records.js";
import { type ProjectAnalysis, analyseProject } from "./analysis.js";
import { type Candidates, cycleCandidates, expandWords, sameLinks } from "./candidates.js";
import { listSourceFiles, newWalkCache, walkLists } from "./files.js";
import { DiskCache, type ProjectView, type RecordedReport } from "./disk-cache.js";
import { type IndexFrontend, frontendFor } from "./frontends.js";
import { configDigest, configEpoch, configFilesRead, configsChanged } from "./config-files.js";
import { resolveModule } from "./module-resolution.js";
import { plainModel } from "./plain-model.js";
import { Resolver } from "./resolve.js";
import { textHash } from "./text-hash.js";

/** A handler a call names, and where its definition may be: an import's specifier, a service name. */
export interface TargetLookup {
  handler: string;
  service: string | null;
  source: string | null;
}

export interface ProjectOptions {
  /** The folder the project's files live under (see `projectRootOf`: package.json, go.mod, go.work). */
  root: string;
  /** `settings.restate.project` globs; replace the folder walk when given. */
  include?: readonly string[];
  /** Folder the globs are relative to (ESLint's cwd). */
  base?: string;
  /** How long a look at the disk stays fresh, in ms. */
  refreshMs?: number;
  /** Where the index keeps sketches and models between runs (see `cacheFolder`); none: no cache. */
  cacheFolder?: string | null;
}

interface Entry {
  mtimeMs: number;
  ctimeMs: number;
  size: number;
  /**
   * The text is the disk's, read more than `SETTLED_MS` after it was last written: a later run
   * may know it by its `stat` alone (see `DiskCache.hashAt`).
   */
  settled: boolean;
  hash: string;
  /** What the file may define and wait on; null when it cannot matter (never parsed). */
  sketch: FileSketch | null;
  /** Undefined until the file is parsed: only files an analysis needs are. */
  model: FileModel | null | undefined;
  /** The facts of `model` the analysis reads, without source positions ("" before the first parse). */
  facts: string;
  /** Counts changes of `facts`: an analysis records the versions of the files it read. */
  factsVersion: number;
  /**
   * When ESLint last handed this text over (an editor buffer may differ from the disk); 0 for a
   * text read from disk. A buffer no longer linted for `BUFFER_TTL_MS` gives way to the disk.
   */
  lintedAt: number;
  /**
   * The last model that parsed, kept while the file does not parse (a syntax error typed into a
   * file of a cycle must not hide the cycle from the other files).
   */
  lastGood: FileModel | null;
}

/** Each word the sketches' handles or handle references hold → the files that hold it; and each file's place among the index's entries. */
interface WordHolders {
  files: Map<string, string[]>;
  place: Map<string, number>;
}

/** The analysis for `no-deadlock`: cycles only, from the files that can be on one. */
interface CycleAnalysis {
  sketchGeneration: number;
  /** The files it read, with the versions of their facts; null after falling back to every file. */
  read: Map<string, number> | null;
  generation: number;
  value: ProjectAnalysis;
}

/** Default for how long a directory listing and file stats are trusted during a lint run. */
export const DEFAULT_REFRESH_MS = 500;

/**
 * How long the text of a buffer ESLint linted counts over the disk once ESLint stops linting it:
 * an editor lints an open file at each edit, so a buffer not linted for this long was closed
 * (its unsaved changes dropped) or is left alone; the disk then says what the file holds.
 */
export const BUFFER_TTL_MS = 10_000;

/**
 * A file last written at least this long before the index read it is known to a later run by its
 * `stat` (modification and change times, size), as git's index knows files. Written later, a
 * second write in the same tick of the clock, of the same size, could go unseen; coarse file
 * system clocks (2 s on FAT) and clocks that differ between a file server and this machine are
 * why it is seconds, not the tick.
 */
export const SETTLED_MS = 3_000;

/** Looks at the disk are at least this many times their own duration apart (at most 2% of the time). */
const LOOK_SHARE = 50;
/** A look quicker than this (a project of a few hundred files) is made every `refreshMs`. */
const QUICK_LOOK_MS = 10;
/**
 * A look that falls due is made once no lint has asked the index for this long (it is made 1 to 2
 * times this after the last lint): an editor lints when the user pauses, a CLI run lints its files
 * one right after another.
 */
export const LOOK_IDLE_MS = 50;

export function contentHash(text: string): string {
  // The text a lint hands over is hashed by `offCycles` and again by `update`: the same string.
  if (text === lastHashed.text) return lastHashed.hash;
  lastHashed = { text, hash: textHash(text) };
  return lastHashed.hash;
}

let lastHashed = { text: "", hash: textHash("") };

/**
 * The models ESLint's trees gave of files of names and barrels linted before any index of their
 * project was made (see `ProjectIndex.keepEarly`), by path, with their text's hash. Bounded: a
 * project with no Restate code makes no index to take them.
 */
const earlyModels = new Map<string, { hash: string; model: FileModel | null }>();
const EARLY_MODELS = 256;

/**
 * What the whole-program analysis reads of a model, without positions: an edit that only moves
 * code (typing inside a handler) keeps it, and then the analysis is kept too.
 */
function factsOf(model: FileModel | null): string {
  if (!model) return "";
  return JSON.stringify([model.services, model.descriptors, model.calls, model.imports, model.exports, model.reexports, model.starExports, model.constants], (key, value: unknown) =>
    key === "loc" ? undefined : value,
  );
}

/**
 * The whole-program view: each file's sketch (from its text) and, once an analysis needs it,
 * its model, cached by content; and the analyses of the system, recomputed only when something
 * they read changed. Parsing is what costs: `analyseCycles` parses only the files that can lie
 * on a cycle, `analyse` every file. One index per project root and options, shared by every
 * rule and every lint of the process (CLI run or editor server).
 */
export class ProjectIndex {
  private static readonly registry = new Map<string, ProjectIndex>();

  static for(options: ProjectOptions): ProjectIndex {
    const found = ProjectIndex.find(options);
    if (found) return found;
    const index = new ProjectIndex(options);
    ProjectIndex.registry.set(ProjectIndex.keyOf(options), index);
    ProjectIndex.last = { options, index };
    return index;
  }

  /** The index of a project and options when one was made already; never makes one. */
  static find(options: ProjectOptions): ProjectIndex | undefined {
    const last = ProjectIndex.last;
    if (last?.options === options) return last.index;
    const index = ProjectIndex.registry.get(ProjectIndex.keyOf(options));
    if (index) ProjectIndex.last = { options, index };
    return index;
  }

  /** The last options asked about, and their index: every rule of a file asks with the same object. */
  private static last: { options: ProjectOptions; index: ProjectIndex } | null = null;

  private static keyOf(options: ProjectOptions): string {
    // The project is the same with type information or without: types only sharpen call targets.
    return JSON.stringify([options.root, options.include ?? null, options.base ?? null]);
  }

  /** Forgets every index (tests). */
  static reset(): void {
    ProjectIndex.registry.clear();
    ProjectIndex.last = null;
    earlyModels.clear();
  }

  /**
   * Keeps ESLint's model of a linted file that holds no Restate code of its own, when no index of
   * its project exists yet (its lint came before the first Restate file's): an index made later
   * that reads it when looking for cycles takes this model of the same text instead of parsing it.
   */
  static keepEarly(file: string, text: string, model: FileModel<unknown>): void {
    const abs = path.resolve(file);
    earlyModels.delete(abs);
    if (earlyModels.size >= EARLY_MODELS) earlyModels.delete(earlyModels.keys().next().value!);
    earlyModels.set(abs, { hash: contentHash(text), model: keptModel(model) });
  }

  readonly root: string;
  private readonly options: ProjectOptions;
  /** The configuration (package.json, tsconfig, workspaces) the resolutions were made with. */
  private configEpoch = configEpoch();
  private readonly entries = new Map<string, Entry>();
  private lastRefresh = -Infinity;
  /** How long the last look at the disk took. */
  private lookMs = 0;
  /** The look that fell due, waiting for linting to pause (see `refresh`). */
  private lookTimer: ReturnType<typeof setTimeout> | null = null;
  /** A lint asked since the waiting look's timer was set: the look waits another `LOOK_IDLE_MS`. */
  private askedWhileWaiting = false;
  /** How many times the index looked at the disk (for tests of when it looks). */
  looks = 0;
  /** Changes with any file's facts or the set of files. */
  private generation = 0;
  /** Changes with any file's text, the set of files, or the configuration (see `ProjectView`). */
  private viewVersion = 0;
  /** Changes with any file's sketch or the set of files. */
  private sketchGeneration = 0;
  private analysis: { generation: number; value: ProjectAnalysis } | null = null;
  /** The cycle analyses by group of candidates ("*": every group; see `cycleScope`). */
  private readonly cycles = new Map<string, CycleAnalysis>();
  /**
   * Original word → its aliases, from every sketch, the files that may define a name (see
   * `filesNaming`) and the files that hold each word (`wordHolders`); dropped whenever a sketch
   * changes or goes.
   */
  private aliasIndex: { aliasesOf: Map<string, string[]>; naming: Map<string, string[]>; holders?: WordHolders } | null = null;
  /** `hash\0handler` → whether a file's text may declare the handler shared (see `mayDeclareShared`). */
  private readonly sharedDeclared = new Map<string, boolean>();
  private parseSetCache: {
    sketchGeneration: number;
    files: string[];
    set: Set<string>;
    groupOf: Map<string, number>;
    members: Map<number, string[]>;
    /** A group's candidates and what resolving their names passes through, made when first needed. */
    closures: Map<number, string[]>;
    aliasOf: ReadonlyMap<string, readonly string[]>;
    /** See `calledNames`, made when first needed. */
    calledNames?: ReadonlySet<string>;
  } | null = null;
  private readonly otherDefinitionsCache = new Map<string, { sketchGeneration: number; read: Map<string, number>; files: string[] }>();
  /** The words the last look for cycle candidates reached (see `sameLinks`). */
  private linkWords: Pick<Candidates, "words" | "anchors"> | null = null;
  /** Barrel → whether a name can be read through it (see `passesNames`), for one `sketchGeneration`. */
  private barrels: { sketchGeneration: number; passes: Map<string, boolean> } = { sketchGeneration: -1, passes: new Map() };
  /** How many times each file was parsed from disk (for tests of the cache). */
  readonly parses = new Map<string, number>();
  /** How many texts were sketched (for tests of the disk cache). */
  sketched = 0;
  /** How many texts a look read from disk (for tests of the disk cache). */
  reads = 0;
  /** How many times the cycle candidates were looked for (for tests of the disk cache). */
  cycleSearches = 0;
  private readonly walkCache = newWalkCache();
  /** Module specifier resolutions, kept while the set of files stays the same. */
  private resolutions = new Map<string, string | null>();

  /** Sketches and models of earlier runs, by text hash. */
  private readonly disk: DiskCache | null;

  private constructor(options: ProjectOptions) {
    this.options = options;
    this.root = options.root;
    this.disk = DiskCache.for(options.cacheFolder ?? null, options.root, JSON.stringify([options.include ?? null, options.base ?? null]));
    this.disk?.attach(this.projectView());
  }

  /** The project as the disk cache judges its project-wide reports by. */
  private projectView(): ProjectView {
    const entries = this.entries;
    return {
      version: () => this.viewVersion,
      state: (configs = configFilesRead()) => ({ configs: [...configs], fingerprint: this.fingerprint(configs) }),
      hashOf: (file) => this.entries.get(file)?.hash,
      looked: () => this.looks > 0,
      *settled() {
        for (const [file, e] of entries) if (e.settled && !e.lintedAt) yield [file, e] as const;
      },
    };
  }

  /**
   * Every file the index holds with the hash of its text, and every configuration file in
   * `configs` with its own: what any analysis of the project reads. A file that does not parse
   * and stands in with its last good facts is marked, since those came from another text.
   */
  private fingerprint(configs: readonly string[]): string {
    const lines: string[] = [];
    for (const [file, e] of this.entries) lines.push(`${file}\u0000${e.hash}${e.lastGood && e.model === e.lastGood ? "\u0000stale" : ""}`);
    return hash("sha1", `${lines.sort().join("\n")}\n\n${configDigest(configs)}`, "base64");
  }

  /**
   * The reports a rule made on this text of `file` before (see `DiskCache.replay`), when they
   * still hold; undefined when there is no disk cache or none do.
   */
  replayed(configuration: string, file: string, text: string, rule: string, dependencies?: string): RecordedReport[] | undefined {
    return this.disk?.replay(configuration, this.keyOf(file), contentHash(text), rule, () => this.refresh(), dependencies);
  }

  /** Keeps the reports a rule made on this text of `file` for the next run (see `DiskCache.record`). */
  record(configuration: string, file: string, text: string, rule: string, reports: RecordedReport[], project: boolean, dependencies?: string): void {
    // A record that needs the project unchanged is made against the project as the disk has it
    // (a Go rule may read other files without asking the index, which may not have looked yet).
    if (project && this.disk) this.refresh();
    this.disk?.record(configuration, this.keyOf(file), contentHash(text), rule, reports, project, dependencies);
  }

  /** Whether reports are kept between runs. */
  get replays(): boolean {
    return !!this.disk;
  }

  /** The last file's key: every rule of a file asks for it. */
  private lastKey = { file: "", key: "" };

  private keyOf(file: string): string {
    if (file !== this.lastKey.file) this.lastKey = { file, key: path.relative(this.root, path.resolve(file)) };
    return this.lastKey.key;
  }

  /** Puts the file being linted in the index from ESLint's own AST (an unsaved buffer wins over disk). */
  update(file: string, text: string, model: FileModel<unknown>): void {
    this.refresh();
    const abs = path.resolve(file);
    const entry = this.entries.get(abs);
    // A file the walk leaves out (Go's testdata and vendor, build output, dependencies, what a
    // .gitignore or `settings.restate.project` leaves out) is not the project's code, even when
    // ESLint lints it. Put in the index, the order of the lint would decide what a file of the
    // project sees (and every report kept for one linted before it would no longer hold).
    if (!entry && !walkLists(this.root, abs, this.options.include, this.options.base)) return;
    const hash = contentHash(text);
    if (entry && entry.hash === hash) {
      // The text the index holds: keep ESLint's model instead of parsing the file again.
      if (entry.model === undefined) {
        const plain = keptModel(model);
        this.adopt(entry, plain);
        const frontend = frontendFor(abs);
        if (frontend && entry.hash) this.disk?.putModel(entry.hash, frontend.cacheKey, plain);
      }
      if (entry.lintedAt) entry.lintedAt = Date.now();
      return;
    }
    const stat = statOf(abs);
    const plain = keptModel(model);
    const frontend = frontendFor(abs);
    // A language the index cannot read from disk still counts when ESLint hands its model over.
    const sketch = keptSketch(plain || frontend?.mayMatter(text) ? (frontend ? safeSketch(frontend, text) : alwaysParse()) : null);
    const next: Entry = {
      mtimeMs: stat?.mtimeMs ?? -1,
      ctimeMs: stat?.ctimeMs ?? -1,
      size: stat?.size ?? -1,
      settled: false,
      hash,
      sketch,
      model: plain,
      facts: factsOf(plain),
      factsVersion: entry?.factsVersion ?? 0,
      lintedAt: Date.now(),
      // ESLint runs rules only on a text that parses.
      lastGood: null,
    };
    this.replace(abs, entry, next);
  }

  /**
   * Puts a new state of a file in place and says which analyses it invalidates. Same facts at
   * other positions keep the analyses: reports read positions from the entry.
   */
  private replace(file: string, previous: Entry | undefined, next: Entry): void {
    const sketchChanged = !previous || !sameSketch(previous.sketch, next.sketch);
    this.viewVersion++;
    // Any new sketch may bring an alias; the cycle analyses ignore those no wait reaches, a target lookup may not.
    if (sketchChanged) this.aliasIndex = null;
    if (!previous) {
      this.resolutions.clear();
      this.sketchGeneration++;
      this.generation++;
    } else {
      if (sketchChanged && !this.sameLinks(previous.sketch, next.sketch)) this.sketchGeneration++;
      // An unparsed state keeps the last facts: parsing it later tells whether they changed.
      if (next.model === undefined) next.facts = previous.facts;
      else if (previous.facts !== next.facts || !previous.model !== !next.model) {
        next.factsVersion = previous.factsVersion + 1;
        this.generation++;
      }
    }
    this.entries.set(file, next);
  }

  private sameLinks(a: FileSketch | null, b: FileSketch | null): boolean {
    return !!a && !!b && !!this.linkWords && sameLinks(a, b, this.linkWords);
  }

  /**
   * Picks up files added, removed or changed on disk since the last look. The first look is made
   * at once; a later one, due every `refreshMs`, is made once linting pauses for `LOOK_IDLE_MS`
   * (see `lookWhenIdle`) after the lint that finds it due, so that an editor answers without
   * waiting for a thousand `stat`s and the next lint sees what changed, while a CLI run, linting
   * file after file, does not look again between its files. `force`, or `refreshMs: 0`, looks at
   * once.
   */
  refresh(force = false): void {
    const refreshMs = this.options.refreshMs ?? DEFAULT_REFRESH_MS;
    if (force || refreshMs <= 0 || this.lastRefresh === -Infinity) {
      this.look();
      return;
    }
    // Linting goes on: the look waits for the pause.
    if (this.lookTimer) {
      this.askedWhileWaiting = true;
      return;
    }
    // A look costs a `stat` per file: in a large project it is made less often, so that looking
    // never takes more than a small share of the time (a lint run would otherwise pay n² stats).
    const interval = this.lookMs > QUICK_LOOK_MS ? Math.max(refreshMs, LOOK_SHARE * this.lookMs) : refreshMs;
    if (Date.now() - this.lastRefresh < interval) return;
    this.askedWhileWaiting = false;
    this.lookTimer = setTimeout(() => this.lookWhenIdle(), LOOK_IDLE_MS).unref();
  }

  /**
   * The look that fell due, once a whole `LOOK_IDLE_MS` has passed with no lint asking for one.
   * Every rule of every file asks: a flag each of them sets costs nothing, where moving the timer
   * (`Timeout#refresh`, which reads libuv's clock) cost milliseconds over a CLI run.
   */
  private lookWhenIdle(): void {
    if (this.askedWhileWaiting) {
      this.askedWhileWaiting = false;
      this.lookTimer = setTimeout(() => this.lookWhenIdle(), LOOK_IDLE_MS).unref();
      return;
    }
    this.lookTimer = null;
    try {
      this.look();
    } catch {
      // Outside any lint: a look that fails is made again when the next one is due.
    }
  }

  private look(): void {
    if (this.lookTimer) {
      clearTimeout(this.lookTimer);
      this.lookTimer = null;
    }
    this.looks++;
    const started = performance.now();
    try {
      this.lookAtDisk();
    } finally {
      this.lookMs = performance.now() - started;
    }
  }

  private lookAtDisk(): void {
    this.lastRefresh = Date.now();
    configsChanged(this.options.refreshMs ?? DEFAULT_REFRESH_MS);
    if (this.configEpoch !== configEpoch()) {
      // An edited package.json, tsconfig or workspace list may send any import elsewhere.
      this.configEpoch = configEpoch();
      this.viewVersion++;
      this.resolutions.clear();
      this.aliasIndex = null;
      this.generation++;
      this.sketchGeneration++;
    }
    const files = this.walkFiles();
    const seen = new Set<string>();
    const now = Date.now();
    for (const file of files) {
      const abs = path.resolve(file);
      seen.add(abs);
      const stat = statOf(abs);
      if (!stat) continue;
      const entry = this.entries.get(abs);
      const buffer = !!entry?.lintedAt && now - entry.lintedAt < BUFFER_TTL_MS;
      if (entry && (buffer || (sameStat(entry, stat) && !entry.lintedAt))) continue;
      if (!entry && this.loadKnown(abs, stat)) continue;
      this.load(abs, stat, now);
    }
    for (const [file, entry] of this.entries) {
      if (!seen.has(file) && !(entry.lintedAt && now - entry.lintedAt < BUFFER_TTL_MS)) {
        this.entries.delete(file);
        this.viewVersion++;
        this.aliasIndex = null;
        this.resolutions.clear();
        this.generation++;
        this.sketchGeneration++;
      }
    }
  }

  private walkFiles(): string[] {
    return listSourceFiles(this.root, this.options.include, this.options.base, this.walkCache);
  }

  /**
   * Puts in a file new to this process that an earlier run read with this very `stat`: its hash
   * from the disk cache, its sketch from there by that hash, the text not read. False when the
   * cache does not know the file so.
   */
  private loadKnown(file: string, stat: Stat): boolean {
    const hash = this.disk?.hashAt(this.keyOf(file), stat);
    if (hash === undefined) return false;
    let sketch: FileSketch | null = null;
    if (hash) {
      const frontend = frontendFor(file);
      const kept = frontend ? this.disk!.sketch(hash, frontend.cacheKey) : undefined;
      if (kept === undefined) return false;
      sketch = kept;
    }
    this.replace(file, undefined, fromDisk(stat, true, hash, sketch, undefined));
    return true;
  }

  /** Reads a file's text from disk (`now`: a time before the `stat`). */
  private load(file: string, stat: Stat, now: number): void {
    const text = readText(file);
    if (text === null) return;
    this.reads++;
    const settled = stat.mtimeMs < now - SETTLED_MS;
    const frontend = frontendFor(file);
    // Files that cannot be Restate code (or a barrel re-exporting it) are never parsed.
    const mayMatter = frontend?.mayMatter(text) ?? false;
    const hash = mayMatter ? contentHash(text) : "";
    const previous = this.entries.get(file);
    if (previous && previous.hash === hash) {
      previous.mtimeMs = stat.mtimeMs;
      previous.ctimeMs = stat.ctimeMs;
      previous.size = stat.size;
      previous.settled = settled;
      // A buffer that was saved: what the disk holds from now on.
      previous.lintedAt = 0;
      return;
    }
    const sketch = mayMatter ? this.sketchOf(frontend!, hash, text) : null;
    this.replace(file, previous, fromDisk(stat, settled, hash, sketch, previous));
  }

  /** A text's sketch, from the disk cache when an earlier run made it. */
  private sketchOf(frontend: IndexFrontend, hash: string, text: string): FileSketch | null {
    const cached = this.disk?.sketch(hash, frontend.cacheKey);
    if (cached !== undefined) return cached;
    const sketch = keptSketch(safeSketch(frontend, text));
    this.sketched++;
    this.disk?.putSketch(hash, frontend.cacheKey, sketch);
    return sketch;
  }

  /**
   * Builds the model of a file known from disk (read again: the index keeps no texts); true when
   * its facts changed. A file changed since the index looked is sketched again too.
   */
  private ensureModel(file: string, entry: Entry): boolean {
    if (entry.model !== undefined) return false;
    const text = readText(file);
    if (text !== null) {
      const hash = contentHash(text);
      const frontend = frontendFor(file);
      if (hash !== entry.hash && frontend) {
        const sketch = this.sketchOf(frontend, hash, text);
        if (!sameSketch(entry.sketch, sketch)) {
          this.sketchGeneration++;
          this.aliasIndex = null;
        }
        // The stat the look took is of the text replaced: it no longer tells this one.
        Object.assign(entry, { hash, sketch, settled: false });
        this.viewVersion++;
      }
    }
    const parsed = text === null ? null : this.parseFile(file, text, entry.hash, !!entry.sketch?.passThrough);
    if (parsed !== undefined) entry.lastGood = null;
    // Standing in with facts of another text changes what the project is made of.
    else if (entry.lastGood) this.viewVersion++;
    return this.adopt(entry, parsed === undefined ? entry.lastGood : parsed);
  }

  /** Gives an entry its model; true when its facts changed. */
  private adopt(entry: Entry, model: FileModel | null): boolean {
    entry.model = model;
    const facts = factsOf(model);
    if (facts === entry.facts) return false;
    entry.facts = facts;
    entry.factsVersion++;
    this.generation++;
    return true;
  }

  /** The file's model; null when it holds nothing the analysis reads, undefined when it does not parse. */
  private parseFile(file: string, text: string, hash: string, reexports: boolean): FileModel | null | undefined {
    const frontend = frontendFor(file);
    if (!frontend) return null;
    const cached = hash ? this.disk?.model(hash, frontend.cacheKey, file) : undefined;
    if (cached !== undefined) return cached;
    const early = earlyModels.get(file);
    if (early) {
      earlyModels.delete(file);
      if (early.hash === hash) {
        this.disk?.putModel(hash, frontend.cacheKey, early.model);
        return early.model && { ...early.model, file };
      }
    }
    try {
      // A barrel's re-exports are read off its text: no parse (only a file whose sketch re-exports can be one).
      const barrel = reexports ? frontend.reexportsOnly?.(file, text) : null;
      if (!barrel) this.parses.set(file, (this.parses.get(file) ?? 0) + 1);
      const model = barrel ?? frontend.model(file, text);
      const plain = keptModel(model);
      if (hash) this.disk?.putModel(hash, frontend.cacheKey, plain);
      return plain;
    } catch {
      // A file that does not parse (being typed into) keeps its last good facts until it parses again.
      return undefined;
    }
  }

  /** The models of every file that may matter (parsing those not parsed yet). */
  models(): FileModel[] {
    const out: FileModel[] = [];
    for (const [file, e] of this.entries) {
      this.ensureModel(file, e);
      if (e.model) out.push(e.model);
    }
    return out;
  }

  /** The analysis of the whole system (every file parsed), computed once per change. */
  analyse(): ProjectAnalysis {
    const models = this.models();
    if (!this.analysis || this.analysis.generation !== this.generation) {
      this.analysis = { generation: this.generation, value: analyseProject(models, this.analysisOptions()) };
    }
    return this.analysis.value;
  }

  /**
   * The analysis `no-deadlock` needs: the deadlocks, found in the files that can lie on a cycle
   * (see `cycleCandidates`) and those their names resolve through, all other files unparsed.
   * With `file`, only the deadlocks through it: the files of its group of candidates (a cycle
   * never leaves its group), so that linting a file parses no file of another group ahead of
   * ESLint. Falls back to `analyse()` when a cycle's verdict depends on the keys callers
   * elsewhere enter it with (literal keys), which only the whole system tells.
   */
  analyseCycles(file?: string): ProjectAnalysis {
    const scope = this.cycleScope(file);
    const files = [...scope.files];
    const read = new Map<string, number>();
    for (const f of files) {
      const e = this.entries.get(f);
      if (!e) continue;
      this.ensureModel(f, e);
      read.set(f, e.factsVersion);
    }
    // Another definition of a name defined on a candidate cycle decides which one a call reaches
    // (or that it is unclear): it is read too. Names are unique in most projects: then none is.
    for (const f of this.otherDefinitions(scope.key, files, read)) {
      const e = this.entries.get(f)!;
      this.ensureModel(f, e);
      read.set(f, e.factsVersion);
      files.push(f);
    }
    const c = this.cycles.get(scope.key);
    if (c && c.sketchGeneration === this.sketchGeneration && (c.read ? sameVersions(c.read, read) : c.generation === this.generation)) {
      return c.value;
    }
    const models: FileModel[] = [];
    for (const f of files) {
      const m = this.entries.get(f)?.model;
      if (m) models.push(m);
    }
    const partial = analyseProject(models, { ...this.analysisOptions(), partial: true });
    const value: CycleAnalysis = partial
      ? { sketchGeneration: this.sketchGeneration, read, generation: this.generation, value: partial }
      : { sketchGeneration: this.sketchGeneration, read: null, generation: this.generation, value: this.analyse() };
    this.cycles.set(scope.key, value);
    return value.value;
  }

  /** The files the deadlocks through `file` can involve (see `analyseCycles`); every candidate's without a file. */
  private cycleScope(file: string | undefined): { key: string; files: string[] } {
    const all = this.parseSet();
    if (file === undefined) return { key: "*", files: all };
    const cache = this.parseSetCache!;
    const group = cache.groupOf.get(file);
    // A file on no candidate cycle (one a candidate's names resolve through) has no deadlock to find.
    if (group === undefined) return { key: "-", files: [] };
    return { key: `group:${group}`, files: this.groupClosure(group) };
  }

  /**
   * The analysis a lookup of call targets needs, without parsing the whole project: `file`, the
   * files its imports reach (imported definitions, through barrels), and the files whose sketch
   * may define a service named by one of `names` (directly or through an alias).
   */
  analyseTargets(file: string, targets: readonly TargetLookup[]): ProjectAnalysis {
    this.refresh();
    // Only a file that may declare the handler looked up shared can change a lookup's answer (an
    // exclusive handler and an unknown one are reported alike): the others stay unparsed.
    // A file's text is read once per lookup, whatever the number of handlers asked about in it.
    const texts = new Map<string, string>();
    const mayShare = (f: string, handler: string): boolean => this.mayShare(f, handler, texts);
    // A file, and the handler looked up through it (null: the linted file).
    const stack: [string, string | null][] = [[file, null]];
    for (const t of targets) {
      if (t.source) {
        const target = this.resolveSpecifier(file, t.source);
        if (target && this.entries.has(target)) stack.push([target, t.handler]);
      }
      if (t.service) for (const f of this.filesNaming(t.service, t.handler)) stack.push([f, t.handler]);
    }
    const files = new Set<string>();
    while (stack.length > 0) {
      const [f, handler] = stack.pop()!;
      const sketch = this.entries.get(f)?.sketch;
      if (files.has(f) || !sketch) continue;
      const through = sketch.passThrough || sketch.handles.length === 0;
      if (f !== file && !through && !(handler && mayShare(f, handler))) continue;
      files.add(f);
      // The linted file's imports that a lookup names are on the stack already: its other
      // barrels (helpers, types) name no target.
      if (f === file) continue;
      // Beyond the files found, only what a name is read through (barrels, constants), and what a barrel re-exports.
      for (const specifier of sketch.imports) {
        const target = this.resolveSpecifier(f, specifier);
        const t = target ? this.entries.get(target)?.sketch : null;
        if (!t || files.has(target!)) continue;
        if ((t.passThrough ? this.passesNames(target!) : t.handles.length === 0) || (sketch.passThrough && handler)) stack.push([target!, handler]);
      }
    }
    const models: FileModel[] = [];
    for (const f of [...files].sort()) {
      const e = this.entries.get(f);
      if (!e) continue;
      this.ensureModel(f, e);
      if (e.model) models.push(e.model);
    }
    // A handful of models, once per linted file that needs it: cheaper to build than to keep
    // (an analysis holds its resolver and graph).
    return analyseProject(models, { ...this.analysisOptions(), partial: true }) ?? analyseProject(models, this.analysisOptions());
  }

  /**
   * How the runtime surely registers the handler a call in `file` names, from sketches alone (see
   * `FileSketch.kinds`): no file is parsed. Null when they cannot tell; the lookup then reads the
   * files (see `analyseTargets`).
   * - Through an import: the sketch of the file the import names.
   * - By name: the sketches of the files that may define the name, in which every definition is
   *   known by its name, agree on it, and a lookup would read none of the others (see
   *   `analyseTargets`). The caller makes sure `file` defines no service of that name itself.
   */
  sketchedHandlerKind(file: string, target: TargetRef, handler: string): HandlerKind | null {
    if (target.by === "name") return this.sketchedKindByName(file, target.serviceName, handler);
    if (target.by !== "import") return null;
    const { source, imported, member } = target.ref;
    const name = imported === "*" ? member : imported;
    if (!name || name === "default") return null;
    this.refresh();
    const to = this.resolveSpecifier(file, source);
    const definition = to ? this.entries.get(to)?.sketch?.kinds?.find((d) => d.export === name) : undefined;
    return definition?.handlers.find(([h]) => h === handler)?.[1] ?? null;
  }

  private sketchedKindByName(file: string, service: string, handler: string): HandlerKind | null {
    this.refresh();
    const texts = new Map<string, string>();
    let kind: HandlerKind | null = null;
    for (const f of this.filesNaming(service, handler)) {
      if (f === file) continue;
      const sketch = this.entries.get(f)!.sketch!;
      // A barrel, or a file that declares nothing, is read for the names it passes on.
      if (sketch.passThrough || sketch.handles.length === 0) return null;
      if (!sketch.definitionsKnown) {
        // Unless it may declare the handler shared, a lookup does not read it either: an
        // exclusive handler and an unknown one are reported alike.
        if (this.mayShare(f, handler, texts)) return null;
        continue;
      }
      for (const d of sketch.kinds!) {
        if (d.name !== service) continue;
        const k = d.handlers.find(([h]) => h === handler)?.[1];
        // Written some other way, or not at all: the parsed file tells.
        if (!k || (kind !== null && k !== kind)) return null;
        kind = k;
      }
    }
    return kind;
  }

  /** The files whose sketch may define a service named `service` (directly or through an alias), or a Go method `handler`. */
  private filesNaming(service: string, handler: string): readonly string[] {
    // Asked for each call by name, by every file that makes one: kept while the sketches stay.
    const key = `${service}\u0000${handler}`;
    const known = this.aliasIndex?.naming.get(key);
    if (known) return known;
    const wanted = this.namesReaching([service]);
    // A Go method is the handle `.Get` of the file that implements a service registered elsewhere.
    wanted.add(`.${handler}`);
    const { files, place } = this.wordHolders();
    const found = new Set<string>();
    for (const w of wanted) for (const f of files.get(w) ?? []) found.add(f);
    // In the entries' order, as a walk of them would list them.
    const out = [...found].sort((a, b) => place.get(a)! - place.get(b)!);
    this.aliasIndex!.naming.set(key, out);
    return out;
  }

  /** Made once per alias index (and dropped with it), rather than every sketch read for every name asked. */
  private wordHolders(): WordHolders {
    this.aliasesOf();
    const index = this.aliasIndex!;
    if (index.holders) return index.holders;
    const files = new Map<string, string[]>();
    const place = new Map<string, number>();
    for (const [f, e] of this.entries) {
      place.set(f, place.size);
      const s = e.sketch;
      if (!s) continue;
      for (const words of [s.handles, s.handleRefs]) {
        for (const w of words) if (files.get(w)?.at(-1) !== f) pushTo(files, w, f);
      }
    }
    return (index.holders = { files, place });
  }

  /**
   * Whether `file`'s text may declare `handler` shared (see `mayDeclareShared`): asked once per
   * version of the file and handler, whatever the number of linted files; `texts` keeps what one
   * lookup read.
   */
  private mayShare(file: string, handler: string, texts: Map<string, string>): boolean {
    const key = `${this.entries.get(file)?.hash ?? file}\u0000${handler}`;
    let known = this.sharedDeclared.get(key);
    if (known === undefined) {
      let text = texts.get(file);
      if (text === undefined) texts.set(file, (text = readText(file) ?? ""));
      this.sharedDeclared.set(key, (known = mayDeclareShared(text, handler)));
    }
    return known;
  }

  /** Original word → the aliases that stand for it, from every sketch. */
  private aliasesOf(): Map<string, string[]> {
    if (this.aliasIndex) return this.aliasIndex.aliasesOf;
    const aliasesOf = new Map<string, string[]>();
    for (const e of this.entries.values()) {
      for (const [alias, original] of e.sketch?.aliases ?? []) pushTo(aliasesOf, original, alias);
    }
    this.aliasIndex = { aliasesOf, naming: new Map() };
    return aliasesOf;
  }

  /** The words that stand for one of `names`: the names, and every alias that leads to one. */
  private namesReaching(names: readonly string[]): Set<string> {
    const aliasesOf = this.aliasesOf();
    const out = new Set(names);
    const stack = [...names];
    while (stack.length > 0 && out.size < 10_000) {
      for (const alias of aliasesOf.get(stack.pop()!) ?? []) {
        if (out.has(alias)) continue;
        out.add(alias);
        stack.push(alias);
      }
    }
    return out;
  }

  /**
   * Whether looking for cycles may read `file`, as ESLint has it, and the index has no model of
   * it yet: a file of names or a barrel a cycle's names pass through, or a file that may define
   * again a name a cycle calls (see `otherDefinitions`). A model ESLint's tree gives is then one
   * parse of the file saved. Asked only once this process has looked for cycles on the current
   * sketches: a run whose reports come from the disk cache may never look (the look is not made
   * for this question), and the run that kept those reports kept the models it read.
   */
  wantsModel(file: string, text: string): boolean {
    const cache = this.parseSetCache;
    if (this.lastRefresh === -Infinity || cache?.sketchGeneration !== this.sketchGeneration) return false;
    const entry = this.entries.get(file);
    if (!entry?.sketch || entry.model !== undefined) return false;
    const sketch = entry.sketch;
    const read = cache.set.has(file) || (sketch.defines !== false && sketch.handles.some((h) => this.calledNames(cache).has(h)));
    return read && entry.hash === contentHash(text);
  }

  /**
   * The words of the parse set's waits, through every alias, that may name something it defines
   * (its handles, and the names its definitions take from constants): what another definition is
   * named that `otherDefinitions` may read. Words, not the names the analysis resolves: a file it
   * reads that has none of them is parsed then, as before.
   */
  private calledNames(cache: NonNullable<ProjectIndex["parseSetCache"]>): ReadonlySet<string> {
    if (cache.calledNames) return cache.calledNames;
    const waits: string[] = [];
    const refs: string[] = [];
    const handles = new Set<string>();
    for (const f of cache.files) {
      const sketch = this.entries.get(f)?.sketch;
      if (!sketch) continue;
      waits.push(...sketch.waits);
      refs.push(...sketch.handleRefs);
      for (const h of sketch.handles) handles.add(h);
    }
    for (const w of expandWords(cache.aliasOf, refs)) handles.add(w);
    cache.calledNames = new Set([...expandWords(cache.aliasOf, waits)].filter((w) => handles.has(w)));
    return cache.calledNames;
  }

  /**
   * Whether `text` is what the index holds for `file` and no deadlock runs through it: the file
   * is outside every cycle candidate, or the index already holds its facts for this very text (a
   * file of a group read ahead of ESLint, or from the disk cache) and its group's analysis finds
   * nothing in it. `no-deadlock` then need not build the file's model.
   */
  offCycles(file: string, text: string): boolean {
    this.refresh();
    const entry = this.entries.get(file);
    if (!entry?.sketch) return false;
    this.parseSet();
    // Membership first: a file on a candidate cycle needs no hash of its text when it is not read yet.
    if (!this.parseSetCache!.set.has(file)) return entry.hash === contentHash(text);
    if (entry.model === undefined || entry.hash !== contentHash(text)) return false;
    return !this.analyseCycles(file).hopsByFile.has(file);
  }

  /** The files outside `files` (the scope `key` names) whose sketch names a service that one of `files` defines. */
  private otherDefinitions(key: string, files: readonly string[], read: Map<string, number>): string[] {
    // Only the facts of `files` decide it: kept while none of them changes (not any file of the project).
    const cached = this.otherDefinitionsCache.get(key);
    if (cached?.sketchGeneration === this.sketchGeneration && sameVersions(cached.read, read)) return cached.files;
    // Only a call that does not lead to one definition (a name, a stub) can reach another one, and
    // only to a name `files` define: a call to a name defined only elsewhere leaves the group of
    // candidates, on no cycle of it (a definition whose name another file gives counts as any).
    const models = files.flatMap((f) => this.entries.get(f)?.model ?? []);
    const resolver = new Resolver(models, { known: (f) => this.entries.has(f), resolutions: this.resolutions });
    const defined = new Set<string>();
    let unnamed = false;
    for (const m of models) {
      for (const service of m.services) {
        if (service.name) defined.add(service.name);
        else unnamed = true;
      }
    }
    const names = new Set<string>();
    for (const m of models) {
      for (const call of m.calls) {
        const target = call.from && call.target.by !== "unknown" ? resolver.serviceOf(m.file, call.target) : null;
        if (target && !target.file && (unnamed || defined.has(target.name))) names.add(target.name);
      }
    }
    const inSet = new Set(files);
    const out: string[] = [];
    for (const [file, e] of this.entries) if (!inSet.has(file) && e.sketch?.handles.some((h) => names.has(h))) out.push(file);
    const value = { sketchGeneration: this.sketchGeneration, read: new Map(read), files: out.sort() };
    this.otherDefinitionsCache.set(key, value);
    return value.files;
  }

  /** The files to parse when looking for cycles: the candidates, and what resolving their names passes through. */
  private parseSet(): string[] {
    if (this.parseSetCache?.sketchGeneration === this.sketchGeneration) return this.parseSetCache.files;
    const sketched: { file: string; sketch: FileSketch }[] = [];
    for (const [file, e] of this.entries) if (e.sketch) sketched.push({ file, sketch: e.sketch });
    this.cycleSearches++;
    const { candidates, words, anchors, groupOf, aliasOf } = cycleCandidates(sketched);
    this.linkWords = { words, anchors };
    const members = new Map<number, string[]>();
    for (const [file, group] of groupOf) {
      const list = members.get(group);
      if (list) list.push(file);
      else members.set(group, [file]);
    }
    const files = this.closureOf([...candidates, ...sketched.filter((f) => f.sketch.alwaysParse).map((f) => f.file)], (f) => candidates.has(f), words);
    // Analyses of groups of an older look name files that may no longer be grouped so.
    this.cycles.clear();
    this.otherDefinitionsCache.clear();
    this.parseSetCache = { sketchGeneration: this.sketchGeneration, files, set: new Set(files), groupOf, members, closures: new Map(), aliasOf };
    return files;
  }

  /** A group's candidates, and the files resolving the names they write passes through. */
  private groupClosure(group: number): string[] {
    const cache = this.parseSetCache!;
    let files = cache.closures.get(group);
    if (files) return files;
    const members = cache.members.get(group)!;
    // The words its waits and definitions are written with: other files matter only through them.
    const start: string[] = [];
    for (const f of members) {
      const sketch = this.entries.get(f)?.sketch;
      if (sketch) start.push(...sketch.waits, ...sketch.handleRefs);
    }
    files = this.closureOf(members, (f) => cache.groupOf.get(f) === group, expandWords(cache.aliasOf, start));
    cache.closures.set(group, files);
    return files;
  }

  /**
   * `start` and the files resolving their names passes through (see `parseSet`): the `member`s
   * among their imports, re-exports, and files declaring one of `words`.
   */
  private closureOf(start: readonly string[], member: (file: string) => boolean, words: ReadonlySet<string>): string[] {
    const out = new Set<string>();
    const stack = [...start];
    while (stack.length > 0) {
      const file = stack.pop()!;
      if (out.has(file)) continue;
      out.add(file);
      for (const specifier of this.entries.get(file)?.sketch?.imports ?? []) {
        const target = this.resolveSpecifier(file, specifier);
        const t = target ? this.entries.get(target)?.sketch : null;
        // A file that may wait on others but is on no cycle is only a call's target: not needed.
        // Nor is a file that waits on nothing, unless it declares a word a wait or a definition's
        // name is written with (a constant, a stub, a spread name, a constant beside its own
        // definition): a service it defines is on no cycle, and a file of helpers or types names
        // nothing a call or a definition resolves through.
        if (!t || out.has(target!)) continue;
        if (member(target!) || (t.passThrough && this.passesNames(target!)) || (t.waits.length === 0 && t.handles.some((h) => words.has(h)))) stack.push(target!);
      }
    }
    return [...out].sort();
  }

  /**
   * Whether a name the analysis reads may pass through the barrel `file`: a file it re-exports
   * (through further barrels) may matter, i.e. has a sketch with names. A barrel of helpers whose
   * files import nothing of Restate (`export * from "./money.js"`) passes none.
   */
  private passesNames(file: string): boolean {
    if (this.barrels.sketchGeneration !== this.sketchGeneration) this.barrels = { sketchGeneration: this.sketchGeneration, passes: new Map() };
    const passes = this.barrels.passes;
    const known = passes.get(file);
    if (known !== undefined) return known;
    // Everything the barrels it re-exports from reach: when none of it matters, none of them passes a name either.
    const seen = new Set([file]);
    const stack = [file];
    while (stack.length > 0) {
      const barrel = stack.pop()!;
      const own = this.entries.get(barrel)?.sketch;
      if (own && own.handles.length > 0) {
        passes.set(file, true);
        return true;
      }
      for (const specifier of own?.imports ?? []) {
        const target = this.resolveSpecifier(barrel, specifier);
        const t = target ? this.entries.get(target)?.sketch : null;
        // A module outside the project (a package) may name anything.
        if (target === null || passes.get(target) || (t && t.handles.length > 0)) {
          passes.set(file, true);
          return true;
        }
        if (t?.passThrough && !seen.has(target)) {
          seen.add(target);
          stack.push(target);
        }
      }
    }
    for (const f of seen) passes.set(f, false);
    return false;
  }

  private resolveSpecifier(fromFile: string, specifier: string): string | null {
    const key = `${path.dirname(fromFile)}\u0000${specifier}`;
    let hit = this.resolutions.get(key);
    if (hit === undefined) {
      hit = resolveModule(fromFile, specifier, (f) => this.entries.has(f));
      this.resolutions.set(key, hit);
    }
    return hit;
  }

  private analysisOptions() {
    return {
      root: this.root,
      known: (f: string) => this.entries.has(f),
      current: (f: string) => this.entries.get(f)?.model ?? undefined,
      resolutions: this.resolutions,
    };
  }
}

function sameVersions(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/**
 * Whether a file's text may declare `handler` as one that needs no idempotency key: wrapped
 * shared (`get: restate.handlers.object.shared(`, `iface.shared(`, `createObjectSharedHandler(`), taking a shared or workflow
 * context in Go (`Get(ctx restate.ObjectSharedContext`, `"Get", restate.NewObjectSharedHandler(`),
 * or in a workflow or an `implement(…)` of a descriptor the text names it in.
 */
function mayDeclareShared(text: string, handler: string): boolean {
  const h = escapeRegExp(handler);
  if (new RegExp(`\\b${h}\\s*:\\s*(?:[\\w$]+\\.)*[\\w$]*[Ss]hared[\\w$]*\\s*\\(`).test(text)) return true;
  if (new RegExp(`\\b${h}\\s*\\(\\s*\\w+\\s+\\*?[\\w.]*(?:Shared|Workflow)|"${h}"\\s*,\\s*[\\w.]*(?:Shared|Workflow)`).test(text)) return true;
  return /\b(?:workflow|implement)\s*\(/.test(text) && new RegExp(`\\b${h}\\b`).test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/**
 * A sketch as the index keeps it: its words copied out of the file's text (a JSON round trip),
 * since substrings would keep every sketched file's whole text alive.
 */
function keptSketch(sketch: FileSketch | null): FileSketch | null {
  return sketch ? (JSON.parse(JSON.stringify(sketch)) as FileSketch) : null;
}

function sameSketch(a: FileSketch | null, b: FileSketch | null): boolean {
  return a === b || (!!a && !!b && JSON.stringify(a) === JSON.stringify(b));
}

function safeSketch(frontend: { sketch(text: string): FileSketch }, text: string): FileSketch {
  try {
    return frontend.sketch(text);
  } catch {
    return alwaysParse();
  }
}

/** The sketch of a file that is parsed whenever cycles are looked for. */
function alwaysParse(): FileSketch {
  return { handles: [], handleRefs: [], waits: [], aliases: [], imports: [], passThrough: false, alwaysParse: true };
}

/** The entry of a text on disk, not parsed yet (`previous`: the file's entry it replaces). */
function fromDisk(stat: Stat, settled: boolean, hash: string, sketch: FileSketch | null, previous: Entry | undefined): Entry {
  const { mtimeMs, ctimeMs, size } = stat;
  return {
    mtimeMs,
    ctimeMs,
    size,
    settled,
    hash,
    sketch,
    model: sketch ? undefined : null,
    facts: "",
    factsVersion: previous?.factsVersion ?? 0,
    lintedAt: 0,
    lastGood: previous?.model ?? previous?.lastGood ?? null,
  };
}

/** What the index keeps of a model: its facts without the tree's nodes, null when no analysis reads it. */
function keptModel(model: FileModel<unknown>): FileModel | null {
  return model.usesRestate || hasExports(model) ? plainModel(model) : null;
}

/** Whether another file's names may resolve through this one: it re-exports, or exports constants a name can come from. */
function hasExports(model: FileModel<unknown>): boolean {
  return Object.keys(model.reexports).length > 0 || model.starExports.length > 0 || Object.keys(model.constants ?? {}).length > 0;
}

/** What a look compares to tell that a file changed. */
interface Stat {
  mtimeMs: number;
  ctimeMs: number;
  size: number;
}

function sameStat(a: Stat, b: Stat): boolean {
  return a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.size === b.size;
}

function statOf(file: string): Stat | null {
  try {
    const s = statSync(file);
    return { mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, size: s.size };
  } catch {
    return null;
  }
}
