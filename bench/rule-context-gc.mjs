// Why one rule with nothing to do costs 10–15% over no rules at all (the (t) row of the benchmark).
// ESLint gives each rule a context made by FileContext#extend, `Object.create(fileContext)`: with
// the per-file FileContext as a prototype, V8 allocates the context's map in old space, pointing
// at the FileContext, so every file's SourceCode (AST, tokens, scopes, traversal steps) survives
// young-generation GCs until the next full GC, and scavenges get slower. This lints every .ts file
// of a project with ESLint's Linter, in one process per configuration (alternating, --runs times):
//   none  no rules
//   rule  one rule (no-debugger)
//   flat  the same, with FileContext#extend copying the file context's six fields into a plain
//         frozen object instead (no prototype)
// and reports the medians of wall time, CPU time and GC time of the linting, and each over "none".
//
//   npm run bench -- --files 1000 --runs 1 --configs a --scaling none --editor-iterations 0 --rescan-iterations 0 --keep --dir D
//   node bench/rule-context-gc.mjs D/1000-files-seed-1 [--runs 3]
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { PerformanceObserver, constants, performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const CONFIGS = { none: "no rules", rule: "one rule (no-debugger)", flat: "one rule, context without prototype" };
const require = createRequire(import.meta.url);
const { version } = require("eslint/package.json");

/** Replaces FileContext#extend; returns a function giving how often the replacement ran. */
function flattenRuleContexts() {
  const file = path.join(path.dirname(require.resolve("eslint/package.json")), "lib/linter/file-context.js");
  if (!existsSync(file)) throw new Error(`ESLint ${version}: no ${file} (this script patches the FileContext of ESLint 9 and 10)`);
  const { FileContext } = require(file);
  if (typeof FileContext?.prototype?.extend !== "function") throw new Error(`ESLint ${version}: no FileContext#extend in ${file}`);
  let calls = 0;
  FileContext.prototype.extend = function (extension) {
    calls++;
    const { cwd, filename, physicalFilename, sourceCode, languageOptions, settings } = this;
    return Object.freeze({ cwd, filename, physicalFilename, sourceCode, languageOptions, settings, ...extension });
  };
  return () => calls;
}

async function child(config, root) {
  const calls = config === "flat" ? flattenRuleContexts() : null;
  const { Linter } = await import("eslint");
  const tsParser = (await import("@typescript-eslint/parser")).default;
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.parentPath.includes("node_modules"))
    .map((e) => path.join(e.parentPath, e.name));
  const texts = files.map((f) => readFileSync(f, "utf8"));
  const linter = new Linter({ cwd: root });
  const floor = { files: ["**/*.ts"], languageOptions: { parser: tsParser } };
  const configs = config === "none" ? [floor] : [floor, { files: ["**/*.ts"], rules: { "no-debugger": "error" } }];
  // Scavenges are minor; mark-compact, its incremental marking steps and weak callbacks major.
  const { NODE_PERFORMANCE_GC_MINOR: MINOR, NODE_PERFORMANCE_GC_MAJOR, NODE_PERFORMANCE_GC_INCREMENTAL, NODE_PERFORMANCE_GC_WEAKCB } = constants;
  const MAJOR = [NODE_PERFORMANCE_GC_MAJOR, NODE_PERFORMANCE_GC_INCREMENTAL, NODE_PERFORMANCE_GC_WEAKCB];
  const gc = { minorMs: 0, minorCount: 0, majorMs: 0, majorCount: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const key = e.detail?.kind === MINOR ? "minor" : MAJOR.includes(e.detail?.kind) ? "major" : null;
      if (!key) continue;
      gc[`${key}Ms`] += e.duration;
      gc[`${key}Count`]++;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let messages = 0;
  for (let i = 0; i < files.length; i++) messages += linter.verify(texts[i], configs, files[i]).length;
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 0)); // GC entries arrive asynchronously
  observer.disconnect();
  if (calls && calls() === 0) throw new Error("the replaced FileContext#extend was never called: this ESLint makes rule contexts elsewhere");
  const out = { config, files: files.length, messages, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, gc };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function parent(argv) {
  const root = argv.find((a, i) => !a.startsWith("--") && argv[i - 1] !== "--runs");
  const runsAt = argv.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 3;
  if (!root || !existsSync(root) || !(runs >= 1)) throw new Error("usage: node bench/rule-context-gc.mjs <project root> [--runs N]");
  const ids = Object.keys(CONFIGS);
  const results = Object.fromEntries(ids.map((id) => [id, []]));
  const load = () => os.loadavg()[0].toFixed(1);
  console.log(`ESLint ${version}, Node ${process.version}, ${os.cpus().length} CPUs, ${path.resolve(root)}, ${runs} runs`);
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < ids.length; k++) {
      const id = ids[(k + r) % ids.length];
      const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", id, path.resolve(root)], { encoding: "utf8" });
      if (run.status !== 0) throw new Error(`child (${id}) exited with ${run.status}:\n${run.stderr || run.stdout}`);
      const res = JSON.parse(run.stdout.trim().split("\n").pop());
      results[id].push(res);
      const { minorMs, minorCount, majorMs, majorCount } = res.gc;
      console.log(
        `  run ${r + 1}/${runs} ${CONFIGS[id].padEnd(36)} ${res.files} files  wall ${res.wallMs.toFixed(0)} ms  CPU ${res.cpuMs.toFixed(0)} ms  ` +
          `GC ${minorMs.toFixed(0)} ms in ${minorCount} minor, ${majorMs.toFixed(0)} ms in ${majorCount} major  load ${load()}`,
      );
    }
  }
  const m = (id, f) => median(results[id].map(f));
  const figures = (id) => [(r) => r.wallMs, (r) => r.cpuMs, (r) => r.gc.minorMs, (r) => r.gc.majorMs].map((f) => m(id, f));
  const count = (id, key) => m(id, (r) => r.gc[key]);
  const base = figures("none");
  console.log(`\nMedians; load average now ${load()}.\n\n| configuration | wall | CPU | minor GC (count) | major GC (count) | over "no rules": wall, CPU, minor GC, major GC |`);
  console.log("|---|---|---|---|---|---|");
  for (const id of ids) {
    const [wall, cpu, minor, major] = figures(id);
    const over = id === "none" ? "" : [wall, cpu, minor, major].map((v, i) => `${v >= base[i] ? "+" : "−"}${Math.abs(v - base[i]).toFixed(0)} ms`).join(", ");
    const gc = `${minor.toFixed(0)} ms (${count(id, "minorCount")}) | ${major.toFixed(0)} ms (${count(id, "majorCount")})`;
    console.log(`| ${CONFIGS[id]} | ${wall.toFixed(0)} ms | ${cpu.toFixed(0)} ms | ${gc} | ${over} |`);
  }
}

const argv = process.argv.slice(2);
if (argv[0] === "--child") await child(argv[1], argv[2]);
else parent(argv);
