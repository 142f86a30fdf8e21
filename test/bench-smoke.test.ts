import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateProject } from "../bench/generate.js";
import { generateGoProject } from "../bench/generate-go.js";
import { generateRealistic } from "../bench/generate-realistic.js";
import { generateWorkspace } from "../bench/generate-workspace.js";
import type { BenchFigures, ConfigFigures } from "../bench/run.js";

// Counts, not times: the generator and the benchmark driver work end to end on a tiny project.

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tmp = mkdtempSync(path.join(os.tmpdir(), "restate-bench-smoke-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function goFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".go"))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

/** The messages of the rules of other plugins than restate. */
function othersOf(c: ConfigFigures): Record<string, number> {
  return Object.fromEntries(Object.entries(c.messages).filter(([rule]) => !rule.startsWith("restate/")));
}

/** Runs `npm run bench`'s driver (the plugin must be built); its figures from `--json`. */
function runDriver(args: string[], dir: string): { status: number | null; output: string; figures: BenchFigures | null } {
  const json = path.join(tmp, `${path.basename(dir)}.json`);
  const tsx = path.join(repo, "node_modules/.bin/tsx");
  const run = spawnSync(tsx, ["bench/run.ts", ...args, "--json", json, "--dir", dir], { cwd: repo, encoding: "utf8" });
  const figures = run.status === 0 ? (JSON.parse(readFileSync(json, "utf8")) as BenchFigures) : null;
  return { status: run.status, output: run.status === 0 ? run.stdout : run.stderr || run.stdout, figures };
}

function treeHash(dir: string, files: (dir: string) => string[] = sourceFiles): string {
  const h = createHash("sha1");
  for (const f of files(dir)) h.update(path.relative(dir, f)).update("\0").update(readFileSync(f)).update("\0");
  return h.digest("hex");
}

describe("bench generator", () => {
  const dir = path.join(tmp, "gen-a");
  const m = generateProject({ files: 20, seed: 7, dir });

  it("writes the requested number of files, half of them Restate code", () => {
    const files = sourceFiles(dir);
    expect(files).toHaveLength(20);
    expect(m.files).toBe(20);
    expect(m.restateFiles + m.plainFiles).toBe(20);
    expect(m.plainFiles).toBe(10);
    expect(files.filter((f) => readFileSync(f, "utf8").includes("@restatedev/"))).toHaveLength(m.restateFiles);
    expect(files.filter((f) => readFileSync(f, "utf8").includes('from "@restatedev/restate-sdk-clients"'))).toHaveLength(m.ingressFiles);
    expect(JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).name).toBe("restate-bench-20-7");
  });

  it("has five handlers per file, calls, sends and a planted deadlock", () => {
    expect(m.handlers).toBe(100);
    expect(m.services + m.objects + m.workflows).toBe(m.definitionFiles);
    const text = sourceFiles(dir).map((f) => readFileSync(f, "utf8")).join("\n");
    expect(text.match(/import \* as restate from "@restatedev\/restate-sdk";/g)?.length).toBe(m.definitionFiles + 1);
    expect(m.calls).toBeGreaterThan(0);
    expect(m.sends).toBeGreaterThan(0);
    expect(m.deadlocks).toHaveLength(1);
    expect(text.match(/\/\/ expect: (certain|possible)Deadlock/g)?.length).toBe(m.expectedDeadlockReports);
    expect(m.expectedDeadlockReports).toBeGreaterThanOrEqual(2);
  });

  it("is deterministic for a seed and varies with it", () => {
    const again = path.join(tmp, "gen-b");
    generateProject({ files: 20, seed: 7, dir: again });
    expect(treeHash(again)).toBe(treeHash(dir));
    const other = path.join(tmp, "gen-c");
    generateProject({ files: 20, seed: 8, dir: other });
    expect(treeHash(other)).not.toBe(treeHash(dir));
  });

  it("refuses projects too small to hold its structure", () => {
    expect(() => generateProject({ files: 10, dir: path.join(tmp, "gen-d") })).toThrow(/at least|>= 20/);
  });
});

describe("bench workspace generator", () => {
  const dir = path.join(tmp, "ws-a");
  const m = generateWorkspace({ files: 40, packages: 4, seed: 7, dir });
  const text = () => sourceFiles(dir).map((f) => readFileSync(f, "utf8")).join("\n");

  it("writes the requested number of files over the packages, half of them Restate code", () => {
    const files = sourceFiles(dir);
    expect(files).toHaveLength(40);
    expect(m.files).toBe(40);
    expect(m.plainFiles).toBe(20);
    expect(m.restateFiles).toBe(20);
    expect(files.filter((f) => readFileSync(f, "utf8").includes("@restatedev/"))).toHaveLength(m.restateFiles);
    expect(new Set(files.map((f) => path.relative(dir, f).split(path.sep).slice(0, 2).join("/")))).toEqual(
      new Set(["packages/p00", "packages/p01", "packages/p02", "packages/p03"]),
    );
  });

  it("is an npm workspace: packages by name, exports of sources or of a dist/ never built, #internal imports, shared paths", () => {
    const root = readJson(path.join(dir, "package.json"));
    expect(root).toMatchObject({ private: true, workspaces: ["packages/*"] });
    const base = readJson(path.join(dir, "tsconfig.base.json")) as { compilerOptions: { paths: Record<string, string[]> } };
    expect(base.compilerOptions.paths["@bench/*"]).toEqual(["./packages/*/src/index.ts"]);
    const exportsOf = ["p00", "p01", "p02", "p03"].map((p) => {
      const pkg = readJson(path.join(dir, "packages", p, "package.json"));
      const tsconfig = readJson(path.join(dir, "packages", p, "tsconfig.json"));
      expect(pkg).toMatchObject({ name: `@bench/${p}`, type: "module", imports: { "#internal/*": "./src/internal/*.ts" } });
      expect(tsconfig.extends).toBe("../../tsconfig.base.json");
      expect(existsSync(path.join(dir, "packages", p, "dist"))).toBe(false);
      if (typeof pkg.exports === "object" && JSON.stringify(pkg.exports).includes("dist")) {
        expect(pkg.exports).toEqual({ ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } });
        expect(tsconfig.compilerOptions).toEqual({ outDir: "dist", rootDir: "src" });
      } else expect(pkg.exports).toEqual({ ".": "./src/index.ts" });
      return pkg.exports;
    });
    expect(exportsOf.filter((e) => JSON.stringify(e).includes("dist"))).toHaveLength(2);
    expect(m.sourcePackages).toBe(2);
    expect(m.builtPackages).toBe(2);
    const all = text();
    expect(all).toMatch(/^import \{ \w+(, \w+)* \} from "@bench\/p\d\d";$/m);
    expect(all).toMatch(/^import type \{ \w+Api(, \w+)* \} from "@bench\/p\d\d";$/m);
    expect(all).toMatch(/^import \{ \w+(, \w+)* \} from "#internal\/[\w-]+";$/m);
    expect(m.crossPackageImports).toBeGreaterThan(0);
    expect(m.internalImports).toBeGreaterThan(0);
  });

  it("plants certain cross-package deadlocks, one of them called back by type only", () => {
    expect(m.deadlocks).toHaveLength(2);
    for (const d of m.deadlocks) {
      expect(d).toMatchObject({ kind: "cross-package", certainty: "certain" });
      const [x, y] = d.files.map((f) => f.split("/").slice(0, 2).join("/"));
      expect(x).not.toBe(y);
    }
    const all = text();
    expect(all.match(/\/\/ expect: certainDeadlock/g)?.length).toBe(m.expectedDeadlockReports);
    expect(m.expectedDeadlockReports).toBe(4);
    expect(all).toMatch(/ctx\.objectClient<\w+Api>\(\{ name: "\w+" \}, ctx\.key\)\.\w+\(\); \/\/ expect: certainDeadlock/);
  });

  it("is deterministic for a seed and varies with it", () => {
    const again = path.join(tmp, "ws-b");
    generateWorkspace({ files: 40, packages: 4, seed: 7, dir: again });
    expect(treeHash(again)).toBe(treeHash(dir));
    const other = path.join(tmp, "ws-c");
    generateWorkspace({ files: 40, packages: 4, seed: 8, dir: other });
    expect(treeHash(other)).not.toBe(treeHash(dir));
  });

  it("refuses packages of fewer than 10 files on average", () => {
    expect(() => generateWorkspace({ files: 40, packages: 5, dir: path.join(tmp, "ws-d") })).toThrow(/files \/ 10/);
  });
});

