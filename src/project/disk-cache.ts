import { hash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { FileModel, FileSketch } from "../model/types.js";
import { PACKAGE } from "../meta.js";

/*
 * What the project index computed of a file's text (its sketch, its model), kept on disk between
 * runs, as ESLint's `--cache`, TypeScript's `.tsbuildinfo` and Babel's cache do: a second run over
 * an unchanged project neither sketches nor parses the files the index reads ahead of ESLint. An
 * entry is keyed by the hash of the file's text and valid for this version of the plugin only. A
 * cache file that does not parse, or that another version or project wrote, is ignored (and
 * replaced at the next write); a write goes to a temporary file renamed into place, so concurrent
 * writers (`eslint --concurrency`) never leave a torn file.
 */

const FORMAT = 4;

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
}

const open = new Set<DiskCache>();
let exitHook = false;

export class DiskCache {
  private readonly loaded: Record<string, Entry>;
  /** Entries this process read or computed: what the next write keeps. */
  private readonly used = new Map<string, Entry>();
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly root: string,
  ) {
    this.loaded = readEntries(file, root);
  }

  /** The cache of a project's index in `folder`; null when caching is off. */
  static for(folder: string | null, root: string, key: string): DiskCache | null {
    if (!folder) return null;
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

  /** The sketch of a text with this hash, when one was kept (null: the text cannot matter). */
  sketch(textHash: string, frontend: string): FileSketch | null | undefined {
    return this.entry(textHash, frontend)?.s;
  }

  putSketch(textHash: string, frontend: string, sketch: FileSketch | null): void {
    const e = this.entry(textHash, frontend) ?? this.create(textHash, frontend);
    if (e.s !== undefined) return;
    e.s = sketch;
    this.dirty = true;
  }

  /** The model of a text with this hash at `file`, when one was kept. */
  model(textHash: string, frontend: string, file: string): FileModel | null | undefined {
    const m = this.entry(textHash, frontend)?.m;
    return m === undefined || m === null ? m : ({ ...m, file } as FileModel);
  }

  putModel(textHash: string, frontend: string, model: FileModel | null): void {
    const e = this.entry(textHash, frontend) ?? this.create(textHash, frontend);
    if (e.m !== undefined) return;
    if (model) {
      const { file: _file, ...rest } = model;
      e.m = rest;
    } else e.m = null;
    this.dirty = true;
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
    const unused = Object.keys(this.loaded).length > this.used.size;
    if (!this.dirty && !unused) return;
    try {
      const entries: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
      // Another worker of the same run may have written entries of the files it linted.
      const theirs = this.dirty ? readEntries(this.file, this.root) : {};
      for (const [k, e] of Object.entries(theirs)) if (!Object.hasOwn(this.loaded, k)) entries[k] = e;
      for (const [k, e] of this.used) entries[k] = e;
      const data: CacheFile = { format: FORMAT, plugin: PACKAGE.version, root: this.root, entries };
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

/** The entries of a cache file, or none when it is missing, broken, or not this version's or project's. */
function readEntries(file: string, root: string): Record<string, Entry> {
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as Partial<CacheFile>;
    if (data.format !== FORMAT || data.plugin !== PACKAGE.version || data.root !== root) return {};
    const entries = data.entries;
    if (!entries || typeof entries !== "object" || Array.isArray(entries)) return {};
    const out: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
    for (const [k, e] of Object.entries(entries)) if (validEntry(e)) out[k] = e;
    return out;
  } catch {
    return {};
  }
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
