import path from "node:path";
import {
  AREAS,
  DOMAINS,
  type Def,
  type Layout,
  type LibModule,
  NOUNS,
  type ProjectManifest,
  type Stats,
  clamp,
  distributeHandlers,
  emitDef,
  emitIngress,
  emitLib,
  makeDefs,
  makeLibModules,
  planDeadlocks,
  specifier,
  writeProject,
  writtenManifest,
} from "./generate.js";
import { Random } from "./random.js";

/**
 * The same kind of code as bench/generate.ts, laid out as an npm workspace: packages
 * `@bench/p00`, `@bench/p01`, ... under `packages/`, that import one another's definitions and
 * helpers by package name (`import { orders } from "@bench/p07"`, or `import type { OrdersApi }`
 * and `{ name: "Orders" }`), those of the few packages each depends on, and their own internal modules through the `#internal/*` subpath
 * imports of their package.json. Half the packages export their sources (`"./src/index.ts"`),
 * half a build that is not there (`dist/`): only the root tsconfig's `paths` lead to their
 * sources, as in a repository checked out and never built.
 *
 * The planted deadlocks are all cross-package cycles between two virtual objects (certain:
 * A.h → B.h2 → A.h3 on `ctx.key`, both exclusive); every second one calls back by type only.
 */

export interface WorkspaceOptions {
  /** Source files to write over all packages (at least 20, and 10 per package). */
  files: number;
  /** Packages (at least 2; default 50). */
  packages?: number;
  seed?: number;
  /** Folder to write the workspace into; it is emptied first. */
  dir: string;
  /** Handlers per source file, over the whole tree (default 5). */
  handlersPerFile?: number;
}

export interface WorkspaceManifest extends ProjectManifest {
  shape: "workspace";
  /** Packages whose `exports` point at their sources; the others point at a `dist/` never built. */
  sourcePackages: number;
  builtPackages: number;
  /** Import declarations naming another package of the workspace. */
  crossPackageImports: number;
  /** Import declarations through a package's own `#internal/*`. */
  internalImports: number;
}

const SCOPE = "@bench";

