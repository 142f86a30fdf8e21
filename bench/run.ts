/**
 * The performance benchmark: `npm run bench [-- options]` (builds the plugin first).
 *
 * Generates a Restate project (bench/generate.ts; with --shape workspace an npm workspace of
 * packages, bench/generate-workspace.ts; with --shape realistic one shaped like public Restate
 * repositories, bench/generate-realistic.ts) and lints it with seven configurations, each in a fresh
 * `node` process (bench/lint-child.mjs), alternating them and repeating:
 *   (a) @typescript-eslint/parser and no rules — the floor
 *   (t) + one core rule (no-debugger): what ESLint spends once any rule is on
 *   (b) + restate's recommended config
 *   (c) + restate/no-deadlock alone
 *   (d) + import-x/no-cycle alone (the usual cross-file rule, for comparison)
 *   (e) typescript-eslint's recommended config — what TypeScript projects actually run
 *   (f) (e) + restate's recommended config: (f)/(e) is what adding the plugin costs a user
 * then the same at other project sizes (scaling), and the editor case: one process re-linting one
 * file with ESLint#lintText, its text changed each time. With --go, also a Go project of the same
 * size and shape (bench/generate-go.ts), linted with `restate.configs.go`, against (b) on the
 * TypeScript project: the cost per file of each.
 *
 * Options:
 *   --files N               project size (default 1000 source files, 5 handlers per file)
 *   --runs N                runs per configuration (default 5)
 *   --seed N                generator seed (default 1)
 *   --shape flat|workspace|realistic
 *                           flat: one package (default); workspace: an npm workspace whose packages
 *                           import one another by name; realistic: one package like public Restate
 *                           repositories, objects calling their own key, e2e tests (see bench/README.md)
 *   --packages N            packages of the workspace shape (default 50; at most files / 10)
 *   --configs a,t,b,c,d,e,f which configurations to run
 *   --scaling 250,500,...   project sizes for the scaling series, or "none" (default 250,500,1000,2000)
 *   --scaling-runs N        runs per configuration and size (default 3)
 *   --scaling-configs a,b,c configurations of the scaling series (default a,b,c)
 *   --editor-iterations N   edits timed in the editor case (default 50; 0 skips it)
 *   --rescan-iterations N   edits timed with a pause before each (the index looks at the disk after each
 *                           lint), for the floor and (b) (default 20)
 *   --profile               also profile (b) and (c) once (`node --cpu-prof`) and the editor's edits, and
 *                           summarise where the plugin's time goes (profiles kept in DIR)
 *   --go                    also measure the Go project: restate/go with no rules (the Go floor),
 *                           restate.configs.go, and (b) on the TypeScript project, `--runs` times each;
 *                           reported per file, with the ratio Go / TypeScript
 *   --json FILE             write every figure to FILE
 *   --dir DIR               where projects are generated (default: the OS temp folder)
 *   --keep                  keep the generated projects
 */
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ProjectManifest, type ProjectShape, generateProject } from "./generate.js";
import { type WorkspaceManifest, generateWorkspace } from "./generate-workspace.js";
import { type RealisticManifest, generateRealistic } from "./generate-realistic.js";
import { type GoProjectManifest, generateGoProject } from "./generate-go.js";
import { type ProfileSummary, formatProfile, summariseProfile } from "./profile.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const CHILD = path.join(here, "lint-child.mjs");
/** The built plugin: the file the package's main entry points at, what users load. */
const BUILT = packageEntry(repo);

function packageEntry(root: string): string {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { exports?: { ".": { default: string } }; main?: string };
  return path.join(root, pkg.exports?.["."].default ?? pkg.main ?? "dist/src/index.js");
}

/**
 * A copy of the built plugin, so that a rebuild while the benchmark runs (it takes minutes)
 * cannot mix two versions into one set of figures. Its node_modules link to the repository's.
 */
function snapshotPlugin(dir: string): string {
  const root = path.join(dir, "plugin");
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(path.join(repo, "dist"), path.join(root, "dist"), { recursive: true });
  cpSync(path.join(repo, "package.json"), path.join(root, "package.json"));
  symlinkSync(path.join(repo, "node_modules"), path.join(root, "node_modules"), "junction");
  return packageEntry(root);
}

export type ConfigId = "a" | "t" | "b" | "c" | "d" | "e" | "f" | "w" | "x";
export const CONFIG_IDS: readonly ConfigId[] = ["a", "t", "b", "c", "d", "e", "f", "w", "x"];
const CONFIGS: Record<ConfigId, { child: string; label: string }> = {
  a: { child: "floor", label: "(a) parser, no rules (floor)" },
  t: { child: "traversal", label: "(t) + one core rule (no-debugger)" },
  b: { child: "recommended", label: "(b) + restate recommended" },
  c: { child: "deadlock", label: "(c) + restate/no-deadlock" },
  d: { child: "nocycle", label: "(d) + import-x/no-cycle" },
  e: { child: "ts-recommended", label: "(e) typescript-eslint recommended" },
  f: { child: "ts-recommended-restate", label: "(f) (e) + restate recommended" },
  w: { child: "ts-recommended-restate-warm", label: "(w) (f), warm index cache" },
  x: { child: "ts-recommended-restate-warm", label: "(x) (w) after a one-file edit" },
};

/**
 * The edit before each run of (x) and of Go's edited warm run: a comment appended to one Restate
 * file, different each time, so that the file's text (and with it the project) has changed since
 * the cache was written, while no Restate fact has. The mildest edit a user makes.
 */
function editOneFile(file: string, run: number): void {
  appendFileSync(file, `\n// edited before run ${run + 1}\n`);
}

export interface Options {
  files: number;
  shape: ProjectShape;
  packages: number;
  runs: number;
  seed: number;
  configs: ConfigId[];
  scaling: number[];
  scalingRuns: number;
  scalingConfigs: ConfigId[];
  editorIterations: number;
  rescanIterations: number;
  profile: boolean;
  go: boolean;
  json: string | null;
  dir: string;
  keep: boolean;
}

