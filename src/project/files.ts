import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { readConfig } from "./config-files.js";
import { indexedExtensions } from "./frontends.js";
import { projectRoot } from "./roots.js";
import { readTsconfig } from "./tsconfig.js";
import { textHash } from "./text-hash.js";

/** Folders that never hold a project's own sources (Go keeps copies of dependencies in vendor, test inputs in testdata). */
const SKIPPED_DIRS = new Set(["node_modules", ".git", "dist", "build", "out", "coverage", ".next", ".turbo", ".cache", "vendor", "testdata"]);

/**
 * Whether `file` lies in a folder below `root` that no walk of the project enters (see
 * `SKIPPED_DIRS`, and hidden folders): never the project's own code, whatever else lints it.
 */
export function inSkippedFolder(root: string, file: string): boolean {
  const rel = path.relative(root, path.dirname(file));
  if (!rel || rel.startsWith("..") || path.isAbsolute(rel)) return false;
  return rel.split(path.sep).some((name) => SKIPPED_DIRS.has(name) || name.startsWith("."));
}

export function isSourceFile(file: string, extensions: readonly string[] = indexedExtensions()): boolean {
  if (file.endsWith(".d.ts") || file.endsWith(".d.mts") || file.endsWith(".d.cts")) return false;
  return extensions.includes(path.extname(file));
}

/** One folder's listing, reused while the folder's mtime (which a file added or removed changes) stays the same. */
interface Listing {
  mtimeMs: number;
  /** The ignore rules it was filtered with (see `Rules.key`). */
  rulesKey: string;
  files: string[];
  dirs: string[];
  /** The folder holds a .gitignore / tsconfig files (`tsconfig.json`, `tsconfig.build.json`, …): rules for what lies below it. */
  gitignore: boolean;
  tsconfigs: string[];
}

/**
 * Listings of the folders walked, kept by the caller between walks: a walk then costs one
 * `stat` per folder instead of reading each one again. Keyed by what the walk looks for.
 */
export interface WalkCache {
  key: string;
  listings: Map<string, Listing>;
}

export function newWalkCache(): WalkCache {
  return { key: "", listings: new Map() };
}

/**
 * Lists the source files of the project rooted at `root` (see `projectRoot`), skipping
 * dependency and build folders: what a .gitignore of the root, of a folder above it (up to the
 * repository's top) or of a folder in it excludes, and the `outDir` of every tsconfig in it.
 * `include` globs (relative to `base`) replace the walk. `extensions` are those of the files
 * wanted (by default those the project index reads).
 */
export function listSourceFiles(
  root: string,
  include?: readonly string[],
  base = root,
  cache: WalkCache = newWalkCache(),
  extensions: readonly string[] = indexedExtensions(),
): string[] {
  if (include && include.length > 0) {
    const { files, matchers } = walkIncluded(include, base, cache, extensions);
    return files.filter((f) => matchers.some((m) => m.test(toPosix(f))));
  }
  const start = path.resolve(root);
  return walkDir(start, outerRules(start), reset(cache, `project\u0000${extensions.join()}`), extensions, start);
}

/** The `include` globs that match none of the source files `listSourceFiles` would list for them. */
export function globsMatchingNothing(include: readonly string[], base: string): string[] {
  const { files, matchers } = walkIncluded(include, base, newWalkCache(), indexedExtensions());
  const posix = files.map(toPosix);
  return include.filter((_, i) => !posix.some((f) => matchers[i]!.test(f)));
}

/** The source files under the globs' common folder (matching or not), and each glob's matcher. */
function walkIncluded(include: readonly string[], base: string, cache: WalkCache, extensions: readonly string[]): { files: string[]; matchers: RegExp[] } {
  const matchers = include.map((g) => globToRegExp(toPosix(path.resolve(base, g))));
  const start = commonRoot(include.map((g) => path.resolve(base, staticPrefix(g))));
  return { files: walkDir(start, NO_RULES, reset(cache, `include\u0000${start}\u0000${extensions.join()}`), extensions, null), matchers };
}

function reset(cache: WalkCache, key: string): WalkCache {
  if (cache.key !== key) {
    cache.key = key;
    cache.listings.clear();
  }
  return cache;
}

/** What a walk skips below a folder: the .gitignore rules and build folders of it and its parents. */
interface Rules {
  gitignores: { base: string; matchers: IgnoreMatcher[] }[];
  buildDirs: Set<string>;
  /** Changes with the rules: a listing filtered with other rules is filtered again. */
  key: string;
}

const NO_RULES: Rules = { gitignores: [], buildDirs: new Set(), key: "" };