export function generateWorkspace(options: WorkspaceOptions): WorkspaceManifest {
  const n = options.files;
  const count = options.packages ?? 50;
  if (!Number.isInteger(n) || n < 20) throw new Error(`generateWorkspace: files must be an integer >= 20 (got ${n})`);
  if (!Number.isInteger(count) || count < 2 || count > Math.floor(n / 10)) {
    throw new Error(`generateWorkspace: packages must be an integer from 2 to files / 10 (got ${count} for ${n} files)`);
  }
  const seed = options.seed ?? 1;
  const r = new Random(seed);
  const perFile = options.handlersPerFile ?? 5;
  const pkgs = Array.from({ length: count }, (_, i) => packageName(i, count));

  // The flat project's proportions; each package's src/index.ts takes the place of the barrels
  // and endpoint lists.
  const domainCount = clamp(Math.round(n / 80), 2, DOMAINS.length);
  const areaCount = clamp(Math.round(n / 60), 2, AREAS.length);
  const ingressCount = Math.max(1, Math.round(n * 0.04));
  const plainTarget = Math.round(n * 0.5);
  const libCount = plainTarget - count;
  const defCount = n - plainTarget - ingressCount - 1; // - main.ts
  const domains = DOMAINS.slice(0, domainCount);

  const libs = makeLibModules(r, libCount, AREAS.slice(0, areaCount));
  for (const lib of libs) lib.file = libFile(pkgs, lib);
  const defs = makeDefs(r, defCount, domains);
  // Neighbours in the call order live in different packages, so each planted pair (taken from
  // the downstream end, one after the other) spans two packages.
  for (const def of defs) def.file = defFile(pkgs, def);
  const planted = planDeadlocks(r, defs, Math.max(2, Math.round(n / 200)), { kinds: ["cross-package"], typeOnlyBackCalls: true });
  distributeHandlers(r, defs, n * perFile, planted.minHandlers);
  planted.apply();

  const uses = packageDependencies(r, pkgs);
  const layout = workspaceLayout(libs[0]!.file, uses);
  const out = new Map<string, string>();
  const stats: Stats = { calls: 0, sends: 0, sleeps: 0, ingressCalls: 0 };
  const libsOf = (pkg: string) => libs.filter((l) => packageDir(l.file) === pkg);
  for (const lib of libs) out.set(lib.file, emitLib(r, lib, libsOf(packageDir(lib.file)), layout));
  const helpers = libs.filter((l) => l.helpers.length > 0);
  for (const def of defs) {
    // Handlers mostly run their own package's helpers; a package without any borrows others'.
    const own = helpers.filter((l) => packageDir(l.file) === packageDir(def.file));
    out.set(def.file, emitDef(r, def, defs, own.length > 0 ? own : helpers, stats, layout));
  }
  for (let i = 0; i < ingressCount; i++) {
    const file = `${pkgs[i % count]}/src/clients/${DOMAINS[i % domains.length]}-${NOUNS[i % NOUNS.length]}-${i}.ts`;
    out.set(file, emitIngress(r, file, defs.filter((d) => uses.get(pkgs[i % count]!)!.has(packageDir(d.file))), stats, layout));
  }
  for (const pkg of pkgs) out.set(`${pkg}/src/index.ts`, emitPackageIndex(pkg, libs, defs, layout));
  const main = `${pkgs[count - 1]}/src/main.ts`;
  out.set(main, emitWorkspaceMain(main, pkgs, layout));

  const meta: Record<string, string> = {
    "package.json": json({
      name: `restate-bench-workspace-${n}-${count}-${seed}`,
      private: true,
      type: "module",
      workspaces: ["packages/*"],
      devDependencies: { typescript: "^5.9.3" },
    }),
    "tsconfig.base.json": TSCONFIG_BASE,
    ".gitignore": "node_modules/\ndist/\n*.log\n",
  };
  pkgs.forEach((pkg, i) => {
    meta[`${pkg}/package.json`] = packageJson(pkg, i, out);
    meta[`${pkg}/tsconfig.json`] = packageTsconfig(i);
  });
  const written = writeProject(options.dir, meta, out, "@restatedev/", "// expect: ");
  if (out.size !== n) throw new Error(`generateWorkspace: wrote ${out.size} files, meant ${n}`);
  const texts = [...out.values()].join("\n");

  return {
    ...writtenManifest(options.dir, out, written, defs, stats, planted),
    shape: "workspace",
    packages: count,
    sourcePackages: pkgs.filter((_, i) => !builtPackage(i)).length,
    builtPackages: pkgs.filter((_, i) => builtPackage(i)).length,
    crossPackageImports: texts.match(new RegExp(`^import .* from "${SCOPE}/p\\d+";$`, "gm"))?.length ?? 0,
    internalImports: texts.match(/^import .* from "#internal\/[^"]+";$/gm)?.length ?? 0,
    seed,
    ingressFiles: ingressCount,
    barrelFiles: count,
  };
}

// ---------------------------------------------------------------------------------------------
// Layout

/** `packages/p07` (zero-padded to the width of the largest number). */
function packageName(i: number, count: number): string {
  return `packages/p${String(i).padStart(Math.max(2, String(count - 1).length), "0")}`;
}

/** `packages/p07` of `packages/p07/src/...`. */
function packageDir(file: string): string {
  return file.split("/").slice(0, 2).join("/");
}

/** Odd packages export a build (`dist/`) that is never made. */
function builtPackage(i: number): boolean {
  return i % 2 === 1;
}

/** Round-robin over the packages; every other module of a package sits in `src/internal/`. */
function placement(pkgs: readonly string[], index: number): { pkg: string; internal: boolean } {
  return { pkg: pkgs[index % pkgs.length]!, internal: Math.floor(index / pkgs.length) % 2 === 1 };
}

function libFile(pkgs: readonly string[], lib: LibModule): string {
  const { pkg, internal } = placement(pkgs, lib.index);
  // The flat generator's names are unique per area folder: keep the area in the file name.
  const base = `${lib.area}-${path.posix.basename(lib.file, ".ts")}`;
  return `${pkg}/src/${internal ? "internal" : "lib"}/${base}.ts`;
}

function defFile(pkgs: readonly string[], def: Def): string {
  const { pkg, internal } = placement(pkgs, def.index);
  return `${pkg}/src/${internal ? "internal/" : ""}${path.posix.basename(def.file)}`;
}

/**
 * Which packages each package may import (itself included): p00, which holds the payload types,
 * and up to three more of lower numbers, so the packages form a graph without cycles (but for
 * the planted deadlocks), as workspaces do.
 */