export function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    files: 1000,
    shape: "flat",
    packages: 50,
    runs: 5,
    seed: 1,
    configs: [...CONFIG_IDS],
    scaling: [250, 500, 1000, 2000],
    scalingRuns: 3,
    scalingConfigs: ["a", "b", "c"],
    editorIterations: 50,
    rescanIterations: 20,
    profile: false,
    go: false,
    json: null,
    dir: path.join(os.tmpdir(), "eslint-plugin-restate-bench"),
    keep: false,
  };
  const ids = (v: string): ConfigId[] => {
    const list = v.split(",").map((s) => s.trim());
    for (const id of list) if (!CONFIG_IDS.includes(id as ConfigId)) throw new Error(`unknown configuration "${id}" (${CONFIG_IDS.join(", ")})`);
    return list as ConfigId[];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const int = (): number => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0) throw new Error(`${arg} needs a whole number`);
      return v;
    };
    switch (arg) {
      case "--files":
        o.files = int();
        break;
      case "--shape": {
        const v = value();
        if (v !== "flat" && v !== "workspace" && v !== "realistic") throw new Error(`--shape is flat, workspace or realistic (got ${v})`);
        o.shape = v;
        break;
      }
      case "--packages":
        o.packages = int();
        if (o.packages < 2) throw new Error("--packages needs at least 2");
        break;
      case "--runs":
        o.runs = Math.max(1, int());
        break;
      case "--seed":
        o.seed = int();
        break;
      case "--configs":
        o.configs = ids(value());
        break;
      case "--scaling": {
        const v = value();
        o.scaling = v === "none" ? [] : v.split(",").map((s) => Number(s));
        if (o.scaling.some((s) => !Number.isInteger(s) || s < 20)) throw new Error("--scaling sizes must be whole numbers >= 20");
        break;
      }
      case "--scaling-runs":
        o.scalingRuns = Math.max(1, int());
        break;
      case "--scaling-configs":
        o.scalingConfigs = ids(value());
        break;
      case "--editor-iterations":
        o.editorIterations = int();
        break;
      case "--rescan-iterations":
        o.rescanIterations = int();
        break;
      case "--profile":
        o.profile = true;
        break;
      case "--go":
        o.go = true;
        break;
      case "--json":
        o.json = path.resolve(value());
        break;
      case "--dir":
        o.dir = path.resolve(value());
        break;
      case "--keep":
        o.keep = true;
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Child processes

interface ChildResult {
  config: string;
  mode: "lint" | "editor";
  /** Process wall time as the parent sees it: start-up, loading, linting, exit. */
  wallMs: number;
  /** CPU time of the whole process (user + system, all threads). */
  cpuMs: number;
  /** Of that, the main thread's (null where the system does not tell: only Linux does). */
  mainThreadCpuMs?: number | null;
  loadMs: number;
  lintMs?: number;
  lintCpuMs?: number;
  /** Garbage collection during `ESLint#lintFiles` (lint mode). */
  gc?: { minorMs: number; minorCount: number; majorMs: number; majorCount: number };
  files?: number;
  messages: Record<string, number>;
  maxRssKb: number;
  firstLintMs?: number;
  edits?: Partial<Record<EditKind, { times: number[]; medianMs: number; cpuPerEditMs: number }>>;
  /** 1-minute load average when the process started. */
  load: number;
  /** The project index's own parses (configurations with the plugin; null when the build does not tell). */
  index?: IndexParses | null;
}

export interface IndexParses {
  /** Files the index parsed itself: those a cycle search needs, read from disk. */
  indexFiles: number;
  indexRequests: number;
  /** Of those parses, how many ESLint took over instead of parsing the file again. */
  sharedWithEslint: number;
  /** Parses beyond one per linted file: the files parsed a second time. */
  extraParses: number;
}

/** "body": a statement that is no Restate operation (most keystrokes); "call": a new send. */
type EditKind = "body" | "call";

interface ChildTask {
  mode: "lint" | "editor";
  root: string;
  config: string;
  plugin: string;
  editor?: { file: string; iterations: number; warmup: number; pauseMs: number; changes: EditKind[] };
  profile?: string;
  /** The index cache folder of (w); every other configuration runs without a cache on disk. */
  cacheDir?: string;
}

function runChild(task: ChildTask, nodeArgs: string[] = []): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const load = os.loadavg()[0]!;
    const start = process.hrtime.bigint();
    // Cold runs measure the work itself: no index cache of an earlier run (only (w) names one).
    const env = { ...process.env, ESLINT_PLUGIN_RESTATE_CACHE: "0" };
    const child = spawn(process.execPath, [...nodeArgs, CHILD, JSON.stringify(task)], { stdio: ["ignore", "pipe", "pipe"], env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const line = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) {
        reject(new Error(`lint child (${task.config}, ${task.mode}) exited with ${code}:\n${stderr || stdout}`));
        return;
      }
      resolve({ ...(JSON.parse(line) as Omit<ChildResult, "wallMs" | "load">), wallMs, load });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Statistics

export interface Stat {
  median: number;
  min: number;
  max: number;
  /** (max − min) / median */
  spread: number;
  n: number;
}

export function stat(xs: readonly number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const min = s[0]!;
  const max = s[s.length - 1]!;
  return { median, min, max, spread: median > 0 ? (max - min) / median : 0, n: s.length };
}

export interface ConfigFigures {
  label: string;
  /** Whole process, as `npx eslint .` costs. */
  wallMs: Stat;
  /** CPU time of the whole process. */
  cpuMs: Stat;
  /**
   * Of that, the main thread's, where ESLint and the rules run; the rest is V8's other threads
   * (the optimizing compiler, the garbage collector's helpers). Null where the system does not tell.
   */
  mainThreadCpuMs: Stat | null;
  /** `ESLint#lintFiles` alone, measured inside the process. */
  lintMs: Stat;
  lintCpuMs: Stat;
  /** Garbage collection during `lintFiles`: young-generation GCs (scavenges) and full ones (mark-compact, incremental marking included). */
  gc: { minorMs: Stat; minorCount: Stat; majorMs: Stat; majorCount: Stat };
  maxRssMb: Stat;
  messages: Record<string, number>;
  /** The last run's parses by the project index; null without the plugin or when the build does not tell. */
  index: IndexParses | null;
}

function figures(id: ConfigId, runs: ChildResult[]): ConfigFigures {
  return figuresOf(CONFIGS[id].label, runs);
}

function figuresOf(label: string, runs: ChildResult[]): ConfigFigures {
  return {
    label,
    wallMs: stat(runs.map((r) => r.wallMs)),
    cpuMs: stat(runs.map((r) => r.cpuMs)),
    mainThreadCpuMs: runs.every((r) => typeof r.mainThreadCpuMs === "number") ? stat(runs.map((r) => r.mainThreadCpuMs!)) : null,
    lintMs: stat(runs.map((r) => r.lintMs ?? 0)),
    lintCpuMs: stat(runs.map((r) => r.lintCpuMs ?? 0)),
    gc: {
      minorMs: stat(runs.map((r) => r.gc?.minorMs ?? 0)),
      minorCount: stat(runs.map((r) => r.gc?.minorCount ?? 0)),
      majorMs: stat(runs.map((r) => r.gc?.majorMs ?? 0)),
      majorCount: stat(runs.map((r) => r.gc?.majorCount ?? 0)),
    },
    maxRssMb: stat(runs.map((r) => r.maxRssKb / 1024)),
    messages: runs[runs.length - 1]?.messages ?? {},
    index: runs[runs.length - 1]?.index ?? null,
  };
}

/** Where (w) keeps the project index's cache: beside the generated project, gone with it. */
function warmCacheDir(root: string): string {
  return `${root}-restate-cache`;
}

/** Runs the configurations `runs` times, rotating their order so none always goes first. */
async function measure(
  root: string,
  plugin: string,
  configs: ConfigId[],
  runs: number,
  log: (s: string) => void,
  editFile?: string,
): Promise<Record<string, ChildResult[]>> {
  const out: Record<string, ChildResult[]> = {};
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < configs.length; k++) {
      const id = configs[(k + r) % configs.length]!;
      if (id === "x" && editFile) editOneFile(editFile, r);
      const result = await runChild({ mode: "lint", root, config: CONFIGS[id].child, plugin, cacheDir: warmCacheDir(root) });
      (out[id] ??= []).push(result);
      log(
        `  run ${r + 1}/${runs} ${CONFIGS[id].label.padEnd(34)} wall ${fmtMs(result.wallMs).padStart(8)}  cpu ${fmtMs(result.cpuMs).padStart(8)}` +
          `${typeof result.mainThreadCpuMs === "number" ? ` (main thread ${fmtMs(result.mainThreadCpuMs)})` : ""}  ` +
          `${fmtMb(result.maxRssKb / 1024).padStart(7)}  load ${result.load.toFixed(1)}${result.index ? `  index read ${result.index.indexFiles} files, ${result.index.extraParses} extra parses` : ""}`,
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Output

function fmtMs(ms: number): string {
  const sign = ms < 0 ? "−" : "";
  const v = Math.abs(ms);
  return sign + (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
}

function fmtMb(mb: number): string {
  return `${mb.toFixed(0)} MB`;
}

function fmtStat(s: Stat, f: (v: number) => string): string {
  return s.n > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** A figure both from wall time (what the targets are stated in) and CPU time (steadier on a busy machine). */
export interface Pair {
  wall: number | null;
  cpu: number | null;
}

export interface Target {
  name: string;
  goal: string;
  limit: number;
  value: Pair;
  /** Judged on wall time; null when not measured. */
  met: boolean | null;
}

export interface BenchFigures {
  meta: {
    date: string;
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    command: string;
    /** The repository's commit, with "+changes" when the working tree differs from it. */
    commit: string;
    /** 1-minute load average before and after, and the mean over the measured processes. */
    load: { before: number; after: number; meanDuringRuns: number };
  };
  options: Options;
  project: Omit<ProjectManifest, "root"> | Omit<WorkspaceManifest, "root"> | Omit<RealisticManifest, "root">;
  configs: Partial<Record<ConfigId, ConfigFigures>>;
  ratios: {
    /** (f)/(e): restate's recommended config added to typescript-eslint's, the headline. */
    restateOverTsRecommended: Pair;
    /** peak RSS (f)/(e). */
    memoryRestateOverTsRecommended: number | null;
    /** (f)/(e) of the main thread's CPU: the process's CPU without V8's compiler and GC helper threads. */
    restateOverTsRecommendedMainThread: number | null;
    /** (b)/(a) for the whole process. */
    recommendedOverFloor: Pair;
    /** (b)/(t): the plugin against ESLint running any rule at all. */
    recommendedOverTraversal: Pair;
    /** ((c)−(a)) / ((d)−(a)) for the whole process. */
    deadlockCostOverNoCycleCost: Pair;
    /** peak RSS (b)/(a). */
    memoryRecommendedOverFloor: number | null;
    /**
     * The same ratios taken run by run (configurations of one round run back to back, so they
     * share the machine's load of the moment), then the median: steadier on a busy machine.
     */
    paired: {
      restateOverTsRecommended: Pair;
      /** ((w)−(e)) / ((f)−(e)): what the plugin costs on a second run with its index cache, against a cold run. */
      warmOverCold: Pair;
      /** ((x)−(e)) / ((f)−(e)): the same after a one-file edit since the cache was written. */
      editedOverCold: Pair;
      memoryRestateOverTsRecommended: number | null;
      recommendedOverFloor: Pair;
      recommendedOverTraversal: Pair;
      deadlockCostOverNoCycleCost: Pair;
      memoryRecommendedOverFloor: number | null;
    };
  };
  scaling: {
    files: number;
    handlers: number;
    wallMs: Partial<Record<ConfigId, number>>;
    cpuMs: Partial<Record<ConfigId, number>>;
    maxRssMb: Partial<Record<ConfigId, number>>;
    /** t(this size) / t(previous size) for (b). */
    growthB: Pair | null;
    /** The same for the plugin's own cost, (b)−(a). */
    growthPlugin: Pair | null;
  }[];
  editor: {
    file: string;
    iterations: number;
    floor: { firstLintMs: number; median: Stat; cpuPerEditMs: number };
    recommended: { firstLintMs: number; median: Stat; cpuPerEditMs: number; messages: Record<string, number> };
    /**
     * With a pause before each edit (longer than the index's refreshMs): the look at the disk
     * then falls due at each lint. The floor too, as a pause also cools caches.
     */
    floorRescan: { median: Stat } | null;
    recommendedRescan: { median: Stat } | null;
    /** Each edit adds a call: the file's facts change and the project is analysed again. */
    recommendedNewCall: { median: Stat; cpuPerEditMs: number } | null;
  } | null;
  profile: { b?: ProfileSummary; c?: ProfileSummary; editor?: ProfileSummary } | null;
  /** With --go: the Go project against (b) on the TypeScript project, per file. */
  go: GoFigures | null;
  targets: Target[];
  raw: { main: Record<string, ChildResult[]>; scaling: Record<string, Record<string, ChildResult[]>> };
}

export type GoConfigId = "goFloor" | "go" | "goWarm" | "goEdited" | "ts";
const GO_CONFIG_IDS: readonly GoConfigId[] = ["goFloor", "go", "goWarm", "goEdited", "ts"];
const GO_CONFIGS: Record<GoConfigId, { child: string; label: string }> = {
  goFloor: { child: "go-floor", label: "Go: restate/go language, no rules (floor)" },
  go: { child: "go", label: "Go: restate.configs.go" },
  goWarm: { child: "go-warm", label: "Go: restate.configs.go, warm cache" },
  goEdited: { child: "go-warm", label: "Go: warm cache after a one-file edit" },
  ts: { child: "recommended", label: "TypeScript: (b) recommended" },
};

export interface GoConfigFigures extends ConfigFigures {
  files: number;
  /** The same figures divided by the files linted. */
  perFile: { wallMs: Stat; cpuMs: Stat; lintMs: Stat; lintCpuMs: Stat };
}

export interface GoFigures {
  project: Omit<GoProjectManifest, "root" | "editFile">;
  configs: Record<GoConfigId, GoConfigFigures>;
  /** Per-file time of restate.configs.go on Go over (b) on TypeScript. */
  ratio: {
    /** Of the medians. */
    wall: number | null;
    cpu: number | null;
    /** `lintFiles` alone (no process start-up), CPU. */
    lintCpu: number | null;
    /** Taken within each round (back to back, same load), then the median. */
    paired: { wall: number | null; cpu: number | null };
  };
  /** The rules' work on a second run with the plugin's cache against a cold run: (warm − floor) / (cold − floor), CPU, run by run. */
  warm: number | null;
  /** The same after a one-file edit since the cache was written: (edited − floor) / (cold − floor). */
  edited: number | null;
  raw: Record<GoConfigId, ChildResult[]>;
}

function goFigures(id: GoConfigId, runs: ChildResult[]): GoConfigFigures {
  const files = runs[0]?.files ?? 0;
  const per = (xs: number[]) => stat(xs.map((x) => (files > 0 ? x / files : 0)));
  return {
    ...figuresOf(GO_CONFIGS[id].label, runs),
    files,
    perFile: {
      wallMs: per(runs.map((r) => r.wallMs)),
      cpuMs: per(runs.map((r) => r.cpuMs)),
      lintMs: per(runs.map((r) => r.lintMs ?? 0)),
      lintCpuMs: per(runs.map((r) => r.lintCpuMs ?? 0)),
    },
  };
}

/** The Go project and the TypeScript one of the same size, each configuration `runs` times in rotation. */
async function measureGo(o: Options, tsRoot: string, plugin: string, goDir: string, log: (s: string) => void): Promise<GoFigures> {
  log(`Go: generating ${o.files} files (seed ${o.seed}) in ${goDir}`);
  const m = generateGoProject({ files: o.files, seed: o.seed, dir: goDir });
  log(
    `  ${m.files} files (${m.restateFiles} Restate, ${m.plainFiles} other), ${m.lines} lines; ${m.services} services, ${m.objects} objects, ` +
      `${m.workflows} workflows, ${m.handlers} handlers; ${m.calls} calls, ${m.sends} sends, ${m.sleeps} sleeps, ${m.ingressCalls} ingress calls; ` +
      `${m.deadlocks} planted deadlocks (${m.expectedDeadlockReports} call sites)`,
  );
  const ids = GO_CONFIG_IDS;
  const raw: Record<GoConfigId, ChildResult[]> = { goFloor: [], go: [], goWarm: [], goEdited: [], ts: [] };
  log("  filling the plugin's cache for the warm Go runs (a run, discarded)");
  rmSync(warmCacheDir(m.root), { recursive: true, force: true });
  await runChild({ mode: "lint", root: m.root, config: GO_CONFIGS.goWarm.child, plugin, cacheDir: warmCacheDir(m.root) });
  for (let r = 0; r < o.runs; r++) {
    for (let k = 0; k < ids.length; k++) {
      const id = ids[(k + r) % ids.length]!;
      const root = id === "ts" ? tsRoot : m.root;
      if (id === "goEdited") editOneFile(m.editFile, r);
      const result = await runChild({ mode: "lint", root, config: GO_CONFIGS[id].child, plugin, cacheDir: warmCacheDir(m.root) });
      raw[id].push(result);
      const files = result.files ?? 0;
      log(
        `  run ${r + 1}/${o.runs} ${GO_CONFIGS[id].label.padEnd(42)} cpu ${fmtMs(result.cpuMs).padStart(8)} ` +
          `(${fmtMs(files > 0 ? result.cpuMs / files : 0)}/file)  wall ${fmtMs(result.wallMs).padStart(8)}  load ${result.load.toFixed(1)}`,
      );
    }
  }
  const configs = {
    goFloor: goFigures("goFloor", raw.goFloor),
    go: goFigures("go", raw.go),
    goWarm: goFigures("goWarm", raw.goWarm),
    goEdited: goFigures("goEdited", raw.goEdited),
    ts: goFigures("ts", raw.ts),
  };
  /** (run − floor) / (cold − floor), CPU, round by round, then the median. */
  const shareOfCold = (runs: ChildResult[]): number | null => {
    const shares: number[] = [];
    for (let r = 0; r < o.runs; r++) {
      const [floor, cold, run] = [raw.goFloor[r], raw.go[r], runs[r]];
      const v = floor && cold && run ? ratio(run.cpuMs - floor.cpuMs, cold.cpuMs - floor.cpuMs) : null;
      if (v !== null) shares.push(v);
    }
    return shares.length > 0 ? stat(shares).median : null;
  };
  const perFileRatio = (key: "wallMs" | "cpuMs") => {
    const xs: number[] = [];
    for (let r = 0; r < o.runs; r++) {
      const [g, t] = [raw.go[r], raw.ts[r]];
      const v = g && t && g.files && t.files ? ratio(g[key] / g.files, t[key] / t.files) : null;
      if (v !== null) xs.push(v);
    }
    return xs.length > 0 ? stat(xs).median : null;
  };
  if (!o.keep) rmSync(m.root, { recursive: true, force: true });
  rmSync(warmCacheDir(m.root), { recursive: true, force: true });
  return {
    project: (({ root: _root, editFile: _editFile, ...rest }) => rest)(m),
    configs,
    warm: shareOfCold(raw.goWarm),
    edited: shareOfCold(raw.goEdited),
    ratio: {
      wall: ratio(configs.go.perFile.wallMs.median, configs.ts.perFile.wallMs.median),
      cpu: ratio(configs.go.perFile.cpuMs.median, configs.ts.perFile.cpuMs.median),
      lintCpu: ratio(configs.go.perFile.lintCpuMs.median, configs.ts.perFile.lintCpuMs.median),
      paired: { wall: perFileRatio("wallMs"), cpu: perFileRatio("cpuMs") },
    },
    raw,
  };
}

/** Median over rounds of a ratio computed within each round; null when a configuration is missing. */
function pairedRatios(main: Record<string, ChildResult[]>): BenchFigures["ratios"]["paired"] {
  const rounds = Math.max(0, ...Object.values(main).map((rs) => rs.length));
  const per = (f: (r: number) => number | null): number | null => {
    const xs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const v = f(r);
      if (v !== null && Number.isFinite(v)) xs.push(v);
    }
    return xs.length > 0 ? stat(xs).median : null;
  };
  const at = (id: ConfigId, r: number) => main[id]?.[r];
  const of = (key: "wallMs" | "cpuMs") => ({
    restate: per((r) => ratio(at("f", r)?.[key], at("e", r)?.[key])),
    warm: per((r) => {
      const [e, f, w] = [at("e", r), at("f", r), at("w", r)];
      return e && f && w ? ratio(w[key] - e[key], f[key] - e[key]) : null;
    }),
    edited: per((r) => {
      const [e, f, x] = [at("e", r), at("f", r), at("x", r)];
      return e && f && x ? ratio(x[key] - e[key], f[key] - e[key]) : null;
    }),
    overFloor: per((r) => ratio(at("b", r)?.[key], at("a", r)?.[key])),
    overTraversal: per((r) => ratio(at("b", r)?.[key], at("t", r)?.[key])),
    cost: per((r) => {
      const [a, c, d] = [at("a", r), at("c", r), at("d", r)];
      return a && c && d ? ratio(c[key] - a[key], d[key] - a[key]) : null;
    }),
  });
  const wall = of("wallMs");
  const cpu = of("cpuMs");
  return {
    restateOverTsRecommended: { wall: wall.restate, cpu: cpu.restate },
    warmOverCold: { wall: wall.warm, cpu: cpu.warm },
    editedOverCold: { wall: wall.edited, cpu: cpu.edited },
    memoryRestateOverTsRecommended: per((r) => ratio(at("f", r)?.maxRssKb, at("e", r)?.maxRssKb)),
    recommendedOverFloor: { wall: wall.overFloor, cpu: cpu.overFloor },
    recommendedOverTraversal: { wall: wall.overTraversal, cpu: cpu.overTraversal },
    deadlockCostOverNoCycleCost: { wall: wall.cost, cpu: cpu.cost },
    memoryRecommendedOverFloor: per((r) => ratio(at("b", r)?.maxRssKb, at("a", r)?.maxRssKb)),
  };
}

/**
 * Packages of a workspace of `files` files: as many files per package as the main project has
 * (scaling keeps the packages' size), within what the generator accepts.
 */
function packagesFor(o: Options, files: number): number {
  if (files === o.files) return o.packages;
  return Math.max(2, Math.min(Math.floor(files / 10), Math.round((o.packages * files) / o.files)));
}

/** The generated project's folder under --dir. */
function projectFolder(o: Options, files: number): string {
  if (o.shape === "workspace") return `${files}-files-${packagesFor(o, files)}-packages-seed-${o.seed}`;
  if (o.shape === "realistic") return `${files}-files-realistic-seed-${o.seed}`;
  return `${files}-files-seed-${o.seed}`;
}

function gitCommit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "rules"], { cwd: repo, encoding: "utf8" }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return "unknown";
  }
}

function ratio(x: number | undefined, y: number | undefined): number | null {
  return x === undefined || y === undefined || y <= 0 ? null : x / y;
}

export async function runBench(o: Options, log: (s: string) => void = console.log): Promise<BenchFigures> {
  if (!existsSync(BUILT)) throw new Error(`${path.relative(repo, BUILT)} is missing: run \`npm run build\` first (npm run bench does).`);
  const loadBefore = os.loadavg()[0]!;
  const loads: number[] = [];
  const projectDir = (files: number) => path.join(o.dir, projectFolder(o, files));
  const generate = (files: number): ProjectManifest => {
    if (o.shape === "workspace") return generateWorkspace({ files, packages: packagesFor(o, files), seed: o.seed, dir: projectDir(files) });
    if (o.shape === "realistic") return generateRealistic({ files, seed: o.seed, dir: projectDir(files) });
    return generateProject({ files, seed: o.seed, dir: projectDir(files) });
  };
  mkdirSync(o.dir, { recursive: true });
  const plugin = snapshotPlugin(o.dir);
  const commit = gitCommit();

  const what =
    o.shape === "workspace" ? `a workspace of ${o.packages} packages, ${o.files} files` : o.shape === "realistic" ? `a realistic project of ${o.files} files` : `${o.files} files`;
  log(`Generating ${what} (seed ${o.seed}) in ${projectDir(o.files)}`);
  const manifest = generate(o.files);
  log(
    `  ${manifest.files} files (${manifest.restateFiles} Restate, ${manifest.plainFiles} other), ${manifest.lines} lines; ` +
      `${manifest.services} services, ${manifest.objects} objects, ${manifest.workflows} workflows, ${manifest.handlers} handlers; ` +
      `${manifest.calls} calls, ${manifest.sends} sends, ${manifest.sleeps} sleeps, ${manifest.ingressCalls} ingress calls; ` +
      `${manifest.deadlocks.length} planted deadlocks (${manifest.expectedDeadlockReports} call sites)`,
  );
  if (manifest.shape === "realistic") log(`  ${realisticCalls(manifest as RealisticManifest)}`);
  log(`Load average now ${loadBefore.toFixed(2)} on ${os.cpus().length} CPUs${loadBefore > os.cpus().length * 0.5 ? " — the machine is busy: expect noisy times" : ""}`);

  if (o.runs > 1) {
    log("Warm-up run (discarded)");
    await runChild({ mode: "lint", root: manifest.root, config: "floor", plugin });
  }
  if (o.configs.includes("w") || o.configs.includes("x")) {
    log("Filling the index cache for (w) and (x) (a run of (f) with the cache, discarded)");
    rmSync(warmCacheDir(manifest.root), { recursive: true, force: true });
    await runChild({ mode: "lint", root: manifest.root, config: CONFIGS.w.child, plugin, cacheDir: warmCacheDir(manifest.root) });
  }
  log(`Measuring ${o.configs.length} configurations × ${o.runs} runs`);
  const main = await measure(manifest.root, plugin, o.configs, o.runs, log, path.join(manifest.root, manifest.editorFile));
  for (const rs of Object.values(main)) for (const r of rs) loads.push(r.load);
  const configs: Partial<Record<ConfigId, ConfigFigures>> = {};
  for (const id of o.configs) configs[id] = figures(id, main[id]!);

  // Scaling: the main size reuses the main measurement.
  const scaling: BenchFigures["scaling"] = [];
  const rawScaling: Record<string, Record<string, ChildResult[]>> = {};
  const sizes = [...new Set(o.scaling)].sort((x, y) => x - y);
  for (const size of sizes) {
    let results: Record<string, ChildResult[]>;
    let handlers: number;
    if (size === o.files && o.scalingConfigs.every((id) => main[id])) {
      results = main;
      handlers = manifest.handlers;
    } else {
      log(`Scaling: ${size} files`);
      const m = generate(size);
      handlers = m.handlers;
      results = await measure(m.root, plugin, o.scalingConfigs, o.scalingRuns, log);
      for (const rs of Object.values(results)) for (const r of rs) loads.push(r.load);
      rawScaling[size] = results;
      if (!o.keep) rmSync(m.root, { recursive: true, force: true });
    }
    const wallMs: Partial<Record<ConfigId, number>> = {};
    const cpuMs: Partial<Record<ConfigId, number>> = {};
    const maxRssMb: Partial<Record<ConfigId, number>> = {};
    for (const id of o.scalingConfigs) {
      wallMs[id] = stat(results[id]!.map((r) => r.wallMs)).median;
      cpuMs[id] = stat(results[id]!.map((r) => r.cpuMs)).median;
      maxRssMb[id] = stat(results[id]!.map((r) => r.maxRssKb / 1024)).median;
    }
    const prev = scaling[scaling.length - 1];
    const own = (t: Partial<Record<ConfigId, number>>) => (t.b !== undefined && t.a !== undefined ? t.b - t.a : undefined);
    scaling.push({
      files: size,
      handlers,
      wallMs,
      cpuMs,
      maxRssMb,
      growthB: prev ? { wall: ratio(wallMs.b, prev.wallMs.b), cpu: ratio(cpuMs.b, prev.cpuMs.b) } : null,
      growthPlugin: prev ? { wall: ratio(own(wallMs), own(prev.wallMs)), cpu: ratio(own(cpuMs), own(prev.cpuMs)) } : null,
    });
  }

  // The editor: one long-lived process, one file re-linted after each edit.
  let editor: BenchFigures["editor"] = null;
  const editorTask = (config: string, iterations: number, pauseMs: number, changes: EditKind[], profile?: string): ChildTask => ({
    mode: "editor",
    root: manifest.root,
    config,
    plugin,
    editor: { file: manifest.editorFile, iterations, warmup: 5, pauseMs, changes },
    ...(profile ? { profile } : {}),
  });
  if (o.editorIterations > 0) {
    log(`Editor: re-linting ${manifest.editorFile} (${o.editorIterations} edits)`);
    const floor = await runChild(editorTask("floor", o.editorIterations, 0, ["body"]));
    const rec = await runChild(editorTask("recommended", o.editorIterations, 0, ["body", "call"]));
    const floorRescan = o.rescanIterations > 0 ? await runChild(editorTask("floor", o.rescanIterations, 600, ["body"])) : null;
    const rescan = o.rescanIterations > 0 ? await runChild(editorTask("recommended", o.rescanIterations, 600, ["body"])) : null;
    const edits = (r: ChildResult, kind: EditKind) => {
      const e = r.edits?.[kind];
      if (!e) throw new Error(`editor child (${r.config}) gave no "${kind}" edits`);
      return e;
    };
    editor = {
      file: manifest.editorFile,
      iterations: o.editorIterations,
      floor: { firstLintMs: floor.firstLintMs!, median: stat(edits(floor, "body").times), cpuPerEditMs: edits(floor, "body").cpuPerEditMs },
      recommended: {
        firstLintMs: rec.firstLintMs!,
        median: stat(edits(rec, "body").times),
        cpuPerEditMs: edits(rec, "body").cpuPerEditMs,
        messages: rec.messages,
      },
      floorRescan: floorRescan ? { median: stat(edits(floorRescan, "body").times) } : null,
      recommendedRescan: rescan ? { median: stat(edits(rescan, "body").times) } : null,
      recommendedNewCall: { median: stat(edits(rec, "call").times), cpuPerEditMs: edits(rec, "call").cpuPerEditMs },
    };
  }

  let profile: BenchFigures["profile"] = null;
  if (o.profile) {
    profile = {};
    const dir = path.join(o.dir, "profiles");
    for (const id of ["b", "c"] as const) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      log(`Profiling ${CONFIGS[id].label}`);
      await runChild({ mode: "lint", root: manifest.root, config: CONFIGS[id].child, plugin }, ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
      const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
      if (!file) continue;
      const kept = path.join(o.dir, `profile-${id}.cpuprofile`);
      renameSync(path.join(dir, file), kept);
      profile[id] = summariseProfile(kept, 25);
      log(formatProfile(`${CONFIGS[id].label} (${kept})`, profile[id]));
    }
    rmSync(dir, { recursive: true, force: true });
    if (o.editorIterations > 0) {
      const kept = path.join(o.dir, "profile-editor.cpuprofile");
      log("Profiling the editor case (the edits only)");
      await runChild(editorTask("recommended", o.editorIterations, 0, ["body"], kept));
      profile.editor = summariseProfile(kept, 25);
      log(formatProfile(`editor, (b) (${kept})`, profile.editor));
    }
  }

  let go: GoFigures | null = null;
  if (o.go) {
    go = await measureGo(o, manifest.root, plugin, path.join(o.dir, `${o.files}-files-seed-${o.seed}-go`), log);
    for (const rs of Object.values(go.raw)) for (const r of rs) loads.push(r.load);
  }

  const { a, t, b, c, d, e, f } = configs;
  const cost = (x: ConfigFigures | undefined, key: "wallMs" | "cpuMs") => (x && a ? x[key].median - a[key].median : undefined);
  const ratios: BenchFigures["ratios"] = {
    restateOverTsRecommended: { wall: ratio(f?.wallMs.median, e?.wallMs.median), cpu: ratio(f?.cpuMs.median, e?.cpuMs.median) },
    memoryRestateOverTsRecommended: ratio(f?.maxRssMb.median, e?.maxRssMb.median),
    restateOverTsRecommendedMainThread: ratio(f?.mainThreadCpuMs?.median, e?.mainThreadCpuMs?.median),
    recommendedOverFloor: { wall: ratio(b?.wallMs.median, a?.wallMs.median), cpu: ratio(b?.cpuMs.median, a?.cpuMs.median) },
    recommendedOverTraversal: { wall: ratio(b?.wallMs.median, t?.wallMs.median), cpu: ratio(b?.cpuMs.median, t?.cpuMs.median) },
    deadlockCostOverNoCycleCost: { wall: ratio(cost(c, "wallMs"), cost(d, "wallMs")), cpu: ratio(cost(c, "cpuMs"), cost(d, "cpuMs")) },
    memoryRecommendedOverFloor: ratio(b?.maxRssMb.median, a?.maxRssMb.median),
    paired: pairedRatios(main),
  };
  const growth = scaling.map((s) => s.growthB).filter((g): g is Pair => g !== null);
  const worst = (key: keyof Pair) => {
    const xs = growth.map((g) => g[key]).filter((v): v is number => v !== null);
    return xs.length > 0 ? Math.max(...xs) : null;
  };
  const target = (name: string, goal: string, limit: number, value: Pair): Target => ({
    name,
    goal,
    limit,
    value,
    met: value.wall === null ? null : value.wall <= limit,
  });
  const targets = [
    target("(b)/(a) time", "≤ 1.10", 1.1, ratios.recommendedOverFloor),
    target("((c)−(a)) / ((d)−(a)) time", "≤ 0.20", 0.2, ratios.deadlockCostOverNoCycleCost),
    target("editor re-lint, median (ms)", "≤ 20", 20, { wall: editor?.recommended.median.median ?? null, cpu: editor?.recommended.cpuPerEditMs ?? null }),
    target("(b) time per doubling of files, worst", "≤ 2.2", 2.2, { wall: worst("wall"), cpu: worst("cpu") }),
    target("peak RSS (b)/(a)", "≤ 1.25", 1.25, { wall: ratios.memoryRecommendedOverFloor, cpu: null }),
  ];

  const loadAfter = os.loadavg()[0]!;
  const out: BenchFigures = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
      commit,
      load: { before: loadBefore, after: loadAfter, meanDuringRuns: loads.length ? loads.reduce((s, x) => s + x, 0) / loads.length : loadBefore },
    },
    options: o,
    project: (({ root: _root, ...rest }) => rest)(manifest),
    configs,
    ratios,
    scaling,
    editor,
    profile,
    go,
    targets,
    raw: { main, scaling: rawScaling },
  };
  log("");
  log(report(out));
  if (o.json) {
    mkdirSync(path.dirname(o.json), { recursive: true });
    writeFileSync(o.json, `${JSON.stringify(out, null, 2)}\n`);
    log(`\nFigures written to ${o.json}`);
  }
  if (!o.keep) {
    rmSync(projectDir(o.files), { recursive: true, force: true });
    rmSync(warmCacheDir(projectDir(o.files)), { recursive: true, force: true });
  }
  rmSync(path.dirname(path.dirname(path.dirname(plugin))), { recursive: true, force: true });
  return out;
}

