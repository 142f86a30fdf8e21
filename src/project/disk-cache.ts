import { hash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { FileModel, FileSketch } from "../model/types.js";
import { PACKAGE } from "../meta.js";
import { buildId } from "../build-id.js";

/*
 * What the project index computed of a file's text (its sketch, its model), kept on disk between
 * runs, as ESLint's `--cache`, TypeScript's `.tsbuildinfo` and Babel's cache do: a second run over
 * an unchanged project neither sketches nor parses the files the index reads ahead of ESLint. An
 * entry is keyed by the hash of the file's text and valid for the build of the plugin that wrote
 * it only. A cache file that does not parse, or that another build or project wrote, is ignored
 * (and replaced at the next write); a write goes to a temporary file renamed into place, so
 * concurrent writers (`eslint --concurrency`) never leave a torn file.
 *
 * The cache also keeps the reports each rule made on a linted file (see `src/eslint/replay.ts`),
 * so that a second run makes them again without building the file's model. Reports of a rule
 * that read only the file are valid while its text, path and configuration are; reports of a
 * rule that read the project (the deadlocks, the kinds of called handlers) also need the whole
 * project as it was: every file's text and every configuration file read (`ProjectView`).
 */

const FORMAT = 6;

/** A fix as ESLint's fixer makes it: the range replaced, and the text put there. */
export type RecordedFix = [start: number, end: number, text: string];

export type ReportData = Record<string, string | number | boolean>;

/** A report as a rule made it, in a form ESLint can be handed again without the rule. */
export interface RecordedReport {
  /** messageId */
  m: string;
  d?: ReportData;
  /** Start line and column, and the end's when the report has one (ESLint's 1-based lines, 0-based columns). */
  l: number[];
  f?: RecordedFix[];
  s?: { m: string; d?: ReportData; f: RecordedFix[] }[];
}

/**
 * A rule's reports on one text; `p` when the rule read other files too, `g` the state of the
 * files outside the project its model read (a Go file's module), which must be the same too.
 */
interface RuleRecord {
  r: RecordedReport[];
  p?: 1;
  g?: string;
}

/** The reports made on one text of one file under one configuration (`${configuration}\0${file}`). */
interface ReplayEntry {
  /** The hash of the text. */
  h: string;
  /** By rule and options. */
  r: Record<string, RuleRecord>;
}

/** The project a cache file's project-wide reports were made in. */
interface ProjectState {
  configs: string[];
  fingerprint: string;
}

/** What the index tells its cache of the project as it holds it now (no look at the disk). */
export interface ProjectView {
  /** Changes whenever a file's text, the set of files or the configuration changes. */
  version(): number;
  /** The project as it is now, with the configuration files `configs` (every one read so far by default). */
  state(configs?: readonly string[]): ProjectState;
  /** The hash of a file's text as the index holds it. */
  hashOf(file: string): string | undefined;
  /** The files whose text the index read from disk long enough after it was written (see `SETTLED_MS`), by absolute path. */
  settled(): Iterable<readonly [string, FileStat & { hash: string }]>;
  /**
   * Whether the index looked at the disk in this process. A run whose rules read no other file
   * (a configuration without the project-wide rules) never does: it cannot tell which of the
   * project's texts are current, nor the project's state.
   */
  looked(): boolean;
}

/** What tells a file's text without reading it, while every number stays the same. */
export interface FileStat {
  mtimeMs: number;
  ctimeMs: number;
  size: number;
}

/** A file's stat, and the hash of the text it had then. */
type Stamp = [mtimeMs: number, ctimeMs: number, size: number, hash: string];

interface Entry {
  /** The frontend that read the text (a text may be read as TypeScript or as Go). */
  f: string;
  s?: FileSketch | null;
  /** The model without its `file` (the same text may sit at several paths). */
  m?: Omit<FileModel, "file"> | null;
}

interface CacheFile {
  format: number;
  plugin: string;
  root: string;
  entries: Record<string, Entry>;
  replays?: Record<string, ReplayEntry>;
  project?: ProjectState;
  /** By path relative to the root. */
  stamps?: Record<string, Stamp>;
}

interface Loaded {
  entries: Record<string, Entry>;
  replays: Record<string, ReplayEntry>;
  project: ProjectState | null;
  stamps: Record<string, Stamp>;
}

const open = new Set<DiskCache>();
let exitHook = false;

export class DiskCache {
  private readonly loaded: Record<string, Entry>;
  /** Entries this process read or computed: what the next write keeps. */
  private readonly used = new Map<string, Entry>();
  private dirty = false;
  private readonly loadedReplays: Record<string, ReplayEntry>;
  private readonly loadedProject: ProjectState | null;
  private readonly loadedStamps: Record<string, Stamp>;
  /** Replay entries this process read or recorded. */
  private readonly usedReplays = new Map<string, ReplayEntry>();
  /** The project's version each project-wide record of this process was made at. */
  private readonly madeAt = new WeakMap<RuleRecord, number>();
  /** Whether the loaded project-wide records hold, for a version of the project. */
  private loadedHold: { version: number; holds: boolean } | null = null;
  private view: ProjectView | null = null;

  private constructor(
    private readonly file: string,
    private readonly root: string,
  ) {
    const loaded = readCacheFile(file, root);
    this.loaded = loaded.entries;
    this.loadedReplays = loaded.replays;
    this.loadedProject = loaded.project;
    this.loadedStamps = loaded.stamps;
  }

  /** The cache of a project's index in `folder`; null when caching is off (or the plugin's code cannot be read). */
  static for(folder: string | null, root: string, key: string): DiskCache | null {
    if (!folder || !buildId()) return null;
    const cache = new DiskCache(path.join(folder, `${hash("sha1", `${root}\u0000${key}`, "hex").slice(0, 16)}.json`), root);
    open.add(cache);
    if (!exitHook) {
      exitHook = true;
      // A lint run ends with the process (or the worker thread): that is when to write.
      process.once("exit", writeDiskCaches);
    }
    return cache;
  }

  private entry(key: string, frontend: string): Entry | undefined {
    let e = this.used.get(key);
    if (!e) {
      const hit = Object.hasOwn(this.loaded, key) ? this.loaded[key] : undefined;
      if (!hit || hit.f !== frontend) return undefined;
      e = hit;
      this.used.set(key, e);
    }
    return e;
  }

  /**
   * The hash of the text of `file` (relative to the root) that an earlier run read when the file
   * had this very stat; undefined when none did.
   */
  hashAt(file: string, stat: FileStat): string | undefined {
    const s = Object.hasOwn(this.loadedStamps, file) ? this.loadedStamps[file] : undefined;
    return s && s[0] === stat.mtimeMs && s[1] === stat.ctimeMs && s[2] === stat.size ? s[3] : undefined;
  }

  /** The sketch of a text with this hash, when one was kept (null: the text cannot matter). */
  sketch(textHash: string, frontend: string | null): FileSketch | null | undefined {
    return frontend === null ? undefined : this.entry(textHash, frontend)?.s;
  }

  putSketch(textHash: string, frontend: string | null, sketch: FileSketch | null): void {
    if (frontend === null) return;
    const e = this.entry(textHash, frontend) ?? this.create(textHash, frontend);
    if (e.s !== undefined) return;
    e.s = sketch;
    this.dirty = true;
  }

  /** The model of a text with this hash at `file`, when one was kept. */
  model(textHash: string, frontend: string | null, file: string): FileModel | null | undefined {
    const m = frontend === null ? undefined : this.entry(textHash, frontend)?.m;
    return m === undefined || m === null ? m : ({ ...m, file } as FileModel);
  }

  putModel(textHash: string, frontend: string | null, model: FileModel | null): void {
    if (frontend === null) return;
    const e = this.entry(textHash, frontend) ?? this.create(textHash, frontend);
    if (e.m !== undefined) return;
    if (model) {
      const { file: _file, ...rest } = model;
      e.m = rest;
    } else e.m = null;
    this.dirty = true;
  }

  /** Tells the cache how to see the project: without it, no report is recorded or replayed. */
  attach(view: ProjectView): void {
    this.view = view;
  }

  /**
   * The reports `rule` made on this text of `file` under `configuration` in an earlier run (or
   * earlier in this one), when they still hold: undefined when none were kept, or when the rule
   * read the project and the project changed since, or when the files outside the project its
   * model read are not as `dependencies` says they are now. `projectRead` is called before a
   * project-wide record is trusted (the index looks at the disk then).
   */
  replay(configuration: string, file: string, textHash: string, rule: string, projectRead: () => void, dependencies?: string): RecordedReport[] | undefined {
    if (!this.view) return undefined;
    const key = this.replayKey(configuration, file);
    let entry = this.usedReplays.get(key);
    let record = entry?.h === textHash ? entry.r[rule] : undefined;
    if (record && record.g !== dependencies) return undefined;
    if (record) {
      if (record.p) {
        projectRead();
        const madeAt = this.madeAt.get(record);
        if (madeAt === undefined ? !this.loadedStillHolds() : madeAt !== this.view.version()) return undefined;
      }
      return record.r;
    }
    const loaded = Object.hasOwn(this.loadedReplays, key) ? this.loadedReplays[key] : undefined;
    record = loaded?.h === textHash && Object.hasOwn(loaded.r, rule) ? loaded.r[rule] : undefined;
    if (!record || record.g !== dependencies) return undefined;
    if (record.p) {
      projectRead();
      if (!this.loadedStillHolds()) return undefined;
    }
    if (entry?.h !== textHash) this.usedReplays.set(key, (entry = { h: textHash, r: Object.create(null) as Record<string, RuleRecord> }));
    entry.r[rule] = record;
    return record.r;
  }

  /**
   * Keeps the reports `rule` made on this text of `file` (`project`: the rule read other files;
   * `dependencies`: the state of those outside the project its model read).
   */
  record(configuration: string, file: string, textHash: string, rule: string, reports: RecordedReport[], project: boolean, dependencies?: string): void {
    if (!this.view) return;
    const key = this.replayKey(configuration, file);
    let entry = this.usedReplays.get(key);
    if (entry?.h !== textHash) this.usedReplays.set(key, (entry = { h: textHash, r: Object.create(null) as Record<string, RuleRecord> }));
    const record: RuleRecord = project ? { r: reports, p: 1 } : { r: reports };
    if (dependencies !== undefined) record.g = dependencies;
    if (project) this.madeAt.set(record, this.view.version());
    entry.r[rule] = record;
    this.dirty = true;
  }

  private lastReplayKey = { configuration: "", file: "", key: "" };

  /** The key of a file's reports under a configuration: the same string for every rule of the file. */
  private replayKey(configuration: string, file: string): string {
    const last = this.lastReplayKey;
    if (last.file === file && last.configuration === configuration) return last.key;
    this.lastReplayKey = { configuration, file, key: `${configuration}\u0000${file}` };
    return this.lastReplayKey.key;
  }

  /** Whether the project is still the one the loaded project-wide records were made in. */
  private loadedStillHolds(): boolean {
    const view = this.view;
    const project = this.loadedProject;
    if (!view || !project) return false;
    const version = view.version();
    if (this.loadedHold?.version !== version) {
      this.loadedHold = { version, holds: view.state(project.configs).fingerprint === project.fingerprint };
    }
    return this.loadedHold.holds;
  }

  /**
   * The replay entries to write: each file's records whose text the index still holds, the
   * project-wide ones only when made in the project as it is now (by this process, or by an
   * earlier one or another worker whose project fingerprint still holds). A file's records of
   * the same text are merged, this process's first: a run of some rules keeps the others'.
   */
  private replaysToWrite(theirs: Loaded): { replays: Record<string, ReplayEntry>; project?: ProjectState } | null {
    const view = this.view;
    if (!view) return null;
    // Without a look, every record is kept (each holds for its text's hash only), and the
    // project-wide ones with the project state they were made in.
    const looked = view.looked();
    const version = view.version();
    const project = looked ? view.state() : (this.loadedProject ?? theirs.project);
    const holds = (p: ProjectState | null) =>
      !!p && (looked ? view.state(p.configs).fingerprint === p.fingerprint : !!project && p.fingerprint === project.fingerprint && p.configs.join("\u0000") === project.configs.join("\u0000"));
    const loadedHolds = holds(this.loadedProject);
    const theirsHold = holds(theirs.project);
    const out: Record<string, ReplayEntry> = Object.create(null) as Record<string, ReplayEntry>;
    const keep = (key: string, entry: ReplayEntry, projectHolds: (r: RuleRecord) => boolean) => {
      const file = key.slice(key.indexOf("\u0000") + 1);
      if (looked && view.hashOf(path.resolve(this.root, file)) !== entry.h) return;
      const into = out[key];
      if (into && into.h !== entry.h) return;
      const rules = into?.r ?? (Object.create(null) as Record<string, RuleRecord>);
      for (const [rule, r] of Object.entries(entry.r)) if (!Object.hasOwn(rules, rule) && (!r.p || projectHolds(r))) rules[rule] = r;
      if (!into && Object.keys(rules).length > 0) out[key] = { h: entry.h, r: rules };
    };
    for (const [k, e] of this.usedReplays) keep(k, e, (r) => (this.madeAt.has(r) ? this.madeAt.get(r) === version : loadedHolds));
    // What another worker wrote since this process read the file is newer than what it read.
    for (const [k, e] of Object.entries(theirs.replays)) keep(k, e, () => theirsHold);
    for (const [k, e] of Object.entries(this.loadedReplays)) keep(k, e, () => loadedHolds);
    return project ? { replays: out, project } : { replays: out };
  }

  /** The stamps to write: the index's settled files now (see `ProjectView.settled`). */
  private stampsToWrite(): Record<string, Stamp> | null {
    if (!this.view) return null;
    if (!this.view.looked()) return this.loadedStamps;
    const out: Record<string, Stamp> = Object.create(null) as Record<string, Stamp>;
    for (const [file, s] of this.view.settled()) out[path.relative(this.root, file)] = [s.mtimeMs, s.ctimeMs, s.size, s.hash];
    return out;
  }

  private create(key: string, frontend: string): Entry {
    const e: Entry = { f: frontend };
    this.used.set(key, e);
    return e;
  }

  /**
   * Writes what this process used (entries of texts no longer in the project fall out), merged
   * with what another process wrote meanwhile. Never throws: a cache that cannot be written only
   * makes the next run slower.
   */
  write(): void {
    // Without a look, what this process did not use may still be current: it is kept.
    const looked = this.view?.looked() ?? false;
    const unused = looked && Object.keys(this.loaded).length > this.used.size;
    const stamps = this.stampsToWrite();
    if (!this.dirty && !unused && !(stamps && !sameStamps(stamps, this.loadedStamps))) return;
    try {
      const entries: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
      // Another worker of the same run may have written entries of the files it linted.
      const theirs: Loaded = this.dirty ? readCacheFile(this.file, this.root) : { entries: {}, replays: {}, project: null, stamps: {} };
      for (const [k, e] of Object.entries(theirs.entries)) if (!Object.hasOwn(this.loaded, k)) entries[k] = e;
      if (!looked) Object.assign(entries, this.loaded);
      for (const [k, e] of this.used) entries[k] = e;
      const data: CacheFile = { format: FORMAT, plugin: pluginBuild(), root: this.root, entries, ...this.replaysToWrite(theirs), ...(stamps ? { stamps } : {}) };
      mkdirSync(path.dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temp, JSON.stringify(data));
      try {
        renameSync(temp, this.file);
      } catch {
        rmSync(temp, { force: true });
      }
      this.dirty = false;
    } catch {
      // Read-only file system, no permission: run without a cache.
    }
  }
}

/** Writes every cache opened in this process (at its exit; tests call it themselves). */
export function writeDiskCaches(): void {
  for (const c of open) c.write();
}

/** The version and the build of the plugin: a cache file is only read by the code that wrote it. */
function pluginBuild(): string {
  return `${PACKAGE.version}+${buildId()}`;
}

/** What a cache file holds, or nothing when it is missing, broken, or not this build's or project's. */
function readCacheFile(file: string, root: string): Loaded {
  const none: Loaded = { entries: {}, replays: {}, project: null, stamps: {} };
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as Partial<CacheFile>;
    if (data.format !== FORMAT || data.plugin !== pluginBuild() || data.root !== root) return none;
    const { entries, replays, project, stamps } = data;
    if (!isRecord(entries)) return none;
    const out: Loaded = {
      entries: Object.create(null) as Record<string, Entry>,
      replays: Object.create(null) as Record<string, ReplayEntry>,
      project: validProject(project) ? project : null,
      stamps: Object.create(null) as Record<string, Stamp>,
    };
    for (const [k, e] of Object.entries(entries)) if (validEntry(e)) out.entries[k] = e;
    if (isRecord(replays)) for (const [k, e] of Object.entries(replays)) if (validReplay(e)) out.replays[k] = e;
    if (isRecord(stamps)) for (const [k, s] of Object.entries(stamps)) if (validStamp(s)) out.stamps[k] = s;
    return out;
  } catch {
    return none;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

function validStamp(s: unknown): s is Stamp {
  return Array.isArray(s) && s.length === 4 && s.slice(0, 3).every((n) => typeof n === "number") && typeof s[3] === "string";
}

function sameStamps(a: Record<string, Stamp>, b: Record<string, Stamp>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const [x, y] = [a[k]!, Object.hasOwn(b, k) ? b[k] : undefined];
    return !!y && x[0] === y[0] && x[1] === y[1] && x[2] === y[2] && x[3] === y[3];
  });
}

