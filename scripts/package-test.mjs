#!/usr/bin/env node
// Packed-package test: proves that what a user installs from npm works, not just the repo's
// working tree. It packs the package, checks the tarball, installs it into throwaway consumer
// projects with npm's strict (linked) node_modules layout, where a package can only resolve what
// it declares, and lints the demo system there with the consumer's own ESLint. The findings must
// equal those of the repo's own build on the same files, so nothing here hard-codes a finding.
//
//   node scripts/package-test.mjs [--scenarios a,b,c,d] [--keep] [--keep-going]
//
// Needs the npm registry (see test/package/README.md). Plain Node: node: built-ins only.

import { spawn } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DEMO = path.join(REPO, "fixtures/demo");
const started = performance.now();

const { values: opts } = parseArgs({
  options: {
    scenarios: { type: "string", default: "a,b,c,d" },
    keep: { type: "boolean", default: false },
    "keep-going": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  console.log(`usage: node scripts/package-test.mjs [--scenarios a,b,c,d] [--keep] [--keep-going]
  --scenarios   run only these scenarios (the package checks always run)
  --keep        keep the temporary projects and print where they are
  --keep-going  report every failure instead of stopping at the first`);
  process.exit(0);
}
const keepGoing = opts["keep-going"];

const repoPkg = readJson(path.join(REPO, "package.json"));
// Consumers get the versions the repo develops against, so the test follows upgrades.
const DEV = repoPkg.devDependencies ?? {};

const SCENARIOS = [
  // The oldest ESLint the peer range admits.
  { id: "a", eslint: "9.0.0", go: false },
  { id: "b", eslint: DEV.eslint, go: false, measureLoad: true },
  // 9.6.0 is the first ESLint with the `language` config key, which Go files need.
  { id: "c", eslint: "9.6.0", go: true },
  { id: "d", eslint: DEV.eslint, go: true },
];
for (const s of SCENARIOS) s.label = `ESLint ${s.eslint}, ${s.go ? "Go + TypeScript" : "TypeScript only"}`;

// What a user writes. Kept here rather than as files: the repo lints every .cjs/.mjs it holds.
const CONFIGS = {
  cjs: `const restate = require("eslint-plugin-restate");\nmodule.exports = [restate.configs.recommended];\n`,
  mjs: `import restate from "eslint-plugin-restate";\nexport default [restate.configs.recommended];\n`,
  go: `import restate from "eslint-plugin-restate/go";\nexport default [restate.configs.recommended, restate.configs.go];\n`,
};
const MAIN_CONFIGS = ["recommended", "recommended-type-checked", "strict", "all"];

// ---------------------------------------------------------------------------------------------
// Failures: a stage (the package checks, or one scenario) collects them. By default the first
// one ends the run; --keep-going records it and goes on wherever the next check still makes sense.

class Failure extends Error {}

class Stage {
  constructor(name, label) {
    Object.assign(this, { name, label, failures: [], ran: false });
  }
  check(ok, message) {
    if (ok) return true;
    this.failures.push(message);
    log(`✗ ${this.name}: ${message}`);
    if (!keepGoing) throw new Failure(message);
    return false;
  }
  /** A failure after which this stage cannot go on. */
  fatal(message) {
    this.check(false, message);
    throw new Failure(message);
  }
  get result() {
    return !this.ran ? "not run" : this.failures.length ? "FAIL" : "ok";
  }
}

async function attempt(stage, body) {
  stage.ran = true;
  try {
    await body(stage);
  } catch (error) {
    if (!(error instanceof Failure)) stage.check(false, `unexpected error: ${error?.stack ?? error}`);
  }
  return stage.failures.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

function log(message) {
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);
}

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

const tempDirs = [];
function tempDir(name) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `restate-package-test-${name}-`));
  tempDirs.push(dir);
  return dir;
}
process.on("exit", () => {
  if (opts.keep) {
    if (tempDirs.length) console.log(`kept: ${tempDirs.join(" ")}`);
    return;
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

// A parent `npm run` exports its own project's settings (npm_package_*, the local prefix); the
// consumer's npm and node must see only their own project.
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_(package_|lifecycle_|config_local_prefix$)/i.test(k)),
);

function run(command, args, { cwd, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...childEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("error", (e) => resolve({ code: -1, stdout: "", stderr: String(e) }));
    child.on("close", (code) =>
      resolve({ code: code ?? 128, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
  });
}

/** Runs a snippet of JavaScript in a fresh node whose module resolution starts at `cwd`. */
function node(cwd, code, { esm = false, env } = {}) {
  return run(process.execPath, [...(esm ? ["--input-type=module"] : []), "-e", code], { cwd, env });
}

/** The JSON a probe prints after "PROBE " (other output, e.g. warnings, is ignored). */
function probeResult(stdout) {
  const line = stdout.split("\n").findLast((l) => l.startsWith("PROBE "));
  return line === undefined ? undefined : JSON.parse(line.slice(6));
}

/** `text` with the temporary project's folder and the linked layout's hashed store folders elided. */
function shorten(text, root) {
  return (root ? text.split(pathToFileURL(root).href).join("<project>").split(root).join("<project>") : text).replace(
    /node_modules\/\.store\/(@[^/]+\/)?[^/]+\/node_modules\//g,
    "node_modules/",
  );
}

/**
 * The line of a child's output that says what went wrong (Node's `Error [CODE]: message`), else
 * its last lines; with the store's hashed folders shortened.
 */
function errorSummary(text, root) {
  const lines = text.split("\n").filter((l) => l.trim() && !/^\s+at /.test(l));
  const error = lines.find((l) => /^(\w*Error\b|Error \[)/.test(l.trim()));
  let summary = shorten((error ?? lines.slice(-6).join("\n    ")).trim(), root);
  if (summary.includes("ERR_REQUIRE_ASYNC_MODULE"))
    summary += "\n    (the entry's module graph has top-level await, so require() cannot load it)";
  if (/ERR_MODULE_NOT_FOUND|Cannot find (package|module)/.test(summary) && summary.includes("eslint-plugin-restate/"))
    summary += "\n    (the plugin imports a package it does not declare in dependencies or peerDependencies)";
  return summary;
}

/** A message about `where`, when there is one to name. */
const at = (where, message) => (where ? `${where}: ${message}` : message);

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

async function pool(items, size, work) {
  let next = 0;
  let stop = false;
  const worker = async () => {
    while (!stop && next < items.length) if (!(await work(items[next++])) && !keepGoing) stop = true;
  };
  await Promise.all(Array.from({ length: size }, worker));
}

/** The target of a package.json "exports" entry for the given conditions. */
function exportTarget(entry, conditions) {
  if (typeof entry === "string" || entry == null) return entry ?? undefined;
  if (Array.isArray(entry)) return exportTarget(entry[0], conditions);
  for (const [condition, value] of Object.entries(entry))
    if (conditions.includes(condition)) {
      const target = exportTarget(value, conditions);
      if (target) return target;
    }
  return undefined;
}

function exportTargets(entry) {
  if (typeof entry === "string") return [entry];
  if (entry == null) return [];
  return Object.values(entry).flatMap(exportTargets);
}

// ---------------------------------------------------------------------------------------------
// The tarball.

/** The files of an npm tarball (ustar with pax headers for long names), without `package/`. */
function readTarball(file) {
  const data = gunzipSync(readFileSync(file));
  const files = new Map();
  let paxPath;
  for (let offset = 0; offset + 512 <= data.length; ) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, length) => header.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1) || "0";
    const body = data.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "x") {
      paxPath = /\d+ path=([^\n]*)\n/.exec(body.toString("utf8"))?.[1];
      continue;
    }
    const prefix = field(345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    paxPath = undefined;
    if (type === "0") files.set(name.replace(/^package\//, ""), body);
  }
  return files;
}

// Static imports and re-exports as tsc emits them: each starts a line. Dynamic import() and
// require() are left out because rule messages quote such calls; the installs catch those.
const STATIC_IMPORT = /^(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm;

function checkTarball(t, files) {
  const names = [...files.keys()];
  const pkg = JSON.parse(files.get("package.json").toString("utf8"));

  t.check(
    names.some((n) => /^licen[cs]e(\.|$)/i.test(n)),
    "the package has no LICENSE file (the MIT licence asks for its text to travel with the code)",
  );
  const missingMeta = ["repository", "bugs", "homepage"].filter((k) => !pkg[k]);
  t.check(!missingMeta.length, `package.json lacks ${missingMeta.join(", ")} (npm's package page links to them)`);

  // A map whose sources are missing makes debuggers and stack-trace tools show nothing useful.
  const badMaps = [];
  for (const [name, body] of files) {
    if (!name.endsWith(".map")) continue;
    const map = JSON.parse(body.toString("utf8"));
    const missing = (map.sources ?? []).filter((source, i) => {
      if (map.sourcesContent?.[i] != null) return false;
      return !files.has(path.posix.join(path.posix.dirname(name), map.sourceRoot ?? "", source));
    });
    if (missing.length) badMaps.push(`${name} -> ${path.posix.join(path.posix.dirname(name), missing[0])}`);
  }
  t.check(
    !badMaps.length,
    `${badMaps.length} source maps point at sources the package does not ship, e.g. ${badMaps[0]} ` +
      "(ship the sources, inline them with inlineSources, or do not ship the maps)",
  );
  const danglingMapRefs = names.filter((name) => {
    const ref = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(files.get(name).toString("utf8"))?.[1];
    return /\.(c|m)?js$|\.d\.ts$/.test(name) && ref && !ref.startsWith("data:") && !files.has(path.posix.join(path.posix.dirname(name), ref));
  });
  t.check(!danglingMapRefs.length, `files name source maps the package does not ship, e.g. ${danglingMapRefs[0]}`);

  const entryPoints = [...exportTargets(pkg.exports), pkg.main, ...Object.values(pkg.bin ?? {})]
    .filter((p) => p && !p.includes("*"))
    .map((p) => path.posix.normalize(p));
  const absent = [...new Set(entryPoints)].filter((p) => !files.has(p));
  t.check(!absent.length, `package.json points at files the package does not ship: ${absent.join(", ")}`);

  const declared = new Set([
    pkg.name,
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ]);
  const undeclared = new Map();
  for (const [name, body] of files) {
    if (!/\.(c|m)?js$/.test(name)) continue;
    for (const match of body.toString("utf8").matchAll(STATIC_IMPORT)) {
      const specifier = match[1] ?? match[2];
      if (/^(\.|\/|node:)/.test(specifier)) continue;
      const parts = specifier.split("/");
      const dep = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
      if (!builtinModules.includes(dep) && !declared.has(dep) && !undeclared.has(dep)) undeclared.set(dep, name);
    }
  }
  t.check(
    !undeclared.size,
    "the package imports packages it does not declare (they resolve only where something else installs them): " +
      [...undeclared].map(([dep, file]) => `${dep} (${file})`).join(", "),
  );
}

// ---------------------------------------------------------------------------------------------
// Loading the plugin: a probe in a fresh node reports what the entry exports and whether loading
// it ran any tree-sitter code. The inspector sees every script V8 compiles, CommonJS and ESM alike,
// which neither require.cache nor NODE_DEBUG covers.

const PROBE_PRELUDE = `
const scripts = [];
const session = new inspector.Session();
session.connect();
session.on("Debugger.scriptParsed", (m) => scripts.push(m.params.url));
session.post("Debugger.enable");
const report = (plugin) => console.log("PROBE " + JSON.stringify({
  keys: Object.keys(plugin ?? {}),
  configs: Object.keys(plugin?.configs ?? {}),
  languages: Object.keys(plugin?.languages ?? {}),
  rules: Object.keys(plugin?.rules ?? {}).length,
  treeSitter: scripts.filter((u) => /[\\\\/]node_modules[\\\\/](web-tree-sitter|tree-sitter-[^\\\\/]+)[\\\\/]/.test(u)),
}));
`;
const REQUIRE_PROBE = `const inspector = require("node:inspector");${PROBE_PRELUDE}
report(require(process.env.PROBE_SPECIFIER));`;
const IMPORT_PROBE = `import inspector from "node:inspector";${PROBE_PRELUDE}
report((await import(process.env.PROBE_SPECIFIER)).default);`;

/**
 * Loads `specifier` in `cwd` the given way (`how`: require or import) and checks it is the plugin
 * with `configs` and `languages`, and that no tree-sitter code ran unless `treeSitterAllowed`.
 */
async function checkLoad(t, cwd, how, specifier, { configs, languages = [], treeSitterAllowed = false, where = "" }) {
  const call = how === "require" ? `require("${specifier}")` : `import("${specifier}")`;
  const r = await node(cwd, how === "require" ? REQUIRE_PROBE : IMPORT_PROBE, {
    esm: how === "import",
    env: { PROBE_SPECIFIER: specifier },
  });
  const probe = r.code === 0 ? probeResult(r.stdout) : undefined;
  if (!t.check(probe, at(where, `${call} failed: ${errorSummary(r.stderr || r.stdout, cwd)}`))) return;
  const missing = [...configs.map((c) => `configs.${c}`), ...languages.map((l) => `languages.${l}`)].filter((name) => {
    const [kind, key] = name.split(/\.(.*)/);
    return !probe[kind].includes(key);
  });
  t.check(
    !missing.length && probe.rules > 0,
    at(where, `${call} gave an object without ${missing.join(", ") || "rules"} (its keys: ${probe.keys.join(", ")})`),
  );
  if (!treeSitterAllowed && probe.treeSitter.length)
    t.check(false, at(where, `${call} loaded ${shorten(probe.treeSitter[0], cwd)}; TypeScript users must not pay for Go`));
}

// ---------------------------------------------------------------------------------------------
// Findings.

/** Lints `patterns` in `cwd` with the repo's own ESLint and build: what every install must match. */
const EXPECTED_PROBE = `
const { ESLint } = await import("eslint");
const job = JSON.parse(process.env.PROBE_JOB);
const mod = await import(job.entry);
const plugin = mod.default ?? mod;
const missing = job.configs.filter((name) => !plugin.configs?.[name]);
if (missing.length) throw new Error("the plugin has no configs." + missing.join(", configs."));
const eslint = new ESLint({ cwd: job.cwd, overrideConfigFile: true, overrideConfig: job.configs.map((n) => plugin.configs[n]) });
console.log("PROBE " + JSON.stringify(await eslint.lintFiles(job.patterns)));
`;

async function repoFindings(t, entryFile, configs, patterns) {
  const job = { entry: pathToFileURL(path.join(REPO, entryFile)).href, configs, patterns, cwd: DEMO };
  // In the repo, so that "eslint" is the repo's own.
  const r = await node(REPO, EXPECTED_PROBE, { esm: true, env: { PROBE_JOB: JSON.stringify(job) } });
  const results = r.code === 0 ? probeResult(r.stdout) : undefined;
  if (!t.check(results, `linting the demo with the repo's build (${entryFile}) failed: ${errorSummary(r.stderr)}`)) return;
  return normalize(results, DEMO);
}

function normalize(results, root) {
  return results.flatMap((result) =>
    result.messages.map((m) => ({
      file: path.relative(root, result.filePath).split(path.sep).join("/"),
      ruleId: m.ruleId,
      line: m.line,
      message: m.message,
      fatal: Boolean(m.fatal),
    })),
  );
}

const findingKey = (f) => `${f.file}:${f.line} ${f.ruleId}`;

/** Items of `a` not matched one-to-one in `b`. */
function multisetMinus(a, b) {
  const left = new Map();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  return a.filter((x) => {
    const n = left.get(x) ?? 0;
    if (n) left.set(x, n - 1);
    return !n;
  });
}

async function lintConsumer(t, dir, configFile, patterns) {
  const eslintBin = path.join(dir, "node_modules/.bin/eslint");
  const r = await run(process.execPath, [eslintBin, "--format", "json", "-c", configFile, ...patterns], { cwd: dir });
  // ESLint exits 1 when it reports problems, 2 when it cannot run.
  let results;
  try {
    results = r.code <= 1 ? JSON.parse(r.stdout) : undefined;
  } catch {
    results = undefined;
  }
  if (!t.check(results, `eslint -c ${configFile} exited ${r.code}: ${errorSummary(r.stderr || r.stdout, dir)}`))
    return;
  return normalize(results, dir);
}

function checkFindings(t, where, actual, expected, { go }) {
  const fatal = actual.filter((f) => f.fatal);
  const parseErrors = fatal.map((f) => `${f.file}:${f.line} (${f.message})`).join(", ");
  t.check(!fatal.length, at(where, `ESLint could not parse ${parseErrors}`));
  if (!t.check(expected, at(where, "no expected findings to compare with (the package stage failed)"))) return;
  const actualKeys = actual.map(findingKey).sort();
  const expectedKeys = expected.map(findingKey).sort();
  const missing = multisetMinus(expectedKeys, actualKeys);
  const extra = multisetMinus(actualKeys, expectedKeys);
  const show = (keys) => keys.slice(0, 8).join("; ") + (keys.length > 8 ? `; … ${keys.length - 8} more` : "");
  t.check(
    !missing.length && !extra.length,
    at(where, `findings differ from the repo's own build (${actual.length} vs ${expected.length})`) +
      (missing.length ? `\n    missing: ${show(missing)}` : "") +
      (extra.length ? `\n    unexpected: ${show(extra)}` : ""),
  );
  t.check(
    actual.some((f) => f.ruleId === "restate/no-deadlock"),
    at(where, "no restate/no-deadlock finding in the demo (it has deadlocks)"),
  );
  if (go) {
    const goFindings = actual.filter((f) => f.file.endsWith(".go"));
    t.check(goFindings.length > 0, at(where, "no findings in the Go files"));
  }
  const unfilled = actual.filter((f) => f.message.includes("{{"));
  const shown = unfilled.map((f) => `${findingKey(f)} "${f.message}"`).join("; ");
  t.check(!unfilled.length, at(where, `messages with unfilled placeholders: ${shown}`));
}

// ---------------------------------------------------------------------------------------------
// node_modules: what a user downloads and what runs on install.

/**
 * Every package folder under `root` (real folders only, so the linked layout's symlinks count
 * once), and the apparent size in bytes of everything there, each inode counted once, as du -sb.
 */
function inventory(root) {
  const packages = [];
  const seen = new Set();
  let bytes = 0;
  const visit = (stat) => {
    const key = `${stat.dev}:${stat.ino}`;
    if (!seen.has(key)) bytes += stat.size;
    seen.add(key);
  };
  const walk = (dir, kind) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      visit(lstatSync(file));
      if (!entry.isDirectory()) continue;
      let childKind = entry.name === "node_modules" ? "node_modules" : "other";
      if (kind === "node_modules" && entry.name.startsWith("@")) childKind = "scope";
      else if ((kind === "node_modules" && !entry.name.startsWith(".")) || kind === "scope") {
        const manifest = path.join(file, "package.json");
        if (existsSync(manifest)) packages.push(describePackage(file, readJson(manifest)));
      }
      walk(file, childKind);
    }
  };
  visit(lstatSync(root));
  walk(root, "node_modules");
  return { packages, bytes };
}

function describePackage(dir, manifest) {
  const scripts = manifest.scripts ?? {};
  let installScript = ["preinstall", "install", "postinstall"]
    .filter((s) => scripts[s])
    .map((s) => `${s}: ${scripts[s]}`)
    .join("; ");
  // npm runs `node-gyp rebuild` for a binding.gyp when the package names no install script.
  if (!installScript && manifest.gypfile !== false && existsSync(path.join(dir, "binding.gyp")))
    installScript = "binding.gyp: node-gyp rebuild";
  const deps = Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies });
  return { name: manifest.name, version: manifest.version, installScript, deps };
}

