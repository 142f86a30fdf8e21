import { readdirSync } from "node:fs";
import path from "node:path";
import { onConfigChange, readConfig, readJsonConfig } from "./config-files.js";
import { globToRegExp } from "./files.js";

/*
 * Packages and workspaces as npm, yarn, bun and pnpm declare them: a workspace's members are
 * found from its own list (package.json `workspaces`, pnpm-workspace.yaml `packages`), never
 * from node_modules, so that they are known before an install and under Yarn PnP.
 */

/** The fields of a package.json that resolution reads. */
export interface PackageJson {
  name?: string;
  main?: string;
  types?: string;
  typings?: string;
  module?: string;
  exports?: unknown;
  imports?: unknown;
  [key: string]: unknown;
}

/** Keys of a package.json that only set how the files of its folder are loaded (`{"type": "module"}`). */
const MARKER_KEYS = new Set(["type", "sideEffects"]);

export function readPackageJson(dir: string): PackageJson | null {
  return readJsonConfig(path.join(dir, "package.json")) as PackageJson | null;
}

/**
 * Whether the package.json in `dir` makes the folder a package: one that holds no more than a
 * module format (a `{"type": "commonjs"}` beside compiled files) leaves the folder in its parent's.
 */
export function isPackageFolder(dir: string): boolean {
  const json = readPackageJson(dir);
  if (!json) return false;
  const keys = Object.keys(json);
  return keys.length === 0 || keys.some((k) => !MARKER_KEYS.has(k));
}

/** The member globs a folder declares as a workspace root; null when it declares none. */
export interface WorkspaceGlobs {
  include: string[];
  exclude: string[];
  /** Where the list comes from (`graph --explain`). */
  from: string;
}

export function workspaceGlobs(dir: string): WorkspaceGlobs | null {
  const json = readPackageJson(dir);
  const declared = json?.workspaces;
  const list = Array.isArray(declared) ? declared : isRecord(declared) && Array.isArray(declared.packages) ? declared.packages : null;
  if (list) return split(list.filter((g): g is string => typeof g === "string"), "package.json workspaces");
  const pnpm = readConfig(path.join(dir, "pnpm-workspace.yaml"), pnpmPackages);
  return pnpm ? split(pnpm, "pnpm-workspace.yaml") : null;
}

function split(globs: string[], from: string): WorkspaceGlobs {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const g of globs) {
    const clean = g.trim().replace(/^\.\//, "").replace(/\/+$/, "");
    if (clean.startsWith("!")) exclude.push(clean.slice(1).replace(/^\.\//, ""));
    else if (clean) include.push(clean);
  }
  return { include, exclude, from };
}

/**
 * The `packages` list of a pnpm-workspace.yaml: block (`- "apps/*"`) or flow (`["apps/*"]`)
 * style, quoted or not. The rest of the file (catalogs, settings) is not read.
 */
export function pnpmPackages(text: string): string[] | null {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^packages\s*:/.test(l));
  if (start < 0) return null;
  const unquote = (s: string) => s.trim().replace(/^(["'])(.*)\1$/, "$2");
  const inline = lines[start]!.replace(/^packages\s*:/, "").replace(/\s+#.*$/, "").trim();
  if (inline.startsWith("[")) {
    return inline
      .replace(/^\[|\]$/g, "")
      .split(",")
      .map(unquote)
      .filter(Boolean);
  }
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const m = /^\s+-\s*(.+?)\s*(?:\s#.*)?$/.exec(line);
    if (!m) break;
    out.push(unquote(m[1]!));
  }
  return out;
}

/** Whether `dir` is one of the members a workspace rooted at `root` declares. */
export function isWorkspaceMember(root: string, globs: WorkspaceGlobs, dir: string): boolean {
  const rel = path.relative(root, dir).split(path.sep).join("/");
  if (!rel || rel.startsWith("..")) return false;
  return globs.include.some((g) => memberPattern(g).test(rel)) && !globs.exclude.some((g) => memberPattern(g).test(rel));
}

const patterns = new Map<string, RegExp>();

/** A member glob as npm and pnpm match it against a folder's path (the folder itself, not what lies under it). */
function memberPattern(glob: string): RegExp {
  let re = patterns.get(glob);
  if (!re) patterns.set(glob, (re = globToRegExp(glob, true)));
  return re;
}

const memberLists = new Map<string, Map<string, string>>();
onConfigChange(() => memberLists.clear());

/** Folders a member search never enters. */
const NOT_MEMBERS = new Set(["node_modules", ".git", "dist", "build", "out", "coverage"]);

/**
 * The named member packages of the workspace rooted at `root` (name → folder), the root's own
 * package included: what a bare specifier of one member may name.
 */
export function workspacePackages(root: string): Map<string, string> {
  let members = memberLists.get(root);
  if (members) return members;
  members = new Map();
  const globs = workspaceGlobs(root);
  const own = readPackageJson(root)?.name;
  if (typeof own === "string") members.set(own, root);
  if (globs) {
    for (const dir of expandMembers(root, globs)) {
      const name = readPackageJson(dir)?.name;
      if (typeof name === "string" && !members.has(name)) members.set(name, dir);
    }
  }
  memberLists.set(root, members);
  return members;
}

/** The member folders (with a package.json) the globs name, walking only where a glob can match. */
function expandMembers(root: string, globs: WorkspaceGlobs): string[] {
  const out = new Set<string>();
  for (const glob of globs.include) {
    const segments = glob.split("/").filter((s) => s && s !== ".");
    let dirs = [root];
    for (let i = 0; i < segments.length && dirs.length > 0; i++) {
      const seg = segments[i]!;
      const next: string[] = [];
      for (const dir of dirs) {
        if (seg === "**") next.push(dir, ...subfolders(dir, true));
        else if (/[*?]/.test(seg)) {
          const re = memberPattern(seg);
          for (const sub of subfolders(dir, false)) if (re.test(path.basename(sub))) next.push(sub);
        } else next.push(path.join(dir, seg));
      }
      dirs = next;
    }
    for (const dir of dirs) if (readPackageJson(dir) && isWorkspaceMember(root, globs, dir)) out.add(dir);
  }
  return [...out].sort();
}

function subfolders(dir: string, deep: boolean, depth = 0): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || NOT_MEMBERS.has(e.name) || e.name.startsWith(".")) continue;
    const sub = path.join(dir, e.name);
    out.push(sub);
    if (deep && depth < 8) out.push(...subfolders(sub, true, depth + 1));
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}