function validProject(p: unknown): p is ProjectState {
  return isRecord(p) && typeof p.fingerprint === "string" && Array.isArray(p.configs) && p.configs.every((c) => typeof c === "string");
}

/** Every report of a replay entry is checked: ESLint is handed them as they are. */
function validReplay(e: unknown): e is ReplayEntry {
  if (!isRecord(e) || typeof e.h !== "string" || !isRecord(e.r)) return false;
  return Object.values(e.r).every(
    (r) => isRecord(r) && (r.p === undefined || r.p === 1) && (r.g === undefined || typeof r.g === "string") && Array.isArray(r.r) && r.r.every(validReport),
  );
}

function validReport(r: unknown): boolean {
  if (!isRecord(r) || typeof r.m !== "string" || !validData(r.d)) return false;
  if (!Array.isArray(r.l) || (r.l.length !== 2 && r.l.length !== 4) || !r.l.every((n) => Number.isInteger(n) && (n as number) >= 0)) return false;
  if (r.f !== undefined && !validFixes(r.f)) return false;
  return r.s === undefined || (Array.isArray(r.s) && r.s.every((s) => isRecord(s) && typeof s.m === "string" && validData(s.d) && validFixes(s.f)));
}

function validData(d: unknown): boolean {
  return d === undefined || (isRecord(d) && Object.values(d).every((v) => ["string", "number", "boolean"].includes(typeof v)));
}

