#!/usr/bin/env node
// Smoke test on real code: lints folders of Restate services with every rule of the plugin and
// summarises what comes out, so that a change to a rule can be judged on code nobody wrote for
// the tests. Precision work compares the --json output before and after a change.
//
//   node scripts/smoke.mjs [options] <dir>...
//
//   --no-build         use the current dist/ instead of running `npm run build` first
//   --rule <id>        only this rule (repeatable; "no-deadlock" or "restate/no-deadlock")
//   --list <id>        print every report of this rule as `file:line message` (repeatable)
//   --json <file>      write every report (and the parsing errors and crashes) to <file>
//
// Exit status: 0 when no rule crashed, 1 on a crash, 2 when the run itself could not be done
// (bad arguments, failed build). Plain Node: node: built-ins and the repository's own eslint.

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const started = performance.now();

const USAGE = `usage: node scripts/smoke.mjs [--no-build] [--rule <id>]... [--list <id>]... [--json <file>] <dir>...`;

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      "no-build": { type: "boolean", default: false },
      rule: { type: "string", multiple: true, default: [] },
      list: { type: "string", multiple: true, default: [] },
      json: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (error) {
  fail(error.message);
}
const { values: opts, positionals } = parsed;
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
// A shell glob over a folder of checkouts also matches the files kept next to them (an earlier
// --json output): those are skipped. A path that does not exist is a typo, and stops the run.
const dirArgs = [];
for (const arg of positionals) {
  const stat = statSync(arg, { throwIfNoEntry: false });
  if (!stat) fail(`no such folder: ${arg}`);
  if (stat.isDirectory()) dirArgs.push(arg);
  else console.error(`smoke: skipping ${arg} (not a folder)`);
}
if (dirArgs.length === 0) fail("no folder given");

if (!opts["no-build"]) {
  const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: REPO, stdio: "inherit", shell: process.platform === "win32" });
  if (build.status !== 0) fail("npm run build failed");
}

// Imported only now: the build above may have just rewritten these files. The repository's own
// ESLint, so that the smoke run uses the version the tests use.
const { ESLint } = await import(pathToFileURL(path.join(REPO, "node_modules/eslint/lib/api.js")).href);
const { default: plugin } = await import(pathToFileURL(path.join(REPO, "dist/bundle/go/index.js")).href);
// configs.go turns on only the recommended rules; the smoke run wants every rule that has a Go
// implementation, and only this module knows which ones do. Same module instance as the entry's.
const { goRuleNames } = await import(pathToFileURL(path.join(REPO, "dist/bundle/go/rules.js")).href);

const allRuleIds = Object.keys(plugin.rules).map((name) => `restate/${name}`);
const ruleFilter = new Set(opts.rule.map(normaliseRuleId));
const listed = new Set(opts.list.map(normaliseRuleId));
for (const id of [...ruleFilter, ...listed]) if (!allRuleIds.includes(id)) fail(`unknown rule: ${id}`);
const wanted = (id) => ruleFilter.size === 0 || ruleFilter.has(id);

const tsRules = Object.fromEntries(Object.entries(plugin.configs.all.rules).filter(([id]) => wanted(id)));
const goRules = Object.fromEntries(goRuleNames.map((name) => `restate/${name}`).filter(wanted).map((id) => [id, "error"]));

/** Folders that hold no code of the project's own: dependencies, build output, fixtures of Go tools. */
const SKIPPED_DIRS = new Set(["node_modules", "dist", "build", "out", "coverage", "vendor", "testdata"]);
const TS_EXTENSIONS = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"]);
/** Importing one of these makes a file test code. */
const TEST_MODULES = ["vitest", "jest", "mocha", "node:test", "@jest/globals", "@restatedev/restate-sdk-testcontainers"];

const config = [
  // The files are chosen by the walk below; these ignores only repeat its choices for ESLint.
  { ignores: ["**/node_modules/", "**/dist/", "**/build/", "**/out/", "**/coverage/", "**/vendor/", "**/testdata/", "**/*.d.ts", "**/*.d.mts", "**/*.d.cts"] },
  // Real code carries disable comments for rules of other plugins; they are not what is measured.
  { linterOptions: { reportUnusedDisableDirectives: "off" } },
  // No parserOptions.project: the smoke run must work on a bare checkout, without installing its dependencies.
  { ...plugin.configs.all, name: "smoke/typescript", rules: tsRules },
  { ...plugin.configs.go, name: "smoke/go", rules: goRules },
];

console.log(
  `eslint-plugin-restate ${plugin.meta.version} smoke run: ${plural(Object.keys(tsRules).length, "rule")} on TypeScript/JavaScript ` +
    `(no type information), ${Object.keys(goRules).length} on Go`,
);
console.log(`Pre-filter: only files whose text mentions "@restatedev/" (TypeScript/JavaScript) or "github.com/restatedev/sdk-go" (Go) are linted.`);