/** The .gitignore files above the root, up to the repository's top folder (the one holding `.git`). */
function outerRules(root: string): Rules {
  const above: string[] = [];
  for (let d = root; !existsGit(d); ) {
    const parent = path.dirname(d);
    // Outside any repository: only the project's own .gitignore files count.
    if (parent === d) return NO_RULES;
    above.unshift(parent);
    d = parent;
  }
  let rules = NO_RULES;
  for (const [i, dir] of above.entries()) {
    rules = withGitignore(rules, dir);
    // A project the repository ignores (a scratch folder, an example under an ignored one) is
    // still linted when asked for: the rules above it would hide all of it.
    if (ignored(rules, above[i + 1] ?? root, true)) return NO_RULES;
  }
  return rules;
}

function existsGit(dir: string): boolean {
  try {
    statSync(path.join(dir, ".git"));
    return true;
  } catch {
    return false;
  }
}

function withGitignore(rules: Rules, dir: string): Rules {
  const file = path.join(dir, ".gitignore");
  const parsed = readConfig(file, parseGitignore);
  if (!parsed || parsed.matchers.length === 0) return rules;
  return { gitignores: [...rules.gitignores, { base: dir, matchers: parsed.matchers }], buildDirs: rules.buildDirs, key: `${rules.key}\u0000${file}:${textHash(parsed.text)}` };
}

function withBuildDir(rules: Rules, dir: string, file: string): Rules {
  const config = readTsconfig(file);
  const out = config?.outDir;
  // An outDir that holds the sources (".", or a parent of them) is no folder to skip.
  if (!out || out === dir || !out.startsWith(dir + path.sep) || (config.rootDir && (config.rootDir === out || config.rootDir.startsWith(out + path.sep)))) return rules;
  if (rules.buildDirs.has(out)) return rules;
  return { gitignores: rules.gitignores, buildDirs: new Set([...rules.buildDirs, out]), key: `${rules.key}\u0000out:${out}` };
}

function ignored(rules: Rules, full: string, isDir: boolean): boolean {
  if (isDir && rules.buildDirs.has(full)) return true;
  for (const g of rules.gitignores) {
    const rel = toPosix(path.relative(g.base, full));
    if (g.matchers.some((m) => m(rel, isDir))) return true;
  }
  return false;
}

/**
 * The files under `root`; with `project`, those of the project rooted there: exactly the
 * folders whose project it is, so that membership is symmetric (a file's project holds another
 * file only when that file's project is the same one, and every file on a cycle sees it).
 * Folders of another project are still walked: a go.work or a workspace can take in a folder
 * below them.
 */
function walkDir(root: string, rules: Rules, cache: WalkCache, extensions: readonly string[], project: string | null): string[] {
  const own: string[] = [];
  const stack: [string, Rules][] = [[root, rules]];
  while (stack.length > 0) {
    const [dir, outer] = stack.pop()!;
    let here = outer;
    const raw = rawListing(dir, cache);
    if (!raw) continue;
    if (project !== null) here = rulesBelow(here, dir, raw);
    const listing = filtered(dir, raw, here, cache, extensions);
    if (project === null) own.push(...listing.files);
    else {
      const owner = projectRoot(dir);
      if (owner.root === project || owner.unmarked) own.push(...listing.files);
    }
    for (const d of listing.dirs) stack.push([d, here]);
  }
  return own.sort();
}

/** The rules for what lies below `dir`: those above it, its .gitignore, and the outDir of each of its tsconfigs. */
function rulesBelow(outer: Rules, dir: string, raw: Listing): Rules {
  let rules = raw.gitignore ? withGitignore(outer, dir) : outer;
  for (const config of raw.tsconfigs) rules = withBuildDir(rules, dir, config);
  return rules;
}

/**
 * Whether the walk of `listSourceFiles(root, include, base)` reaches `file`, from its path and the
 * folders on the way to it (the file itself need not exist yet), whatever its extension (a
 * language the index does not read from disk still counts when ESLint hands its model over): a
 * file under the globs; or, without globs, one in a folder of that project that neither a
 * .gitignore nor a build folder on the way leaves out.
 */
export function walkLists(root: string, file: string, include?: readonly string[], base = root): boolean {
  const full = path.resolve(file);
  if (include && include.length > 0) {
    const start = commonRoot(include.map((g) => path.resolve(base, staticPrefix(g))));
    if (!isBelow(start, full) || inSkippedFolder(start, full)) return false;
    return include.some((g) => globToRegExp(toPosix(path.resolve(base, g))).test(toPosix(full)));
  }
  const start = path.resolve(root);
  if (!isBelow(start, full) || inSkippedFolder(start, full)) return false;
  const cache = newWalkCache();
  let rules = outerRules(start);
  const below = path.relative(start, path.dirname(full)).split(path.sep).filter(Boolean);
  for (let i = 0, dir = start; ; dir = path.join(dir, below[i++]!)) {
    if (dir !== start && ignored(rules, dir, true)) return false;
    const raw = rawListing(dir, cache);
    if (raw) rules = rulesBelow(rules, dir, raw);
    if (i === below.length) break;
  }
  if (ignored(rules, full, false)) return false;
  const owner = projectRoot(path.dirname(full));
  return owner.root === start || !!owner.unmarked;
}