// ---------------------------------------------------------------------------------------------
// The stages.

const ctx = {};

async function preparePackage(t) {
  const [major, minor] = process.versions.node.split(".").map(Number);
  t.check(major > 20 || (major === 20 && minor >= 19), `Node ${process.versions.node}: the package needs Node >= 20.19`);

  const tail = (r) => (r.stdout + r.stderr).trim().split("\n").slice(-15).join("\n");
  // npm pack builds by itself when the package has a prepack (or prepare) script.
  if (!repoPkg.scripts?.prepack && !repoPkg.scripts?.prepare) {
    log("npm run build");
    const build = await run("npm", ["run", "build"], { cwd: REPO });
    if (build.code) t.fatal(`npm run build failed:\n${tail(build)}`);
  }

  log("npm pack");
  const packDir = tempDir("pack");
  const pack = await run("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: REPO });
  if (pack.code) t.fatal(`npm pack failed:\n${tail(pack)}`);
  const [{ filename }] = JSON.parse(pack.stdout.slice(pack.stdout.search(/^\[/m)));
  ctx.tarball = path.join(packDir, filename);
  const files = readTarball(ctx.tarball);
  checkTarball(t, files);
  log(`packed ${filename}: ${files.size} files`);

  // The repo's build, as a user would load it (a package can import itself by name): this tells a
  // synchronous-loading problem apart from a dependency the strict layout does not provide.
  const where = "the repo's build";
  await checkLoad(t, REPO, "require", "eslint-plugin-restate", { configs: MAIN_CONFIGS, where });
  await checkLoad(t, REPO, "import", "eslint-plugin-restate", { configs: MAIN_CONFIGS, where });

  log("expected findings: the demo linted with the repo's own build and ESLint");
  const mainEntry = exportTarget(repoPkg.exports?.["."], ["import", "node", "default"]) ?? repoPkg.main;
  const goEntry = exportTarget(repoPkg.exports?.["./go"], ["import", "node", "default"]);
  const wantGo = selected.some((s) => s.go);
  if (wantGo) t.check(goEntry, `package.json "exports" has no "./go" entry (scenarios ${goIds} need it)`);
  [ctx.expectedTs, ctx.expectedGo] = await Promise.all([
    repoFindings(t, mainEntry, ["recommended"], ["src"]),
    wantGo && goEntry ? repoFindings(t, goEntry, ["recommended", "go"], ["src", "go"]) : undefined,
  ]);
  for (const [name, found] of [["TypeScript", ctx.expectedTs], ["Go", ctx.expectedGo]])
    if (found) log(`expected ${name} run: ${found.length} findings`);
}

async function install(s, t) {
  const dir = (s.dir = tempDir(s.id));
  const peers = ["@typescript-eslint/parser", "@typescript-eslint/utils", "typescript", ...(s.go ? ["web-tree-sitter"] : [])];
  const missing = ["eslint", ...peers].filter((name) => !DEV[name]);
  if (missing.length) t.fatal(`package.json devDependencies lacks ${missing.join(", ")}, whose versions the consumer gets`);
  const dependencies = {
    "eslint-plugin-restate": `file:${ctx.tarball}`,
    eslint: s.eslint,
    ...Object.fromEntries(peers.map((name) => [name, DEV[name]])),
  };
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: `restate-package-test-${s.id}`, private: true, dependencies }, null, 2),
  );
  log(`${s.id}: npm install (${s.label})`);
  // The linked layout: each package sees only what it declares, as pnpm users have it.
  const r = await run("npm", ["install", "--install-strategy=linked", "--no-audit", "--no-fund"], { cwd: dir });
  if (r.code) t.fatal(`npm install failed (exit ${r.code}): ${errorSummary(r.stderr, dir)}`);
  s.installed = true;
  log(`${s.id}: installed`);
}

