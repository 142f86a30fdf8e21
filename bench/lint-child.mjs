// One measured ESLint run, in a process of its own so that every configuration starts cold and
// its peak memory is its own. Plain JavaScript on purpose: a TypeScript loader in this process
// would add its own start-up time and memory to every figure.
//
//   node bench/lint-child.mjs '<json task>'
//
// task: { mode: "lint" | "editor", root,
//         config: "floor" | "traversal" | "recommended" | "deadlock" | "nocycle" | "ts-recommended"
//                 | "ts-recommended-restate" | "ts-recommended-restate-warm" | "go-floor" | "go" | "go-warm",
//         plugin: absolute path of the built plugin entry,
//         editor?: { file, iterations, warmup, pauseMs, changes: ("body" | "call")[] },
//         profile?: file to write a CPU profile of the timed part to (editor mode) }
// Prints one line of JSON with the figures.
import { PerformanceObserver, constants, performance } from "node:perf_hooks";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const started = performance.now();
const task = JSON.parse(process.argv[2] ?? "{}");

const { ESLint } = await import("eslint");
const tsParser = (await import("@typescript-eslint/parser")).default;
const TS_FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"];

/** The floor every configuration shares: the TypeScript parser on the project's files, no rules. */
const floor = { files: TS_FILES, languageOptions: { parser: tsParser } };

/**
 * typescript-eslint's `recommended`, what most TypeScript projects lint with, on the same files
 * as the floor. From the `typescript-eslint` package; without it, the plugin's own flat config.
 */
async function tsRecommended() {
  let configs;
  try {
    configs = (await import("typescript-eslint")).default.configs.recommended;
  } catch {
    configs = (await import("@typescript-eslint/eslint-plugin")).default.configs["flat/recommended"];
  }
  return [floor, ...configs.map((c) => ({ ...c, files: TS_FILES }))];
}

async function configFor(name) {
  if (name === "floor") return [floor];
  if (name === "ts-recommended") return tsRecommended();
  // One core rule with next to nothing to do: what ESLint itself spends once any rule is on
  // (mostly young-generation GCs: see "Why one rule costs 10 to 15%" in bench/README.md).
  if (name === "traversal") return [floor, { files: TS_FILES, rules: { "no-debugger": "error" } }];
  if (name === "nocycle") {
    const importX = await import("eslint-plugin-import-x");
    return [
      floor,
      {
        files: TS_FILES,
        plugins: { "import-x": importX.default ?? importX },
        settings: {
          // The built-in resolver (unrs-resolver) taught NodeNext's `./x.js` ⇒ `./x.ts`; no
          // eslint-import-resolver-typescript needed.
          "import-x/resolver-next": [
            importX.createNodeResolver({
              extensions: [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json"],
              extensionAlias: { ".js": [".ts", ".tsx", ".js"], ".mjs": [".mts", ".mjs"], ".cjs": [".cts", ".cjs"] },
            }),
          ],
          "import-x/extensions": [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs"],
          "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx", ".mts", ".cts"] },
        },
        rules: { "import-x/no-cycle": "error" },
      },
    ];
  }
  // Go is the `/go` entry, next to the main one in the build.
  const entry = name.startsWith("go") ? path.join(path.dirname(task.plugin), "go/index.js") : task.plugin;
  const plugin = (await import(pathToFileURL(entry).href)).default;
  if (name === "recommended") return [floor, plugin.configs.recommended];
  if (name === "ts-recommended-restate") return [...(await tsRecommended()), plugin.configs.recommended];
  // (f) on a second run: the project index reads what the first one kept on disk.
  if (name === "ts-recommended-restate-warm") {
    return [...(await tsRecommended()), plugin.configs.recommended, { settings: { restate: { cache: task.cacheDir } } }];
  }
  // Go: the plugin's language alone (parsing and the SourceCode, no rules) is the floor.
  if (name === "go-floor") return [{ files: ["**/*.go"], plugins: { restate: plugin }, language: "restate/go" }];
  if (name === "go") return [plugin.configs.go];
  // restate.configs.go on a second run: the plugin's cache on disk from the first.
  if (name === "go-warm") return [plugin.configs.go, { settings: { restate: { cache: task.cacheDir } } }];
  if (name === "deadlock") return [floor, { files: TS_FILES, plugins: { restate: plugin }, rules: { "restate/no-deadlock": "error" } }];
  throw new Error(`unknown configuration ${name}`);
}