/** What sets the realistic shape apart: how often objects call their own key. */
function realisticCalls(m: Omit<RealisticManifest, "root">): string {
  return (
    `${m.testFiles} e2e test files; ${m.selfCalls} calls and ${m.selfSends} sends of objects to their own key, ${m.relayCalls} calls ` +
    `through a service back to the same key, ${m.namedByConstant} targets named { name: NAMES.x }`
  );
}

/** The project index's own parses in each configuration with the plugin (its last run). */
function indexLines(f: BenchFigures): string[] {
  const ids = (["b", "c", "f"] as const).filter((id) => f.configs[id]);
  if (ids.length === 0) return [];
  const known = ids.filter((id) => f.configs[id]!.index);
  if (known.length === 0) return ["Project index: this build does not tell how many files it parsed."];
  const parts = known.map((id) => {
    const x = f.configs[id]!.index!;
    return `(${id}) ${x.indexFiles} files, ${x.sharedWithEslint} of them parsed ahead and taken over by ESLint, ${x.extraParses} parses beyond one per file`;
  });
  // The files the index models from disk: those on candidate cycles and what their names resolve through.
  return [`Project index, files read for the cycle search (last run, ${f.project.files} files linted): ${parts.join("; ")}`];
}

export function report(f: BenchFigures): string {
  const p = f.project;
  const n = (v: number | null, digits = 2) => (v === null ? "—" : v.toFixed(digits));
  const lines: string[] = [];
  const layout = p.shape === "workspace" ? `an npm workspace of ${p.packages} packages, ` : p.shape === "realistic" ? "realistic, " : "";
  lines.push(
    `Project: ${layout}${p.files} files (${p.restateFiles} Restate, ${p.plainFiles} other), ${p.lines} lines, ${p.handlers} handlers, ` +
      `${p.calls} calls, ${p.sends} sends, ${p.expectedDeadlockReports} planted deadlock call sites, seed ${p.seed}`,
  );
  if (p.shape === "realistic") lines.push(`  ${realisticCalls(p as Omit<RealisticManifest, "root">)}`);
  lines.push(
    `Machine: ${f.meta.cpus} × ${f.meta.cpuModel}, Node ${f.meta.node}, plugin at ${f.meta.commit}, load average ${f.meta.load.before.toFixed(1)} → ${f.meta.load.after.toFixed(1)} ` +
      `(mean ${f.meta.load.meanDuringRuns.toFixed(1)} during the runs)`,
  );
  lines.push("");
  const a = f.configs.a;
  const rows = CONFIG_IDS.filter((id) => f.configs[id]).map((id) => {
    const c = f.configs[id]!;
    const over = (key: "wallMs" | "cpuMs") => (a && id !== "a" ? `${c[key].median >= a[key].median ? "+" : ""}${fmtMs(c[key].median - a[key].median)}` : "");
    const reports = Object.entries(c.messages)
      .map(([rule, count]) => `${rule.replace(/^restate\//, "")} ${count}`)
      .join(", ");
    const gc = `${fmtMs(c.gc.minorMs.median)} in ${c.gc.minorCount.median} minor, ${fmtMs(c.gc.majorMs.median)} in ${c.gc.majorCount.median} major`;
    return [c.label, fmtStat(c.wallMs, fmtMs), over("wallMs"), fmtStat(c.cpuMs, fmtMs), over("cpuMs"), fmtStat(c.maxRssMb, fmtMb), gc, reports || "—"];
  });
  lines.push(table(["configuration", "wall, median (min–max)", "over (a)", "CPU, median (min–max)", "over (a)", "peak RSS", "GC (median)", "reports"], rows));
  lines.push("");
  const r = f.ratios;
  const pr = r.paired;
  if (r.restateOverTsRecommended.wall !== null) {
    lines.push(
      `(f)/(e), restate recommended added to typescript-eslint recommended: ${n(r.restateOverTsRecommended.wall)} wall, ` +
        `${n(r.restateOverTsRecommended.cpu)} CPU (run by run: ${n(pr.restateOverTsRecommended.wall)} wall, ${n(pr.restateOverTsRecommended.cpu)} CPU); ` +
        `peak RSS ${n(r.memoryRestateOverTsRecommended)} (run by run: ${n(pr.memoryRestateOverTsRecommended)})`,
    );
    const [e, fc] = [f.configs.e?.mainThreadCpuMs, f.configs.f?.mainThreadCpuMs];
    if (e && fc && r.restateOverTsRecommendedMainThread !== null) {
      const added = f.configs.f!.cpuMs.median - f.configs.e!.cpuMs.median;
      const others = added - (fc.median - e.median);
      lines.push(
        `  on the main thread alone: ${n(r.restateOverTsRecommendedMainThread)} CPU; of the ${fmtMs(added)} of CPU (f) adds, ` +
          `${fmtMs(others)} on V8's other threads (optimizing compiler, GC helpers)`,
      );
    }
  }
  if (pr.warmOverCold.cpu !== null) {
    lines.push(`(w) warm, the plugin's work against a cold run, ((w)−(e)) / ((f)−(e)) run by run: ${n(pr.warmOverCold.wall)} wall, ${n(pr.warmOverCold.cpu)} CPU`);
  }
  if (pr.editedOverCold.cpu !== null) {
    lines.push(`(x) warm after a one-file edit, against a cold run, ((x)−(e)) / ((f)−(e)) run by run: ${n(pr.editedOverCold.wall)} wall, ${n(pr.editedOverCold.cpu)} CPU`);
  }
  lines.push(
    `(b)/(a): ${n(r.recommendedOverFloor.wall)} wall, ${n(r.recommendedOverFloor.cpu)} CPU ` +
      `(run by run: ${n(pr.recommendedOverFloor.wall)} wall, ${n(pr.recommendedOverFloor.cpu)} CPU)`,
  );
  if (r.recommendedOverTraversal.wall !== null) {
    lines.push(
      `(b)/(t): ${n(r.recommendedOverTraversal.wall)} wall, ${n(r.recommendedOverTraversal.cpu)} CPU ` +
        `(run by run: ${n(pr.recommendedOverTraversal.wall)} wall, ${n(pr.recommendedOverTraversal.cpu)} CPU)`,
    );
  }
  lines.push(...indexLines(f));
  lines.push(
    `((c)−(a)) / ((d)−(a)): ${n(r.deadlockCostOverNoCycleCost.wall)} wall, ${n(r.deadlockCostOverNoCycleCost.cpu)} CPU ` +
      `(run by run: ${n(pr.deadlockCostOverNoCycleCost.wall)} wall, ${n(pr.deadlockCostOverNoCycleCost.cpu)} CPU)`,
  );
  lines.push(`peak RSS (b)/(a): ${n(r.memoryRecommendedOverFloor)} (run by run: ${n(pr.memoryRecommendedOverFloor)})`);
  if (f.scaling.length > 0) {
    lines.push("");
    const ids = CONFIG_IDS.filter((id) => f.scaling[0]!.wallMs[id] !== undefined);
    const g = (x: Pair | null) => (x === null ? "" : `${n(x.wall)}× wall, ${n(x.cpu)}× CPU`);
    lines.push(
      table(
        ["files", "handlers", ...ids.map((id) => `(${id}) wall`), ...ids.map((id) => `(${id}) CPU`), ...ids.map((id) => `(${id}) RSS`), "(b) growth", "(b)−(a) growth"],
        f.scaling.map((s) => [
          String(s.files),
          String(s.handlers),
          ...ids.map((id) => fmtMs(s.wallMs[id]!)),
          ...ids.map((id) => fmtMs(s.cpuMs[id]!)),
          ...ids.map((id) => fmtMb(s.maxRssMb[id]!)),
          g(s.growthB),
          g(s.growthPlugin),
        ]),
      ),
    );
  }
  if (f.editor) {
    const e = f.editor;
    lines.push("");
    lines.push(`Editor (${e.file}, ${e.iterations} edits, ESLint#lintText in one process):`);
    lines.push(`  (a) floor:        median ${fmtStat(e.floor.median, fmtMs)}, CPU ${fmtMs(e.floor.cpuPerEditMs)} per edit, first lint ${fmtMs(e.floor.firstLintMs)}`);
    lines.push(
      `  (b) recommended:  median ${fmtStat(e.recommended.median, fmtMs)}, CPU ${fmtMs(e.recommended.cpuPerEditMs)} per edit, ` +
        `first lint ${fmtMs(e.recommended.firstLintMs)} (builds the project index)`,
    );
    if (e.floorRescan) lines.push(`  (a), 600 ms between edits:  median ${fmtStat(e.floorRescan.median, fmtMs)}`);
    if (e.recommendedRescan) {
      lines.push(`  (b), 600 ms between edits (each finds the look at the disk due): median ${fmtStat(e.recommendedRescan.median, fmtMs)}`);
    }
    if (e.recommendedNewCall) {
      lines.push(
        `  (b), each edit adds a call (the project is analysed again): median ${fmtStat(e.recommendedNewCall.median, fmtMs)}, ` +
          `CPU ${fmtMs(e.recommendedNewCall.cpuPerEditMs)} per edit`,
      );
    }
  }
  if (f.go) {
    const g = f.go;
    const gp = g.project;
    lines.push("");
    lines.push(
      `Go project: ${gp.files} files (${gp.restateFiles} Restate, ${gp.plainFiles} other), ${gp.lines} lines, ${gp.handlers} handlers, ` +
        `${gp.calls} calls, ${gp.sends} sends, ${gp.expectedDeadlockReports} planted deadlock call sites`,
    );
    const ids = GO_CONFIG_IDS;
    lines.push(
      table(
        ["configuration", "files", "CPU per file", "lintFiles CPU per file", "wall per file", "CPU, whole run", "peak RSS", "reports"],
        ids.map((id) => {
          const c = g.configs[id];
          const reports = Object.entries(c.messages)
            .map(([rule, count]) => `${rule.replace(/^restate\//, "")} ${count}`)
            .join(", ");
          return [
            c.label,
            String(c.files),
            fmtStat(c.perFile.cpuMs, fmtMs),
            fmtStat(c.perFile.lintCpuMs, fmtMs),
            fmtStat(c.perFile.wallMs, fmtMs),
            fmtStat(c.cpuMs, fmtMs),
            fmtStat(c.maxRssMb, fmtMb),
            reports || "—",
          ];
        }),
      ),
    );
    lines.push(
      `Go / TypeScript, per file: ${n(g.ratio.cpu)} CPU, ${n(g.ratio.lintCpu)} lintFiles CPU, ${n(g.ratio.wall)} wall ` +
        `(run by run: ${n(g.ratio.paired.cpu)} CPU, ${n(g.ratio.paired.wall)} wall)`,
    );
    lines.push(`Go warm, the rules' work on a second run with the plugin's cache against a cold run, (warm − floor) / (cold − floor), run by run: ${n(g.warm)} CPU`);
    lines.push(`Go warm after a one-file edit, against a cold run, (edited − floor) / (cold − floor), run by run: ${n(g.edited)} CPU`);
  }
  lines.push("");
  lines.push(
    table(
      ["target", "goal", "wall", "CPU", "met (wall)"],
      f.targets.map((t) => [t.name, t.goal, n(t.value.wall), n(t.value.cpu), t.met === null ? "—" : t.met ? "yes" : "NO"]),
    ),
  );
  if (f.meta.load.meanDuringRuns > f.meta.cpus * 0.5) {
    lines.push("");
    lines.push(
      `Note: the machine was busy (mean load ${f.meta.load.meanDuringRuns.toFixed(1)} on ${f.meta.cpus} CPUs): wall times are noisy; ` +
        "CPU times and ratios of CPU times hold up better.",
    );
  }
  return lines.join("\n");
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  try {
    await runBench(parseArgs(process.argv.slice(2)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