async function verify(s, t) {
  const dir = s.dir;

  const { packages, bytes } = inventory(path.join(dir, "node_modules"));
  Object.assign(s, { packages: packages.length, bytes });
  log(`${s.id}: node_modules holds ${packages.length} packages, ${bytes} bytes`);
  const scripted = packages.filter((p) => p.installScript);
  t.check(
    !scripted.length,
    "installs packages with install scripts: " +
      scripted.map((p) => `${p.name}@${p.version} (${p.installScript})`).join(", "),
  );
  const unwanted = s.go ? ["tree-sitter-go"] : ["web-tree-sitter", "tree-sitter-go"];
  const pulled = packages.filter((p) => unwanted.includes(p.name));
  const requiredBy = (name) =>
    packages.filter((p) => p.deps.includes(name)).map((p) => p.name).join(", ") || "?";
  t.check(
    !pulled.length,
    `installs ${pulled.map((p) => `${p.name} (required by ${requiredBy(p.name)})`).join(", ")}` +
      (s.go ? "; the Go grammar ships inside the package" : "; a TypeScript user needs no tree-sitter"),
  );
  if (s.go) t.check(packages.some((p) => p.name === "web-tree-sitter"), "web-tree-sitter is not installed");

  // The main entry loads both ways, and never tree-sitter, even where web-tree-sitter is installed.
  await checkLoad(t, dir, "require", "eslint-plugin-restate", { configs: MAIN_CONFIGS });
  await checkLoad(t, dir, "import", "eslint-plugin-restate", { configs: MAIN_CONFIGS });
  if (s.go)
    await checkLoad(t, dir, "import", "eslint-plugin-restate/go", {
      configs: ["recommended", "go"],
      languages: ["go"],
      treeSitterAllowed: true,
    });

  // The demo's own package.json stays behind: the consumer's is the one that installed the plugin.
  for (const name of ["src", "go", "tsconfig.json"]) cpSync(path.join(DEMO, name), path.join(dir, name), { recursive: true });
  const runs = s.go
    ? [{ file: "eslint.config.mjs", text: CONFIGS.go, patterns: ["src", "go"], expected: ctx.expectedGo }]
    : [
        { file: "eslint.config.cjs", text: CONFIGS.cjs, patterns: ["src"], expected: ctx.expectedTs },
        { file: "eslint.config.mjs", text: CONFIGS.mjs, patterns: ["src"], expected: ctx.expectedTs },
      ];
  for (const { file, text, patterns, expected } of runs) {
    writeFileSync(path.join(dir, file), text);
    const found = await lintConsumer(t, dir, file, patterns);
    if (!found) continue;
    log(`${s.id}: eslint -c ${file} ${patterns.join(" ")}: ${found.length} findings`);
    checkFindings(t, file, found, expected, { go: s.go });
  }

  if (s.measureLoad) s.loadMs = await measureLoad(t, s);
}