function countMessages(results, into) {
  for (const r of results) {
    for (const m of r.messages) {
      const key = m.fatal ? "(fatal)" : (m.ruleId ?? "(none)");
      into[key] = (into[key] ?? 0) + 1;
    }
  }
  return into;
}

function cpuMs(u) {
  return (u.user + u.system) / 1000;
}

/**
 * CPU time of the process's main thread, where ESLint and the rules run (Linux only: null
 * elsewhere). The rest of the process's CPU is V8's other threads: the optimizing compiler, which
 * compiles whatever code runs hot (the plugin's too) beside the main thread, and the garbage
 * collector's helpers. In clock ticks (10 ms on most systems).
 */
function mainThreadCpuMs() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // The fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** `getconf CLK_TCK`: 100 on Linux, whatever the kernel's HZ. */
const CLOCK_TICKS = 100;

/**
 * Counts the garbage collections from watchGc() to stop(): young-generation (scavenges) and full
 * ones (mark-compact, with the incremental marking steps and weak callbacks that belong to it).
 */
function watchGc() {
  const gc = { minorMs: 0, minorCount: 0, majorMs: 0, majorCount: 0 };
  let from = Infinity;
  let to = Infinity;
  const add = (entries) => {
    for (const e of entries) {
      if (e.startTime < from || e.startTime > to) continue;
      const kind = e.detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gc.minorMs += e.duration;
        gc.minorCount++;
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR || kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL || kind === constants.NODE_PERFORMANCE_GC_WEAKCB) {
        gc.majorMs += e.duration;
        gc.majorCount++;
      }
    }
  };
  const observer = new PerformanceObserver((list) => add(list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  from = performance.now();
  return {
    async stop() {
      to = performance.now();
      // The entries are delivered asynchronously: let the pending ones through, take any left.
      await new Promise((resolve) => setTimeout(resolve, 0));
      add(observer.takeRecords());
      observer.disconnect();
      return gc;
    },
  };
}

async function startProfile() {
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  return session;
}

async function stopProfile(session, file) {
  const { profile } = await session.post("Profiler.stop");
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * The editor's change: one more statement at the top of the file's first handler. "body": a
 * statement that is no Restate operation (most keystrokes); "call": a new send, which changes
 * what the project index knows about the file.
 */
function edited(text, i, change) {
  const handlers = text.indexOf("handlers: {");
  const at = handlers < 0 ? -1 : text.indexOf("{\n", handlers + "handlers: {".length);
  if (at < 0) return `${text}\nexport const edit${i} = ${i};\n`;
  const line = change === "call" ? `ctx.serviceSendClient({ name: "Edited${Math.abs(i)}" }).ping();` : `ctx.console.info("edit ${i}");`;
  return `${text.slice(0, at + 2)}      ${line}\n${text.slice(at + 2)}`;
}

/** The configurations that load the plugin, whose project index the lint may have used. */
const WITH_PLUGIN = new Set(["recommended", "deadlock", "ts-recommended-restate", "ts-recommended-restate-warm"]);

/**
 * How much parsing the project index did beyond ESLint's one parse per file: the files it parsed
 * itself (those a cycle search needs, read from disk ahead of ESLint or after it), how many of
 * those parses ESLint took over (in builds whose parser shares them), and the parses beyond one
 * per linted file. Read from the counters the plugin keeps for its own tests, which it does not
 * export: null when this build has none of them.
 */
async function indexParses(lintedFiles) {
  if (!WITH_PLUGIN.has(task.config)) return null;
  try {
    const built = path.dirname(task.plugin);
    // The same URLs as the plugin's own imports: the same module instances, already loaded.
    const { ProjectIndex } = await import(pathToFileURL(path.join(built, "project/index.js")).href);
    const indexes = ProjectIndex?.registry;
    if (!(indexes instanceof Map)) return null;
    const parserStats = await sharedParserStats(built);
    const files = new Set();
    let indexRequests = 0;
    for (const index of indexes.values()) {
      for (const [file, n] of index.parses) {
        files.add(file);
        indexRequests += n;
      }
    }
    const sum = (m) => [...(m?.values() ?? [])].reduce((s, n) => s + n, 0);
    const parsed = sum(parserStats?.parsed);
    const shared = sum(parserStats?.shared);
    // With the plugin's parser every real parse is counted there; with another parser ESLint
    // parses each file itself and every parse of the index is one more.
    const extraParses = parsed > 0 ? parsed - lintedFiles : indexRequests;
    return { indexFiles: files.size, indexRequests, sharedWithEslint: shared, extraParses, modelsBuilt: await modelsBuilt(built) };
  } catch {
    return null;
  }
}

/** How many models of linted files the rules built from ESLint's trees (none when their reports came from the cache); null in builds without the counter. */
async function modelsBuilt(built) {
  try {
    return (await import(pathToFileURL(path.join(built, "eslint/file-model.js")).href)).modelsBuilt?.count ?? null;
  } catch {
    return null;
  }
}

/** The counters of a parser that shares parses between ESLint and the index, in builds that have one. */
async function sharedParserStats(built) {
  try {
    return (await import(pathToFileURL(path.join(built, "eslint/parser.js")).href)).parserStats ?? null;
  } catch {
    return null;
  }
}

const overrideConfig = await configFor(task.config);
const eslint = new ESLint({ cwd: task.root, overrideConfigFile: true, overrideConfig, cache: false });
const loaded = performance.now();
const out = { config: task.config, mode: task.mode, loadMs: loaded - started };

if (task.mode === "editor") {
  const { file, iterations, warmup, pauseMs, changes = ["body"] } = task.editor;
  const filePath = path.resolve(task.root, file);
  const original = readFileSync(filePath, "utf8");
  const t0 = performance.now();
  const first = await eslint.lintText(original, { filePath });
  out.firstLintMs = performance.now() - t0;
  out.messages = countMessages(first, {});
  // Each kind of change in turn, in this one process (the index stays warm between them).
  out.edits = {};
  for (const change of changes) {
    for (let i = 0; i < warmup; i++) await eslint.lintText(edited(original, -1 - i, change), { filePath });
    // Only the edits are profiled: the first lint (which builds the project index) would swamp them.
    const session = task.profile ? await startProfile() : null;
    const cpu0 = process.cpuUsage();
    const times = [];
    for (let i = 0; i < iterations; i++) {
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const text = edited(original, i, change);
      const t = performance.now();
      await eslint.lintText(text, { filePath });
      times.push(performance.now() - t);
    }
    const editCpuMs = cpuMs(process.cpuUsage(cpu0));
    if (session) await stopProfile(session, task.profile);
    out.edits[change] = { times, medianMs: median(times), cpuPerEditMs: editCpuMs / iterations };
  }
} else {
  const gc = watchGc();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const results = await eslint.lintFiles(["."]);
  out.lintMs = performance.now() - t0;
  out.lintCpuMs = cpuMs(process.cpuUsage(cpu0));
  // Garbage collection during lintFiles: { minorMs, minorCount, majorMs, majorCount }.
  out.gc = await gc.stop();
  out.files = results.length;
  out.messages = countMessages(results, {});
}
const usage = process.resourceUsage();
out.maxRssKb = usage.maxRSS;
// CPU time (all threads of the process, GC helpers included) varies far less than wall time
// when other work competes for the cores.
out.cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
out.mainThreadCpuMs = mainThreadCpuMs();
out.heapUsedMb = process.memoryUsage().heapUsed / 2 ** 20;
// After the figures above: reading the counters must not count in them.
if (task.mode === "lint") out.index = await indexParses(out.files);
process.stdout.write(`${JSON.stringify(out)}\n`);