function validFixes(f: unknown): boolean {
  return Array.isArray(f) && f.every((x) => Array.isArray(x) && x.length === 3 && Number.isInteger(x[0]) && Number.isInteger(x[1]) && x[0] >= 0 && x[1] >= x[0] && typeof x[2] === "string");
}

/** The shape of an entry, checked before it is trusted (a hand-edited or foreign file may hold anything). */
function validEntry(e: unknown): e is Entry {
  if (!e || typeof e !== "object") return false;
  const { f, s, m } = e as Record<string, unknown>;
  if (typeof f !== "string") return false;
  if (s !== undefined && s !== null) {
    const sk = s as Record<string, unknown>;
    if (!["handles", "handleRefs", "waits", "aliases", "imports"].every((k) => Array.isArray(sk[k])) || typeof sk.passThrough !== "boolean") return false;
  }
  if (m !== undefined && m !== null) {
    const mm = m as Record<string, unknown>;
    if (!["services", "descriptors", "calls", "sleeps", "starExports"].every((k) => Array.isArray(mm[k])) || typeof mm.usesRestate !== "boolean") return false;
  }
  return true;
}

/**
 * Where the index cache goes: `false` turns it off; a folder given in the settings; else none when
 * the environment says `ESLINT_PLUGIN_RESTATE_CACHE=0`; else the folder of ESLint's
 * `--cache-location`; else `node_modules/.cache/eslint-plugin-restate` of the nearest folder at or
 * above `cwd` that has a node_modules (none: no cache).
 */
export function cacheFolder(
  setting: boolean | string | undefined,
  cwd: string,
  argv: readonly string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  if (setting === false) return null;
  if (typeof setting === "string") return path.resolve(cwd, setting);
  if (env.ESLINT_PLUGIN_RESTATE_CACHE === "0") return null;
  const at = argv.findIndex((a) => a === "--cache-location" || a.startsWith("--cache-location="));
  if (at >= 0) {
    const value = argv[at]!.includes("=") ? argv[at]!.slice(argv[at]!.indexOf("=") + 1) : argv[at + 1];
    if (value) {
      const location = path.resolve(cwd, value);
      // ESLint takes a path ending in a separator (or an existing folder) as a folder, else as its cache file.
      const folder = /[\\/]$/.test(value) || isFolder(location) ? location : path.dirname(location);
      return path.join(folder, "eslint-plugin-restate");
    }
  }
  for (let d = path.resolve(cwd); ; ) {
    if (isFolder(path.join(d, "node_modules"))) return path.join(d, "node_modules", ".cache", "eslint-plugin-restate");
    const parent = path.dirname(d);
    if (parent === d) return null;
    d = parent;
  }
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
