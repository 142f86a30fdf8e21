import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generateProject } from "../bench/generate.js";
import { generateGoProject } from "../bench/generate-go.js";
import type { BenchFigures } from "../bench/run.js";

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
  it("lints with every configuration and writes the figures", () => {
    const json = path.join(tmp, "figures.json");
    const tsx = path.join(repo, "node_modules/.bin/tsx");
    const args = ["bench/run.ts", "--files", "20", "--runs", "1", "--scaling", "20", "--editor-iterations", "2", "--rescan-iterations", "0"];
    const run = spawnSync(tsx, [...args, "--json", json, "--dir", path.join(tmp, "bench")], { cwd: repo, encoding: "utf8" });
    expect(run.status, run.stderr || run.stdout).toBe(0);
    expect(run.stdout).toContain("(b)/(a)");

    const f = JSON.parse(readFileSync(json, "utf8")) as BenchFigures;
    expect(Object.keys(f.configs).sort()).toEqual(["a", "b", "c", "d", "t"]);
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
    expect(g.ratio.cpu).toBeGreaterThan(0);
    expect(g.ratio.paired.cpu).toBeGreaterThan(0);
    expect(readdirSync(path.join(tmp, "bench-go")).filter((e) => e.includes("files-seed"))).toEqual([]);
  });
});