function packageDependencies(r: Random, pkgs: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  pkgs.forEach((pkg, i) => {
    const deps = new Set([pkg, pkgs[0]!]);
    for (let k = r.int(0, 3); k > 0 && i > 1; k--) deps.add(pkgs[r.int(1, i - 1)]!);
    out.set(pkg, deps);
  });
  return out;
}

const INTERNAL = /^packages\/[^/]+\/src\/internal\/(.+)\.ts$/;

/**
 * Another package by its name (its src/index.ts re-exports every module), a module of the same
 * package's `src/internal/` through `#internal/*`, any other one by its relative path.
 */
function workspaceLayout(typesFile: string, uses: ReadonlyMap<string, ReadonlySet<string>>): Layout {
  return {
    typesFile,
    specifier(from, to) {
      const pkg = packageDir(to);
      if (packageDir(from) !== pkg) return `${SCOPE}/${path.posix.basename(pkg)}`;
      const internal = INTERNAL.exec(to);
      return internal ? `#internal/${internal[1]}` : specifier(from, to);
    },
    // The package index is the barrel; within the package itself, the module.
    barrel: (lib) => lib.file,
    callees: (def, defs) => defs.filter((d) => uses.get(packageDir(def.file))!.has(packageDir(d.file))),
  };
}

// ---------------------------------------------------------------------------------------------
// Files

/** Re-exports every definition and helper module of the package, and lists what it serves. */
function emitPackageIndex(pkg: string, libs: readonly LibModule[], defs: readonly Def[], layout: Layout): string {
  const file = `${pkg}/src/index.ts`;
  const mine = <T extends { file: string }>(xs: readonly T[]) => xs.filter((x) => packageDir(x.file) === pkg).sort((a, b) => a.file.localeCompare(b.file));
  const served = mine(defs);
  return [
    ...served.map((d) => `import { ${d.varName} } from "${layout.specifier(file, d.file)}";`),
    ``,
    ...[...mine(libs), ...served].map((m) => `export * from "${layout.specifier(file, m.file)}";`),
    ``,
    `/** Everything this package's deployment serves. */`,
    `export const services = [${served.map((d) => d.varName).join(", ")}];`,
    ``,
  ].join("\n");
}

function emitWorkspaceMain(file: string, pkgs: readonly string[], layout: Layout): string {
  const alias = (pkg: string) => `${path.posix.basename(pkg)}Services`;
  return [
    `import * as restate from "@restatedev/restate-sdk";`,
    ...pkgs.map((pkg) => `import { services as ${alias(pkg)} } from "${layout.specifier(file, `${pkg}/src/index.ts`)}";`),
    ``,
    `restate.serve({`,
    `  services: [${pkgs.map((pkg) => `...${alias(pkg)}`).join(", ")}],`,
    `  port: Number(process.env.PORT ?? 9080),`,
    `});`,
    ``,
  ].join("\n");
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The package's manifest, with the workspace packages and SDKs its sources import as dependencies. */
function packageJson(pkg: string, i: number, sources: ReadonlyMap<string, string>): string {
  const deps = new Set<string>();
  for (const [file, text] of sources) {
    if (packageDir(file) !== pkg) continue;
    for (const m of text.matchAll(/ from "(@bench\/p\d+|@restatedev\/[\w-]+)";$/gm)) deps.add(m[1]!);
  }
  deps.delete(`${SCOPE}/${path.posix.basename(pkg)}`);
  const dependencies = Object.fromEntries([...deps].sort().map((d) => [d, d.startsWith(SCOPE) ? "*" : "^1.17.2"]));
  const exports = builtPackage(i) ? { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } } : { ".": "./src/index.ts" };
  return json({
    name: `${SCOPE}/${path.posix.basename(pkg)}`,
    version: "0.0.0",
    private: true,
    type: "module",
    exports,
    imports: { "#internal/*": "./src/internal/*.ts" },
    dependencies,
  });
}

function packageTsconfig(i: number): string {
  const own = builtPackage(i) ? { compilerOptions: { outDir: "dist", rootDir: "src" } } : {};
  return json({ extends: "../../tsconfig.base.json", ...own, include: ["src"] });
}

const TSCONFIG_BASE = json({
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    skipLibCheck: true,
    // The built packages have no dist/ in a fresh checkout: their names lead to their sources.
    paths: { [`${SCOPE}/*`]: ["./packages/*/src/index.ts"] },
  },
});