const reports = [];
const parsingErrors = [];
const crashes = [];
const otherMessages = [];
const dirSummaries = [];

for (const dirArg of dirArgs) {
  const dir = path.resolve(dirArg);
  const dirStarted = performance.now();
  const { candidates, files } = restateFiles(dir);
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config, errorOnUnmatchedPattern: false });
  const rels = files.map((f) => f.rel);
  const results = await lintAll(eslint, dir, dirArg, rels);
  const testByRel = new Map(files.map((f) => [f.rel, f.inTest]));
  const dirReports = [];
  for (const result of results) {
    const rel = toPosix(path.relative(dir, result.filePath));
    const inTest = testByRel.get(rel) ?? isTestFile(rel, "");
    for (const m of result.messages) {
      const where = { dir: dirArg, file: rel, line: m.line ?? 0, column: m.column ?? 0 };
      if (m.fatal && /^Parsing error\b/.test(m.message)) parsingErrors.push({ ...where, message: m.message });
      else if (m.fatal) crashes.push({ ...where, ruleId: m.ruleId ?? null, message: m.message });
      else if (m.ruleId?.startsWith("restate/")) {
        dirReports.push({ ...where, ruleId: m.ruleId, messageId: m.messageId ?? null, message: m.message, inTest });
      } else otherMessages.push({ ...where, ruleId: m.ruleId ?? null, message: m.message });
    }
  }
  reports.push(...dirReports);
  const seconds = (performance.now() - dirStarted) / 1000;
  const ts = files.filter((f) => !f.rel.endsWith(".go")).length;
  dirSummaries.push({ dir: dirArg, files: files.length, typescript: ts, go: files.length - ts, candidates });

  console.log(
    `\n${dirArg}: ${files.length} files linted (${ts} TypeScript/JavaScript, ${files.length - ts} Go; ` +
      `${candidates - files.length} of ${candidates} source files skipped by the pre-filter), ${seconds.toFixed(1)} s`,
  );
  printRuleTable(dirReports, "  ");
}

console.log("\nParsing errors (not crashes):");
if (parsingErrors.length === 0) console.log("  none");
for (const p of parsingErrors) console.log(`  ${path.join(p.dir, p.file)}:${p.line} ${p.message}`);

if (otherMessages.length > 0) {
  // Not the plugin's, and no measure of it: mostly disable comments naming rules of plugins this
  // run does not load. Counted so that a change in them is noticed; the first few shown.
  console.log(`\nOther messages (not from the plugin's rules): ${otherMessages.length}`);
  for (const o of otherMessages.slice(0, 5)) console.log(`  ${path.join(o.dir, o.file)}:${o.line} ${o.message}`);
  if (otherMessages.length > 5) console.log(`  … and ${otherMessages.length - 5} more (all in --json)`);
}

console.log("\nCrashes:");
if (crashes.length === 0) console.log("  none");
for (const c of crashes) console.log(`  ${c.file ? `${path.join(c.dir, c.file)}:${c.line}` : c.dir} ${c.ruleId ?? "-"} ${c.message.split("\n")[0]}`);

console.log("\nReports per rule, all folders:");
printRuleTable(reports, "  ");

for (const id of listed) {
  const of = reports.filter((r) => r.ruleId === id);
  console.log(`\n${id}: ${plural(of.length, "report")}`);
  for (const r of of) console.log(`  ${path.join(r.dir, r.file)}:${r.line} ${r.message}${r.inTest ? " [test]" : ""}`);
}

const seconds = (performance.now() - started) / 1000;
const linted = dirSummaries.reduce((n, d) => n + d.files, 0);
const inTests = reports.filter((r) => r.inTest).length;
console.log(
  `\nTotal: ${plural(linted, "file")} in ${plural(dirSummaries.length, "folder")}, ${plural(reports.length, "report")} ` +
    `(${inTests} in test files), ${plural(crashes.length, "crash", "crashes")}, ${plural(parsingErrors.length, "parsing error")}; ` +
    `${seconds.toFixed(1)} s`,
);

if (opts.json) {
  // Sorted, and with one timing only, so that two runs diff line by line.
  reports.sort((a, b) => compare(a.dir, b.dir) || compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.ruleId, b.ruleId));
  const out = {
    plugin: plugin.meta.version,
    seconds: Math.round(seconds),
    rules: { typescript: Object.keys(tsRules), go: Object.keys(goRules) },
    dirs: dirSummaries,
    parsingErrors,
    crashes,
    otherMessages,
    reports,
  };
  writeFileSync(opts.json, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`Wrote ${reports.length} reports to ${opts.json}`);
}

process.exitCode = crashes.length > 0 ? 1 : 0;

// ---------------------------------------------------------------------------------------------

function fail(message) {
  console.error(`smoke: ${message}\n${USAGE}`);
  process.exit(2);
}

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

function normaliseRuleId(id) {
  return id.startsWith("restate/") ? id : `restate/${id}`;
}

