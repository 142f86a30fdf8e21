import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generateProject } from "../bench/generate.js";
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

function treeHash(dir: string): string {
  const h = createHash("sha1");
  for (const f of sourceFiles(dir)) h.update(path.relative(dir, f)).update("\0").update(readFileSync(f)).update("\0");
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

describe("bench driver, quick mode", () => {
  it("lints with every configuration and writes the figures", () => {
    const json = path.join(tmp, "figures.json");
    const tsx = path.join(repo, "node_modules/.bin/tsx");
    const args = ["bench/run.ts", "--files", "20", "--runs", "1", "--scaling", "20", "--editor-iterations", "2", "--rescan-iterations", "0"];
    const run = spawnSync(tsx, [...args, "--json", json, "--dir", path.join(tmp, "bench")], { cwd: repo, encoding: "utf8" });
    expect(run.status, run.stderr || run.stdout).toBe(0);
    expect(run.stdout).toContain("(b)/(a)");

    const f = JSON.parse(readFileSync(json, "utf8")) as BenchFigures;
    expect(Object.keys(f.configs).sort()).toEqual(["a", "b", "c", "d"]);
    for (const c of Object.values(f.configs)) {
      expect(c.wallMs.n).toBe(1);
      expect(c.wallMs.median).toBeGreaterThan(0);
      expect(c.maxRssMb.median).toBeGreaterThan(0);
    }
    expect(f.configs.a!.messages).toEqual({});
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
    // The generated project is cleaned up unless --keep.
    expect(readdirSync(path.join(tmp, "bench")).filter((e) => e.includes("files-seed"))).toEqual([]);
  });
});