// The cost a TypeScript user pays for the plugin itself: its peers are loaded by ESLint and the
// parser anyway, so they are imported before the clock starts.
const LOAD_PROBE = `
await import("@typescript-eslint/parser");
await import("@typescript-eslint/utils");
await import("typescript");
const start = performance.now();
await import("eslint-plugin-restate");
console.log("PROBE " + (performance.now() - start));
`;

async function measureLoad(t, s) {
  const times = [];
  for (let i = 0; i < 9; i++) {
    const r = await node(s.dir, LOAD_PROBE, { esm: true });
    const ms = r.code === 0 ? probeResult(r.stdout) : undefined;
    if (!t.check(ms !== undefined, `timing the import failed: ${errorSummary(r.stderr, s.dir)}`)) return;
    times.push(ms);
  }
  const ms = median(times);
  log(`${s.id}: import("eslint-plugin-restate") takes ${ms.toFixed(1)} ms (median of 9 processes)`);
  return ms;
}

// ---------------------------------------------------------------------------------------------

const wanted = opts.scenarios.split(",").map((s) => s.trim()).filter(Boolean);
const unknown = wanted.filter((id) => !SCENARIOS.some((s) => s.id === id));
if (unknown.length) {
  console.error(`unknown scenario ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.id).join(", ")}`);
  process.exit(2);
}
const selected = SCENARIOS.filter((s) => wanted.includes(s.id));
const goIds = selected.filter((s) => s.go).map((s) => s.id).join(", ");
for (const s of selected) s.stage = new Stage(`${s.id} (${s.label})`, s.label);

