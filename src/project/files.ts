import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { indexedExtensions } from "./frontends.js";
import { projectRoot } from "./roots.js";

/** Folders that never hold a project's own sources (Go keeps copies of dependencies in vendor, test inputs in testdata). */
const SKIPPED_DIRS = new Set(["node_modules", ".git", "dist", "build", "out", "coverage", ".next", ".turbo", ".cache", "vendor", "testdata"]);

export function isSourceFile(file: string, extensions: readonly string[] = indexedExtensions()): boolean {
  if (file.endsWith(".d.ts") || file.endsWith(".d.mts") || file.endsWith(".d.cts")) return false;
  return extensions.includes(path.extname(file));
}

/** One folder's listing, reused while the folder's mtime (which a file added or removed changes) stays the same. */
interface Listing {
  mtimeMs: number;
  files: string[];
  dirs: string[];
}

/**
 * Listings of the folders walked, kept by the caller between walks: a walk then costs one
 * `stat` per folder instead of reading each one again. Keyed by what the walk ignores.
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
 * dependency and build folders and what the root's .gitignore excludes. `include` globs
 * (relative to `base`) replace the walk. `extensions` are those of the files wanted (by default
 * those the project index reads).
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
  const { text, matchers } = readGitignore(root);
  const ignore: IgnoreMatcher = (rel, isDir) => matchers.some((m) => m(rel, isDir));
  return walkDir(root, ignore, reset(cache, `gitignore\u0000${root}\u0000${text}\u0000${extensions.join()}`), extensions, path.resolve(root));
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
  return { files: walkDir(start, () => false, reset(cache, `include\u0000${start}\u0000${extensions.join()}`), extensions, null), matchers };
}

function reset(cache: WalkCache, key: string): WalkCache {
  if (cache.key !== key) {
    cache.key = key;
    cache.listings.clear();
  }
  return cache;
}

/**
 * The files under `root`; with `project`, those of the project rooted there: the folders whose
 * project it is. A project without Go also reads the TypeScript packages nested in it that have
 * no Go either, as it always did; where Go is involved a project reads exactly its own folders,
 * so that membership is symmetric where a cycle may cross languages. Folders of another project
 * are still walked: a go.work can use a module below them.
 */
function walkDir(root: string, ignore: IgnoreMatcher, cache: WalkCache, extensions: readonly string[], project: string | null): string[] {
  const own: string[] = [];
  const nested = new Map<string, string[]>();
  const withGo = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    const listing = listingOf(dir, root, ignore, cache, extensions);
    if (!listing) continue;
    const owner = project === null ? null : projectRoot(dir);
    if (owner?.go) withGo.add(owner.root);
    if (!owner || owner.root === project) own.push(...listing.files);
    else nested.set(owner.root, [...(nested.get(owner.root) ?? []), ...listing.files]);
    for (const d of listing.dirs) stack.push(d);
  }
  if (project === null || withGo.has(project)) return own.sort();
  for (const [r, files] of nested) if (!withGo.has(r)) own.push(...files);
  return own.sort();
}

function listingOf(dir: string, root: string, ignore: IgnoreMatcher, cache: WalkCache, extensions: readonly string[]): Listing | null {
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
  const listing: Listing = { mtimeMs, files: [], dirs: [] };
  for (const e of entries) {
    const full = path.join(dir, e.name);
    const rel = toPosix(path.relative(root, full));
    if (e.isDirectory()) {
      if (SKIPPED_DIRS.has(e.name) || e.name.startsWith(".") || ignore(rel, true)) continue;
      listing.dirs.push(full);
    } else if (e.isFile() && isSourceFile(e.name, extensions) && !ignore(rel, false)) {
      listing.files.push(full);
    }
  }
  cache.listings.set(dir, listing);
  return listing;
}

type IgnoreMatcher = (rel: string, isDir: boolean) => boolean;

/** The common subset of .gitignore: names, paths, `*` and `**` globs, trailing `/`. Negations are ignored (we then include more, never less). */
function readGitignore(root: string): { text: string; matchers: IgnoreMatcher[] } {
  let text: string;
  try {
    text = readFileSync(path.join(root, ".gitignore"), "utf8");
  } catch {
    return { text: "", matchers: [] };
  }
  const out: IgnoreMatcher[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("!")) continue;
    const dirOnly = line.endsWith("/");
    let pattern = dirOnly ? line.slice(0, -1) : line;
    const anchored = pattern.startsWith("/") || pattern.includes("/");
    if (pattern.startsWith("/")) pattern = pattern.slice(1);
    const re = globToRegExp(anchored ? pattern : `**/${pattern}`);
    out.push((rel, isDir) => (!dirOnly || isDir) && re.test(rel));
  }
  return { text, matchers: out };
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

/** `**` spans folders, `*` and `?` stay within one, `{a,b}` alternates. */
export function globToRegExp(glob: string): RegExp {
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
  return new RegExp(`^${re}(?:/.*)?$`);
}

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}
