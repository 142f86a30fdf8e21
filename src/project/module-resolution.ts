import { realpathSync } from "node:fs";
import path from "node:path";
import { configExists, readJsonConfig } from "./config-files.js";
import { projectRoot } from "./roots.js";
import { readTsconfig, tsconfigFor } from "./tsconfig.js";
import { type PackageJson, readPackageJson, workspacePackages } from "./workspaces.js";

/*
 * Resolves an import specifier to one of the project's source files, as TypeScript and Node
 * would with each file's own settings: the nearest tsconfig's `paths` and `baseUrl` (through its
 * `extends` chain), the nearest package.json's `imports` (`#…`), a workspace member's or the own
 * package's `exports`, `types` and `main` — and, where those point at build output that is not
 * there or not part of the project (`dist/index.js`), the source file it is built from (the
 * package tsconfig's `outDir` → `rootDir`, else `src/`). Only files `known` to the project count:
 * a third-party package is no part of it.
 */

type Known = (file: string) => boolean;

/**
 * Restate's own packages define no service of the system: in the SDK's repository (or a vendored
 * copy) their sources are in the project, and following an import of the SDK into them would read
 * the whole library for nothing.
 */
const RESTATE_PACKAGES = /^@restatedev\/restate-sdk(?:-[\w-]+)?(?:\/|$)/;

export function resolveModule(fromFile: string, specifier: string, known: Known): string | null {
  if (specifier.startsWith(".") || path.isAbsolute(specifier)) return resolveFile(path.resolve(path.dirname(fromFile), specifier), known);
  if (RESTATE_PACKAGES.test(specifier)) return null;
  const dir = path.dirname(fromFile);
  if (specifier.startsWith("#")) return resolveSubpathImport(dir, specifier, known);
  const config = tsconfigFor(dir);
  if (config?.paths) {
    for (const target of mappedPaths(config.paths.entries, specifier)) {
      const hit = resolveCandidate(path.resolve(config.paths.base, target), known);
      if (hit) return hit;
    }
  }
  if (config?.baseUrl) {
    const hit = resolveFile(path.resolve(config.baseUrl, specifier), known);
    if (hit) return hit;
  }
  return resolvePackage(dir, specifier, known);
}

/** The targets of the `paths` pattern that matches best: an exact key, else the longest prefix before `*`. */
function mappedPaths(entries: [string, string[]][], specifier: string): string[] {
  let best: { prefix: number; targets: string[] } | null = null;
  for (const [pattern, targets] of entries) {
    const star = pattern.indexOf("*");
    if (star < 0) {
      if (pattern === specifier) return targets;
      continue;
    }
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix) || specifier.length < prefix.length + suffix.length) continue;
    if (best && best.prefix >= prefix.length) continue;
    const middle = specifier.slice(prefix.length, specifier.length - suffix.length);
    best = { prefix: prefix.length, targets: targets.map((t) => t.replace("*", middle)) };
  }
  return best?.targets ?? [];
}

/** `#name` through the `imports` of the nearest package.json (Node's package scope). */
function resolveSubpathImport(dir: string, specifier: string, known: Known): string | null {
  const scope = packageScope(dir);
  if (!scope) return null;
  for (const target of conditionalTargets(scope.json.imports, specifier)) {
    const hit = target.startsWith("./") ? resolveCandidate(path.resolve(scope.dir, target), known) : resolvePackage(scope.dir, target, known);
    if (hit) return hit;
  }
  return null;
}