describe("bench realistic generator", () => {
  const dir = path.join(tmp, "real-a");
  const m = generateRealistic({ files: 40, seed: 7, dir });
  const rel = (f: string) => path.relative(dir, f).split(path.sep).join("/");
  const textOf = (filter: (file: string) => boolean) =>
    sourceFiles(dir)
      .filter((f) => filter(rel(f)))
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");

  it("writes one package: a third plain code, definitions under src/services/<domain>/, e2e tests", () => {
    const files = sourceFiles(dir).map(rel);
    expect(files).toHaveLength(40);
    expect(m).toMatchObject({ shape: "realistic", packages: 1, files: 40, plainFiles: 13, restateFiles: 27, testFiles: 7, definitionFiles: 19 });
    expect(sourceFiles(dir).filter((f) => readFileSync(f, "utf8").includes("@restatedev/"))).toHaveLength(m.restateFiles);
    expect(readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith("package.json"))).toEqual(["package.json"]);
    expect(files.filter((f) => /^src\/services\/[a-z]+\/[\w-]+\.ts$/.test(f) && !f.endsWith("/index.ts"))).toHaveLength(m.definitionFiles);
    expect(files.filter((f) => /^test\/[\w-]+\.test\.ts$/.test(f))).toHaveLength(m.testFiles);
    expect(files).toContain("src/constants.ts");
    expect(files).toContain("src/services/index.ts");
    expect(files.filter((f) => f.endsWith("/index.ts"))).toHaveLength(m.barrelFiles);
  });

  it("has e2e tests through the ingress client and service names from the constants file", () => {
    for (const f of sourceFiles(dir).filter((f) => rel(f).startsWith("test/"))) {
      const text = readFileSync(f, "utf8");
      expect(text).toContain(`import * as clients from "@restatedev/restate-sdk-clients";`);
      expect(text).toContain(`from "vitest";`);
      expect(text).toContain("clients.connect({ url: INGRESS })");
    }
    expect(textOf((f) => f.startsWith("test/"))).toMatch(/\bingress\.objectClient\(/);
    expect(textOf((f) => f === "src/constants.ts")).toMatch(/^export const NAMES = \{$/m);
    expect(textOf(() => true)).toMatch(/\{ name: NAMES\.\w+ \}/);
    expect(m.namedByConstant).toBeGreaterThan(0);
  });

  it("has objects calling their own key: shared reads, sends, and through a service", () => {
    const text = textOf((f) => f.startsWith("src/services/"));
    expect(m.selfCalls).toBeGreaterThan(0);
    expect(m.selfSends).toBeGreaterThan(0);
    expect(m.relayCalls).toBeGreaterThan(0);
    expect(text).toMatch(/await ctx\.objectClient(<\w+>)?\([^)]+, ctx\.key\)\.\w+\(/);
    expect(text).toMatch(/ctx\.objectSendClient(<\w+>)?\([^)]+, ctx\.key\)\.\w+\(/);
    expect(text).toContain("restate.handlers.object.shared(");
    expect(text).toMatch(/restate\.workflow\(\{/);
  });

  it("plants self-deadlocks on ctx.key, one through a service, recorded in the manifest", () => {
    expect(m.deadlocks.map((d) => [d.kind, d.certainty])).toEqual([
      ["self-call", "certain"],
      ["through-service", "certain"],
    ]);
    expect(m.expectedDeadlockReports).toBe(3);
    const text = textOf(() => true);
    expect(text.match(/\/\/ expect: certainDeadlock/g)?.length).toBe(m.expectedDeadlockReports);
    expect(text).toMatch(/await ctx\.objectClient\((\w+), ctx\.key\)\.\w+\(\); \/\/ expect: certainDeadlock/);
    expect(m.editorFile).toBe(m.deadlocks[0]!.files[0]);
  });

  it("is deterministic for a seed and varies with it", () => {
    const again = path.join(tmp, "real-b");
    generateRealistic({ files: 40, seed: 7, dir: again });
    expect(treeHash(again)).toBe(treeHash(dir));
    const other = path.join(tmp, "real-c");
    generateRealistic({ files: 40, seed: 8, dir: other });
    expect(treeHash(other)).not.toBe(treeHash(dir));
  });

  it("refuses projects too small to hold its structure", () => {
    expect(() => generateRealistic({ files: 29, dir: path.join(tmp, "real-d") })).toThrow(/>= 30/);
  });
});

describe("bench Go generator", () => {
  const dir = path.join(tmp, "go-a");
  const m = generateGoProject({ files: 20, seed: 7, dir });

  it("writes the requested number of Go files, half of them Restate code", () => {
    const files = goFiles(dir);
    expect(files).toHaveLength(20);
    expect(m.files).toBe(20);
    expect(m.plainFiles).toBe(10);
    expect(m.restateFiles).toBe(10);
    expect(files.filter((f) => readFileSync(f, "utf8").includes('"github.com/restatedev/sdk-go"'))).toHaveLength(m.definitionFiles + 1);
    expect(files.filter((f) => readFileSync(f, "utf8").includes('"github.com/restatedev/sdk-go/ingress"'))).toHaveLength(m.ingressFiles);
  });

  it("has five handlers per file, reflected definitions, calls, sends, sleeps and a planted deadlock", () => {
    expect(m.handlers).toBe(100);
    expect(m.services + m.objects + m.workflows).toBe(m.definitionFiles);
    const text = goFiles(dir).map((f) => readFileSync(f, "utf8")).join("\n");
    expect(text.match(/= restate\.Reflect\(\w+\{\}\)/g)?.length).toBe(m.definitionFiles);
    expect(text.match(/^func \(\w+\) \w+\(ctx restate\.\w*Context/gm)?.length).toBe(m.handlers);
    // Every request-response client in a handler: the counted calls and the two planted ones.
    expect(text.match(/restate\.(Service|Object|Workflow)\[model\.Result\]\(ctx/g)?.length).toBe(m.calls + 2);
    expect(text.match(/\.(Request|Send)\(goCtx/g)?.length).toBe(m.ingressCalls);
    expect(m.sends).toBeGreaterThan(0);
    expect(m.sleeps).toBe(text.match(/restate\.Sleep\(ctx/g)?.length);
    expect(m.deadlocks).toBe(1);
    expect(m.expectedDeadlockReports).toBe(2);
    expect(text.match(/\/\/ expect: certainDeadlock/g)?.length).toBe(2);
  });

  it("is deterministic for a seed and varies with it", () => {
    const again = path.join(tmp, "go-b");
    generateGoProject({ files: 20, seed: 7, dir: again });
    expect(treeHash(again, goFiles)).toBe(treeHash(dir, goFiles));
    const other = path.join(tmp, "go-c");
    generateGoProject({ files: 20, seed: 8, dir: other });
    expect(treeHash(other, goFiles)).not.toBe(treeHash(dir, goFiles));
  });
});

describe("bench driver, quick mode", () => {
  // Nine configurations in a process each, and the editor's two: well over a minute when the machine is busy.
  it("lints with every configuration and writes the figures", { timeout: 240_000 }, () => {
    const json = path.join(tmp, "figures.json");
    const tsx = path.join(repo, "node_modules/.bin/tsx");
    const args = ["bench/run.ts", "--files", "20", "--runs", "1", "--scaling", "20", "--editor-iterations", "2", "--rescan-iterations", "0"];
    const run = spawnSync(tsx, [...args, "--json", json, "--dir", path.join(tmp, "bench")], { cwd: repo, encoding: "utf8" });
    expect(run.status, run.stderr || run.stdout).toBe(0);
    expect(run.stdout).toContain("(b)/(a)");

    const f = JSON.parse(readFileSync(json, "utf8")) as BenchFigures;
    expect(Object.keys(f.configs).sort()).toEqual(["a", "b", "c", "d", "e", "f", "t", "w", "x"]);
    for (const c of Object.values(f.configs)) {
      expect(c.wallMs.n).toBe(1);
      expect(c.wallMs.median).toBeGreaterThan(0);
      expect(c.maxRssMb.median).toBeGreaterThan(0);
      // Young-generation GCs during lintFiles, as the child's PerformanceObserver saw them.
      expect(c.gc.minorCount.median).toBeGreaterThan(0);
      expect(c.gc.minorMs.median).toBeGreaterThan(0);
    }
    expect(run.stdout).toContain("GC (median)");
    expect(f.configs.a!.messages).toEqual({});
    expect(f.configs.t!.messages).toEqual({});
    expect(run.stdout).toContain("(b)/(t)");
    // (c) finds exactly the planted deadlocks; (d) really resolved the `.js` imports to `.ts` files.
    expect(f.configs.c!.messages).toEqual({ "restate/no-deadlock": f.project.expectedDeadlockReports });
    expect(f.configs.b!.messages["restate/no-deadlock"]).toBe(f.project.expectedDeadlockReports);
    expect(f.configs.d!.messages["import-x/no-cycle"]).toBeGreaterThan(0);
    // (e) runs typescript-eslint's rules only; (f) the same and restate's, which find the planted deadlocks.
    expect(Object.keys(f.configs.e!.messages).every((rule) => rule.startsWith("@typescript-eslint/"))).toBe(true);
    expect(othersOf(f.configs.f!)).toEqual(f.configs.e!.messages);
    expect(f.configs.f!.messages["restate/no-deadlock"]).toBe(f.project.expectedDeadlockReports);
    // (w) is (f) again, warm: the same reports, from an index that read its cache instead of the files.
    expect(f.configs.w!.messages).toEqual(f.configs.f!.messages);
    expect(f.configs.w!.index?.indexFiles).toBe(0);
    expect(f.ratios.paired.warmOverCold.cpu).not.toBeNull();
    // (x) is (w) after a comment was appended to a file on a planted cycle: the same reports again.
    expect(f.configs.x!.messages).toEqual(f.configs.f!.messages);
    expect(f.ratios.paired.editedOverCold.cpu).not.toBeNull();
    expect(run.stdout).toContain("(x) warm after a one-file edit");
    expect(run.stdout).toContain("(f)/(e)");
    expect(f.ratios.restateOverTsRecommended.cpu).toBeGreaterThan(0);
    expect(f.ratios.paired.restateOverTsRecommended.cpu).toBeGreaterThan(0);
    expect(f.ratios.memoryRestateOverTsRecommended).toBeGreaterThan(0);
    expect(f.ratios.recommendedOverFloor.wall).toBeGreaterThan(0);
    expect(f.ratios.memoryRecommendedOverFloor).toBeGreaterThan(0);
    expect(f.ratios.paired.recommendedOverFloor.cpu).toBeGreaterThan(0);
    expect(f.scaling.map((s) => s.files)).toEqual([20]);
    expect(f.editor?.recommended?.median.n).toBe(2);
    expect(f.editor?.floor?.median.n).toBe(2);
    expect(f.editor?.recommendedNewCall?.median.n).toBe(2);
    expect(f.targets.map((t) => t.name)).toHaveLength(5);
    expect(f.go).toBeNull();
    // The generated project is cleaned up unless --keep.
    expect(readdirSync(path.join(tmp, "bench")).filter((e) => e.includes("files-seed"))).toEqual([]);
  });
});

describe("bench driver, workspace", () => {
  const dir = path.join(tmp, "bench-ws");
  let run: ReturnType<typeof runDriver>;
  beforeAll(() => {
    const args = ["--shape", "workspace", "--files", "40", "--packages", "4", "--runs", "1", "--configs", "a,e,f", "--scaling", "none", "--editor-iterations", "0"];
    run = runDriver(args, dir);
  }, 240_000);

  it("lints a workspace with typescript-eslint recommended, then with restate's added", () => {
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain("an npm workspace of 4 packages");
    expect(run.output).toContain("(f)/(e)");
    const f = run.figures!;
    expect(f.project).toMatchObject({ shape: "workspace", packages: 4, files: 40 });
    expect(Object.keys(f.configs).sort()).toEqual(["a", "e", "f"]);
    expect(f.configs.a!.messages).toEqual({});
    expect(Object.keys(f.configs.e!.messages).every((rule) => rule.startsWith("@typescript-eslint/"))).toBe(true);
    expect(othersOf(f.configs.f!)).toEqual(f.configs.e!.messages);
    expect(f.ratios.restateOverTsRecommended.cpu).toBeGreaterThan(0);
    expect(f.ratios.paired.restateOverTsRecommended.cpu).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((e) => e.includes("-seed-"))).toEqual([]);
  });

  // Every planted deadlock spans two packages that import each other by package name: this
  // needs the analysis to follow `@bench/pNN` to the other package's sources.
  it("workspace: reports every planted cross-package deadlock", () => {
    expect(run.status, run.output).toBe(0);
    const f = run.figures!;
    expect(f.project.expectedDeadlockReports).toBe(4);
    expect(f.configs.f!.messages["restate/no-deadlock"] ?? 0).toBe(f.project.expectedDeadlockReports);
  });
});

describe("bench driver, realistic", () => {
  const dir = path.join(tmp, "bench-real");
  let run: ReturnType<typeof runDriver>;
  beforeAll(() => {
    const args = ["--shape", "realistic", "--files", "40", "--runs", "1", "--configs", "a,e,f", "--scaling", "none", "--editor-iterations", "0"];
    run = runDriver(args, dir);
  }, 240_000);

  it("lints the realistic project with (a), (e) and (f)", () => {
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain("realistic, 40 files");
    expect(run.output).toContain("(f)/(e)");
    const f = run.figures!;
    expect(f.project).toMatchObject({ shape: "realistic", files: 40 });
    expect(Object.keys(f.configs).sort()).toEqual(["a", "e", "f"]);
    expect(f.configs.a!.messages).toEqual({});
    expect(othersOf(f.configs.f!)).toEqual(f.configs.e!.messages);
    expect(f.ratios.paired.restateOverTsRecommended.cpu).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((e) => e.includes("-seed-"))).toEqual([]);
  });

  it("reports exactly the planted deadlocks, not the objects' reads of their own key", () => {
    expect(run.status, run.output).toBe(0);
    const f = run.figures!;
    expect(f.project.expectedDeadlockReports).toBe(3);
    expect(f.configs.f!.messages["restate/no-deadlock"]).toBe(f.project.expectedDeadlockReports);
  });

  it("tells how many files the project index read for the cycle search (with the plugin only)", () => {
    expect(run.status, run.output).toBe(0);
    const f = run.figures!;
    expect(f.configs.a!.index).toBeNull();
    expect(f.configs.e!.index).toBeNull();
    const index = f.configs.f!.index!;
    // A planted cycle across two files: the one ESLint lints second is read ahead of it.
    expect(index.indexFiles).toBeGreaterThanOrEqual(1);
    expect(index.indexRequests).toBeGreaterThanOrEqual(index.indexFiles);
    expect(index.extraParses).toBeGreaterThanOrEqual(0);
    expect(run.output).toContain("Project index, files read for the cycle search");
  });
});

describe("bench driver, Go", () => {
  it("lints the Go project with restate.configs.go and the TypeScript one with (b), per file", () => {
    const json = path.join(tmp, "figures-go.json");
    const tsx = path.join(repo, "node_modules/.bin/tsx");
    const args = ["bench/run.ts", "--files", "20", "--runs", "1", "--configs", "a", "--scaling", "none", "--editor-iterations", "0", "--go"];
    const run = spawnSync(tsx, [...args, "--json", json, "--dir", path.join(tmp, "bench-go")], { cwd: repo, encoding: "utf8" });
    expect(run.status, run.stderr || run.stdout).toBe(0);
    expect(run.stdout).toContain("Go / TypeScript, per file");

    const f = JSON.parse(readFileSync(json, "utf8")) as BenchFigures;
    const g = f.go!;
    expect(g.project.files).toBe(20);
    for (const c of Object.values(g.configs)) {
      expect(c.files).toBe(20);
      expect(c.cpuMs.n).toBe(1);
      expect(c.perFile.cpuMs.median).toBeCloseTo(c.cpuMs.median / 20, 6);
    }
    // The Go floor runs no rule; configs.go parses every file and finds exactly the planted deadlocks.
    expect(g.configs.goFloor.messages).toEqual({});
    expect(Object.keys(g.configs.go.messages).filter((k) => !k.startsWith("restate/"))).toEqual([]);
    expect(g.configs.go.messages["restate/no-deadlock"]).toBe(g.project.expectedDeadlockReports);
    expect(g.configs.ts.messages["restate/no-deadlock"]).toBe(f.project.expectedDeadlockReports);
    // A second run with the plugin's cache makes the same reports.
    expect(g.configs.goWarm.messages).toEqual(g.configs.go.messages);
    expect(g.warm).not.toBeNull();
    // So does one after a comment was appended to a definition file.
    expect(g.configs.goEdited.messages).toEqual(g.configs.go.messages);
    expect(g.edited).not.toBeNull();
    expect(g.ratio.cpu).toBeGreaterThan(0);
    expect(g.ratio.paired.cpu).toBeGreaterThan(0);
    expect(readdirSync(path.join(tmp, "bench-go")).filter((e) => e.includes("files-seed"))).toEqual([]);
  });
});