function toPosix(p) {
  return p.split(path.sep).join("/");
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The source files under `dir` that import Restate, by a text search: linting every file of a
 * large repository costs minutes, and a file that never names a Restate package has no model.
 */
function restateFiles(dir) {
  const files = [];
  let candidates = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop();
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      // Hidden folders (.git, .github, editor settings) hold no services; symlinks are not
      // followed, so a link cannot pull a folder in twice or loop.
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith(".")) stack.push(full);
        continue;
      }
      if (!entry.isFile()) continue;
      const isGo = entry.name.endsWith(".go");
      const isTs = TS_EXTENSIONS.has(path.extname(entry.name)) && !/\.d\.[mc]?ts$/.test(entry.name);
      if (!isGo && !isTs) continue;
      candidates++;
      const text = readFileSync(full, "utf8");
      if (!text.includes(isGo ? "github.com/restatedev/sdk-go" : "@restatedev/")) continue;
      const rel = toPosix(path.relative(dir, full));
      files.push({ rel, inTest: isTestFile(rel, text) });
    }
  }
  files.sort((a, b) => compare(a.rel, b.rel));
  return { candidates, files };
}

/** Test code exercises services on purpose (ingress calls without keys, sleeps...); its reports are counted apart. */
function isTestFile(rel, text) {
  const base = rel.slice(rel.lastIndexOf("/") + 1);
  if (/\.(test|spec)\./.test(base) || base.endsWith("_test.go")) return true;
  if (rel.split("/").slice(0, -1).some((segment) => ["test", "tests", "__tests__", "e2e"].includes(segment))) return true;
  if (rel.endsWith(".go")) return goImports(text).includes("testing");
  return tsImports(text).some((spec) => TEST_MODULES.some((m) => spec === m || spec.startsWith(`${m}/`)));
}

/** Module specifiers of import/export-from statements, dynamic imports and require calls. */
function tsImports(text) {
  const out = [];
  for (const m of text.matchAll(/(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*["']([^"'\n]+)["']/g)) out.push(m[1]);
  return out;
}

/** Import paths of a Go file: `import "p"`, `import name "p"` and `import ( ... )` blocks. */
function goImports(text) {
  const out = [];
  for (const m of text.matchAll(/\bimport\s*\(([^)]*)\)/g)) for (const q of m[1].matchAll(/"([^"\n]+)"/g)) out.push(q[1]);
  for (const m of text.matchAll(/\bimport\s+(?:[\w.]+\s+)?"([^"\n]+)"/g)) out.push(m[1]);
  return out;
}

/**
 * Lints the files in one call, as a user's `eslint .` would. A rule that throws aborts ESLint's
 * whole call, which would hide every other file's reports and every other crash: then each file
 * is linted on its own, and each throw is recorded against its file.
 */
async function lintAll(eslint, dir, dirArg, rels) {
  if (rels.length === 0) return [];
  let batchError;
  try {
    return await eslint.lintFiles(rels);
  } catch (error) {
    batchError = error;
    console.log(`  ${dirArg}: ESLint threw (${error.message.split("\n")[0]}); linting file by file to find every crash`);
  }
  const results = [];
  const before = crashes.length;
  for (const rel of rels) {
    try {
      results.push(...(await eslint.lintFiles([rel])));
    } catch (error) {
      const at = /Occurred while linting (.*):(\d+)/.exec(error.message);
      crashes.push({
        dir: dirArg,
        file: at ? toPosix(path.relative(dir, at[1])) : rel,
        line: at ? Number(at[2]) : 0,
        column: 0,
        ruleId: error.ruleId ?? null,
        message: error.stack ?? error.message,
      });
    }
  }
  // A throw that needs the files linted together (the whole-program index) is still a crash.
  if (crashes.length === before) crashes.push({ dir: dirArg, file: "", line: 0, column: 0, ruleId: batchError.ruleId ?? null, message: batchError.stack ?? batchError.message });
  return results;
}

function printRuleTable(list, indent) {
  if (list.length === 0) {
    console.log(`${indent}no reports`);
    return;
  }
  const counts = new Map();
  for (const r of list) {
    const c = counts.get(r.ruleId) ?? { all: 0, test: 0 };
    c.all++;
    if (r.inTest) c.test++;
    counts.set(r.ruleId, c);
  }
  const width = Math.max(...[...counts.keys()].map((id) => id.length), "total".length);
  console.log(`${indent}${"rule".padEnd(width)}  reports  in tests`);
  for (const [id, c] of [...counts].sort((a, b) => compare(a[0], b[0]))) {
    console.log(`${indent}${id.padEnd(width)}  ${String(c.all).padStart(7)}  ${String(c.test).padStart(8)}`);
  }
  const test = list.filter((r) => r.inTest).length;
  console.log(`${indent}${"total".padEnd(width)}  ${String(list.length).padStart(7)}  ${String(test).padStart(8)}`);
}