function isBelow(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return !!rel && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** A folder's entries (cached by its mtime), before any ignore rule. */
function rawListing(dir: string, cache: WalkCache): Listing | null {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(dir).mtimeMs;
  } catch {
    cache.listings.delete(dir);
    return null;
  }
  const cached = cache.listings.get(dir);
  if (cached && cached.mtimeMs === mtimeMs) return cached;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  const listing: Listing = { mtimeMs, rulesKey: "\u0000raw", files: [], dirs: [], gitignore: false, tsconfigs: [] };
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith(".")) listing.dirs.push(full);
    } else if (e.isFile()) {
      if (e.name === ".gitignore") listing.gitignore = true;
      else if (/^tsconfig(?:\.[\w-]+)?\.json$/.test(e.name)) listing.tsconfigs.push(full);
      listing.files.push(full);
    }
  }
  cache.listings.set(dir, listing);
  return listing;
}

/** The listing's source files and folders the rules keep, kept with it until the folder or the rules change. */
function filtered(dir: string, raw: Listing, rules: Rules, cache: WalkCache, extensions: readonly string[]): Listing {
  const key = `${dir}\u0000${rules.key}`;
  const hit = cache.listings.get(key);
  if (hit && hit.mtimeMs === raw.mtimeMs && hit.rulesKey === rules.key) return hit;
  const out: Listing = {
    mtimeMs: raw.mtimeMs,
    rulesKey: rules.key,
    files: raw.files.filter((f) => isSourceFile(f, extensions) && !ignored(rules, f, false)),
    dirs: raw.dirs.filter((d) => !ignored(rules, d, true)),
    gitignore: raw.gitignore,
    tsconfigs: raw.tsconfigs,
  };
  cache.listings.set(key, out);
  return out;
}

type IgnoreMatcher = (rel: string, isDir: boolean) => boolean;

const parseGitignore = (text: string) => ({ text, matchers: gitignoreMatchers(text) });

/**
 * The common subset of .gitignore: names, paths, `*` and `**` globs, trailing `/`. Negations are
 * ignored (we then include more, never less), so a path is ignored when any pattern matches it:
 * the patterns are one regular expression (and one more for those of folders only), tested once
 * per path rather than once per pattern.
 */
function gitignoreMatchers(text: string): IgnoreMatcher[] {
  const anyPath: string[] = [];
  const foldersOnly: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("!")) continue;
    const dirOnly = line.endsWith("/");
    let pattern = dirOnly ? line.slice(0, -1) : line;
    const anchored = pattern.startsWith("/") || pattern.includes("/");
    if (pattern.startsWith("/")) pattern = pattern.slice(1);
    (dirOnly ? foldersOnly : anyPath).push(globSource(anchored ? pattern : `**/${pattern}`));
  }
  const out: IgnoreMatcher[] = [];
  if (anyPath.length > 0) {
    const re = globsToRegExp(anyPath);
    out.push((rel) => re.test(rel));
  }
  if (foldersOnly.length > 0) {
    const re = globsToRegExp(foldersOnly);
    out.push((rel, isDir) => isDir && re.test(rel));
  }
  return out;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

function staticPrefix(glob: string): string {
  const parts = glob.split("/");
  const fixed: string[] = [];
  for (const p of parts) {
    if (/[*?{[]/.test(p)) break;
    fixed.push(p);
  }
  return fixed.join("/") || ".";
}

function commonRoot(dirs: string[]): string {
  if (dirs.length === 0) return ".";
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) {
    while (!(d === common || d.startsWith(common + path.sep))) {
      const parent = path.dirname(common);
      if (parent === common) return common;
      common = parent;
    }
  }
  try {
    if (!statSync(common).isDirectory()) common = path.dirname(common);
  } catch {
    common = path.dirname(common);
  }
  return common;
}

/**
 * `**` spans folders, `*` and `?` stay within one, `{a,b}` alternates. A glob matches a path and
 * what lies under it, or with `exact` the path alone (a workspace's member folders).
 */
export function globToRegExp(glob: string, exact = false): RegExp {
  return globsToRegExp([globSource(glob)], exact);
}

/** Any of the globs' sources (see `globSource`), as `globToRegExp` matches one. */
function globsToRegExp(sources: readonly string[], exact = false): RegExp {
  const re = sources.length === 1 ? sources[0]! : `(?:${sources.join("|")})`;
  return new RegExp(exact ? `^${re}$` : `^${re}(?:/.*)?$`);
}

/** A glob as the source of a regular expression, unanchored. */
function globSource(glob: string): string {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const slash = glob[i + 2] === "/";
        re += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const end = glob.indexOf("}", i);
      if (end < 0) re += "\\{";
      else {
        re += `(?:${glob.slice(i + 1, end).split(",").map(escape).join("|")})`;
        i = end;
      }
    } else re += escape(c);
  }
  return re;
}

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}
