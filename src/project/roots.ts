import path from "node:path";
import { configExists, onConfigChange, readConfig } from "./config-files.js";
import { isPackageFolder, isWorkspaceMember, workspaceGlobs } from "./workspaces.js";

/*
 * Which files form a file's project, for both languages. The lookups go up the folders only
 * (a lint asks for every file it lints) and are kept per folder for the life of the process.
 *
 * - A file in a Go module (the nearest go.mod) belongs to the module's workspace when the nearest
 *   go.work above the module `use`s it, else to the module.
 * - That Go project and the nearest package.json above it are one project, rooted at the outer
 *   folder, unless the module is nested in another module: a go.mod below a module's folder
 *   starts a module of its own, which only a go.work joins to others.
 * - Any other file belongs to its nearest package (a package.json that is more than a module
 *   format marker), or to the workspace that lists that package as a member (npm, yarn and bun
 *   `workspaces`, pnpm-workspace.yaml): a workspace's members and the root package's own folders
 *   are one system; a folder with a package of its own that is no member stays out.
 *
 * `listSourceFiles` walks a root's folders and keeps the files whose folder has that root, so
 * a project's files all have the project's root: each file on a cycle sees the cycle.
 */

/** The project a folder's files belong to. */
export interface ProjectRoot {
  root: string;
  /** The folder lies in a Go module: its project is exactly the folders with its root. */
  go: boolean;
  /** Why this root, in words (`graph --explain`). */
  why: string;
  /**
   * No package.json, go.mod or go.work above: the folder is a project only for want of one, and
   * a project above it (a folder walked for `graph`) takes its files in.
   */
  unmarked?: true;
}

/** The nearest folder at or above a folder that holds each marker file. */
interface Markers {
  packageJson: string | null;
  goMod: string | null;
  goWork: string | null;
}

const NO_MARKERS: Markers = { packageJson: null, goMod: null, goWork: null };
const markers = new Map<string, Markers>();
const roots = new Map<string, ProjectRoot>();
const workspaces = new Map<string, Set<string>>();
onConfigChange(() => {
  markers.clear();
  roots.clear();
  workspaces.clear();
});

function markersOf(dir: string): Markers {
  let m = markers.get(dir);
  if (!m) {
    const parent = path.dirname(dir);
    const up = parent === dir ? NO_MARKERS : markersOf(parent);
    // Read through the configuration cache, so that one added or removed later is noticed.
    const has = (name: string) => configExists(path.join(dir, name));
    m = { packageJson: isPackageFolder(dir) ? dir : up.packageJson, goMod: has("go.mod") ? dir : up.goMod, goWork: has("go.work") ? dir : up.goWork };
    markers.set(dir, m);
  }
  return m;
}

/** The project of the folder holding `file`. */
export function projectRootOf(file: string): string {
  return projectRoot(path.dirname(path.resolve(file))).root;
}

/** The project of the files directly in `folder`, and why. */
export function projectRoot(folder: string): ProjectRoot {
  const dir = path.resolve(folder);
  let r = roots.get(dir);
  if (!r) {
    r = findRoot(dir);
    roots.set(dir, r);
  }
  return r;
}

function findRoot(dir: string): ProjectRoot {
  const m = markersOf(dir);
  if (!m.goMod) {
    if (!m.packageJson) return { root: dir, go: false, why: "no package.json, go.mod or go.work above: the folder itself", unmarked: true };
    const ws = workspaceOf(m.packageJson);
    if (!ws) return { root: m.packageJson, go: false, why: "the nearest package.json" };
    if (ws.root === m.packageJson) return { root: ws.root, go: false, why: `the workspace root (${ws.from})` };
    return { root: ws.root, go: false, why: `the workspace whose ${ws.from} lists the package ${m.packageJson}` };
  }
  const work = markersOf(m.goMod).goWork;
  const inWorkspace = !!work && workspaceModules(work).has(m.goMod);
  const unit = inWorkspace ? work! : m.goMod;
  const what = inWorkspace ? "the go.work workspace" : "the go.mod module";
  const parent = path.dirname(unit);
  const outer = parent === unit ? null : markersOf(parent).goMod;
  if (outer) return { root: unit, go: true, why: `${what}, nested in the module ${outer} (a project of its own)` };
  const pkg = markersOf(unit).packageJson;
  if (pkg && pkg !== unit) return { root: pkg, go: true, why: `the package.json that contains ${what} ${unit}` };
  const own = inWorkspace ? `the go.work workspace that uses the module ${m.goMod}` : what;
  return { root: unit, go: true, why: m.packageJson && m.packageJson !== unit ? `${own}, which contains the package.json ${m.packageJson}` : own };
}

/** The folder of the nearest go.mod at or above `dir` (the Go module its files belong to). */
export function goModuleOf(dir: string): string | null {
  return markersOf(path.resolve(dir)).goMod;
}

/** The module folders of the nearest go.work at or above a module's folder, when it uses that module. */
export function goWorkspaceOf(moduleRoot: string): string[] | null {
  const work = markersOf(moduleRoot).goWork;
  if (!work) return null;
  const uses = workspaceModules(work);
  return uses.has(moduleRoot) ? [...uses] : null;
}

/**
 * The workspace a package folder belongs to: itself when it declares one, else the nearest
 * folder above that declares one, when that lists the package as a member.
 */
function workspaceOf(pkg: string): { root: string; from: string } | null {
  const own = workspaceGlobs(pkg);
  if (own) return { root: pkg, from: own.from };
  for (let dir = path.dirname(pkg); ; ) {
    const globs = workspaceGlobs(dir);
    if (globs) return isWorkspaceMember(dir, globs, pkg) ? { root: dir, from: globs.from } : null;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The module folders a go.work `use`s (an unreadable go.work joins nothing). */
function workspaceModules(dir: string): Set<string> {
  let uses = workspaces.get(dir);
  if (!uses) {
    const listed = readConfig(path.join(dir, "go.work"), goWorkUses) ?? [];
    uses = new Set(listed.map((u) => path.resolve(dir, u)));
    workspaces.set(dir, uses);
  }
  return uses;
}

/** The paths of a go.work's `use` directives: `use ./a`, `use ( ./a "./b" )`. */
export function goWorkUses(text: string): string[] {
  const out: string[] = [];
  const code = text.replace(/\/\/[^\n]*/g, "");
  for (const m of code.matchAll(/^[ \t]*use\b[ \t]*(?:\(([^)]*)\)|("[^"\n]*"|`[^`\n]*`|\S+))/gm)) {
    for (const [p] of (m[1] ?? m[2] ?? "").matchAll(/"[^"\n]*"|`[^`\n]*`|\S+/g)) out.push(/^["`]/.test(p) ? p.slice(1, -1) : p);
  }
  return out;
}