/** A bare specifier: a member of the file's workspace, its own package, or a package linked into node_modules. */
function resolvePackage(dir: string, specifier: string, known: Known): string | null {
  const parts = specifier.split("/");
  const nameLength = specifier.startsWith("@") ? 2 : 1;
  if (parts.length < nameLength || parts.slice(0, nameLength).some((p) => !p)) return null;
  const name = parts.slice(0, nameLength).join("/");
  const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join("/")}` : ".";
  const pkgDir = packageDirOf(dir, name);
  if (!pkgDir) return null;
  const json = readPackageJson(pkgDir);
  if (!json) return null;
  if (json.exports !== undefined && json.exports !== null) {
    for (const target of conditionalTargets(exportsMap(json.exports), subpath)) {
      const hit = resolveCandidate(path.resolve(pkgDir, target), known);
      if (hit) return hit;
    }
    return null;
  }
  if (subpath !== ".") return resolveCandidate(path.resolve(pkgDir, subpath), known);
  for (const entry of entryFields(json)) {
    const hit = resolveCandidate(path.resolve(pkgDir, entry), known);
    if (hit) return hit;
  }
  return resolveFile(path.join(pkgDir, "index"), known) ?? resolveFile(path.join(pkgDir, "src", "index"), known);
}

function entryFields(json: PackageJson): string[] {
  return [json.types, json.typings, json.module, json.main].filter((v): v is string => typeof v === "string");
}

/** Where the package `name` is, seen from `dir`: its workspace's members first, then node_modules. */
function packageDirOf(dir: string, name: string): string | null {
  const member = workspacePackages(projectRoot(dir).root).get(name);
  if (member) return member;
  for (let d = dir; ; ) {
    const linked = path.join(d, "node_modules", name);
    if (configExists(path.join(linked, "package.json"))) return realFolder(linked);
    const parent = path.dirname(d);
    if (parent === d) return null;
    d = parent;
  }
}

function realFolder(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/** The nearest package.json at or above `dir`, whatever it holds (Node's package scope). */
function packageScope(dir: string): { dir: string; json: PackageJson } | null {
  for (let d = dir; ; ) {
    const json = readPackageJson(d);
    if (json) return { dir: d, json };
    const parent = path.dirname(d);
    if (parent === d) return null;
    d = parent;
  }
}

/** `exports` written as a string, an array, or a map of conditions for ".": a map of subpaths. */
function exportsMap(exports: unknown): unknown {
  if (typeof exports === "string" || Array.isArray(exports)) return { ".": exports };
  if (exports && typeof exports === "object" && !Object.keys(exports).some((k) => k.startsWith("."))) return { ".": exports };
  return exports;
}

/**
 * The targets a subpath map (`exports` or `imports`) gives a key: the exact key, else the pattern
 * with the longest prefix before its `*`. Every condition's target, in the order written: the
 * first that leads to a project file wins, whatever condition the build would pick.
 */
function conditionalTargets(map: unknown, key: string): string[] {
  if (!map || typeof map !== "object" || Array.isArray(map)) return [];
  const entries = map as Record<string, unknown>;
  if (Object.hasOwn(entries, key) && !key.includes("*")) return leaves(entries[key], null);
  let best: { prefix: number; value: unknown; middle: string } | null = null;
  for (const [pattern, value] of Object.entries(entries)) {
    const star = pattern.indexOf("*");
    if (star < 0) continue;
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (!key.startsWith(prefix) || !key.endsWith(suffix) || key.length < prefix.length + suffix.length) continue;
    if (best && best.prefix >= prefix.length) continue;
    best = { prefix: prefix.length, value, middle: key.slice(prefix.length, key.length - suffix.length) };
  }
  return best ? leaves(best.value, best.middle) : [];
}

function leaves(value: unknown, middle: string | null, depth = 0): string[] {
  if (depth > 8) return [];
  if (typeof value === "string") return [middle === null ? value : value.replaceAll("*", middle)];
  if (Array.isArray(value)) return value.flatMap((v) => leaves(v, middle, depth + 1));
  if (value && typeof value === "object") return Object.values(value).flatMap((v) => leaves(v, middle, depth + 1));
  // `null` excludes the subpath.
  return [];
}

/** A path an entry point or a mapping names: the file itself, or the source it is built from. */
function resolveCandidate(target: string, known: Known): string | null {
  const direct = resolveFile(target, known);
  if (direct) return direct;
  const source = sourceOf(target);
  return source ? resolveFile(source, known) : null;
}

/** Common build folders, when the package's tsconfig does not say where it builds to. */
const BUILD_DIRS = ["dist", "build", "lib", "out", "esm", "cjs"];

/**
 * The source a build output path comes from, as project references map it: under the package
 * tsconfig's `outDir` → the same path under its `rootDir` (else `src/`); declaration files and
 * JavaScript become TypeScript (the extensions are tried by `resolveFile`).
 */
function sourceOf(target: string): string | null {
  const pkg = packageScope(path.dirname(target));
  if (!pkg) return null;
  let mapped: string | null = null;
  for (const name of ["tsconfig.json", "tsconfig.build.json", "tsconfig.lib.json"]) {
    const file = path.join(pkg.dir, name);
    const config = readJsonConfig(file) ? readTsconfig(file) : null;
    if (config?.outDir && isInside(target, config.outDir)) {
      mapped = path.join(config.rootDir ?? path.join(pkg.dir, "src"), path.relative(config.outDir, target));
      break;
    }
  }
  if (!mapped) {
    const rel = path.relative(pkg.dir, target).split(path.sep);
    if (rel.length < 2 || !BUILD_DIRS.includes(rel[0]!)) return null;
    mapped = path.join(pkg.dir, "src", ...rel.slice(1));
  }
  return mapped.replace(/\.d\.([mc]?)ts$/, ".$1ts");
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return !!rel && !rel.startsWith("..") && !path.isAbsolute(rel);
}

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
const JS_TO_TS: Record<string, string[]> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};

/** A path as written in an import: the file, `.js` written for a `.ts` file, an added extension, an `index` file. */
function resolveFile(base: string, known: Known): string | null {
  if (known(base)) return base;
  const ext = path.extname(base);
  for (const alt of JS_TO_TS[ext] ?? []) {
    const candidate = base.slice(0, -ext.length) + alt;
    if (known(candidate)) return candidate;
  }
  for (const e of EXTENSIONS) if (known(base + e)) return base + e;
  for (const e of EXTENSIONS) {
    const candidate = path.join(base, `index${e}`);
    if (known(candidate)) return candidate;
  }
  return null;
}

/**
 * The settings resolution uses for a project's files, in words (`graph --explain`): its
 * workspace's packages, the tsconfig files with `paths` or `baseUrl` (and what they extend), and
 * the package.json files with `imports`.
 */
export function describeResolution(root: string, files: readonly string[]): string[] {
  const rel = (p: string) => path.relative(root, p).split(path.sep).join("/") || ".";
  const out: string[] = [];
  const members = [...workspacePackages(root)].filter(([, dir]) => dir !== root);
  if (members.length > 0) out.push(`workspace packages: ${members.map(([name, dir]) => `${name} (${rel(dir)})`).join(", ")}`);
  const dirs = [...new Set(files.map((f) => path.dirname(f)))].sort();
  // tsconfig files of a monorepo mostly extend one base: one line per mapping, naming its files.
  const byMapping = new Map<string, string[]>();
  const scopes = new Map<string, string>();
  const seen = new Set<string>();
  for (const dir of dirs) {
    const config = tsconfigFor(dir);
    if (config && !seen.has(config.file) && (config.paths || config.baseUrl)) {
      seen.add(config.file);
      const entries = config.paths?.entries ?? [];
      const shown = entries.slice(0, 6).map(([p, t]) => `${p} → ${t.map((x) => rel(path.resolve(config.paths!.base, x))).join(" | ")}`);
      if (entries.length > 6) shown.push(`${entries.length - 6} more`);
      const mapping = [shown.length > 0 && `paths ${shown.join(", ")}`, config.baseUrl && `baseUrl ${rel(config.baseUrl)}`].filter(Boolean).join("; ");
      const list = byMapping.get(mapping);
      if (list) list.push(rel(config.file));
      else byMapping.set(mapping, [rel(config.file)]);
    }
    const scope = packageScope(dir);
    if (scope && !scopes.has(scope.dir) && scope.json.imports && typeof scope.json.imports === "object") {
      scopes.set(scope.dir, `${rel(path.join(scope.dir, "package.json"))} imports ${Object.keys(scope.json.imports).join(", ")}`);
    }
  }
  for (const [mapping, configs] of byMapping) {
    const named = configs.length > 4 ? `${configs.slice(0, 4).join(", ")} and ${configs.length - 4} more` : configs.join(", ");
    out.push(`tsconfig ${named}: ${mapping}`);
  }
  for (const line of scopes.values()) out.push(line);
  return out;
}