const packageStage = new Stage("package", "build, pack, package contents, repo build");
const stopped = () => !keepGoing && [packageStage, ...selected.map((s) => s.stage)].some((st) => st.failures.length);

await attempt(packageStage, preparePackage);
if (ctx.tarball && !stopped()) {
  // Installs wait on the network, so two at a time; the checks after them run one by one so
  // that the load time is measured on an otherwise idle machine.
  await pool(selected, 2, (s) => attempt(s.stage, (t) => install(s, t)));
  for (const s of selected) if (s.installed && !stopped()) await attempt(s.stage, (t) => verify(s, t));
}

// ---------------------------------------------------------------------------------------------

const rows = [
  ["scenario", "result", "packages", "node_modules bytes", "load ms"],
  [`package: ${packageStage.label}`, packageStage.result, "", "", ""],
  ...selected.map((s) => [
    `${s.id}: ${s.label}`,
    s.stage.result,
    s.packages === undefined ? "" : String(s.packages),
    s.bytes === undefined ? "" : String(s.bytes),
    s.loadMs === undefined ? "" : s.loadMs.toFixed(1),
  ]),
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
console.log("");
for (const [i, row] of rows.entries()) {
  console.log(row.map((cell, c) => (c >= 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ").trimEnd());
  if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}
console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s`);

const failed = [packageStage, ...selected.map((s) => s.stage)].filter((st) => st.failures.length);
if (failed.length) {
  console.error("");
  for (const st of failed) for (const message of st.failures) console.error(`FAIL ${st.name}: ${message}`);
  process.exit(1);
}
console.log("package test passed");
