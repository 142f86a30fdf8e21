import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { afterEach, describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { DiskCache, cacheFolder, writeDiskCaches } from "../../src/project/disk-cache.js";
import { ProjectIndex } from "../../src/project/index.js";

const fixtures = fileURLToPath(new URL("../../fixtures", import.meta.url));
const temps: string[] = [];

afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

function temp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "restate-disk-cache-"));
  temps.push(dir);
  return dir;
}

/** A copy of a fixture project, and a folder for its index cache. */
function setUp(fixture: string): { dir: string; cache: string } {
  const top = temp();
  const dir = path.join(top, "project");
  cpSync(path.join(fixtures, fixture), dir, { recursive: true });
  return { dir, cache: path.join(top, "cache") };
}

async function lintRun(dir: string, cache: string): Promise<{ reports: string[]; index: ProjectIndex }> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [plugin.configs.recommended, { settings: { restate: { cache } } }],
  });
  const results = await eslint.lintFiles(["**/*.ts"]);
  const reports = results.flatMap((r) => r.messages.map((m) => `${path.relative(dir, r.filePath)}:${m.line} ${m.ruleId} ${m.messageId}`)).sort();
  return { reports, index: ProjectIndex.for({ root: dir, base: dir }) };
}

/** A run in a new process, as far as the index is concerned: the last one wrote its cache and is gone. */
function endRun(): void {
  writeDiskCaches();
  ProjectIndex.reset();
}

describe("the index cache on disk", () => {
  it("a second run over an unchanged project neither sketches nor parses, and reports the same", async () => {
    const { dir, cache } = setUp("deadlock/three-hop");
    ProjectIndex.reset();
    const cold = await lintRun(dir, cache);
    expect(cold.reports.some((r) => r.includes("restate/no-deadlock"))).toBe(true);
    expect(cold.index.sketched).toBeGreaterThan(0);
    expect(cold.index.parses.size).toBeGreaterThan(0);
    endRun();
    expect(readdirSync(cache).filter((f) => f.endsWith(".json"))).toHaveLength(1);

    const warm = await lintRun(dir, cache);
    expect(warm.reports).toEqual(cold.reports);
    expect(warm.index.sketched).toBe(0);
    expect(warm.index.parses.size).toBe(0);
    endRun();
  });

  it("a changed file is sketched and parsed again, and its old entry falls out of the cache", async () => {
    const { dir, cache } = setUp("deadlock/cross-file");
    ProjectIndex.reset();
    await lintRun(dir, cache);
    endRun();
    const payments = path.join(dir, "src/payments.ts");
    writeFileSync(payments, readFileSync(payments, "utf8").replace("const total = await ctx.objectClient(orders, ctx.key).total();", "const total = 0;"));
    const after = await lintRun(dir, cache);
    expect(after.reports.filter((r) => r.includes("no-deadlock"))).toEqual([]);
    expect(after.index.sketched).toBe(1);
    endRun();
    const [file] = readdirSync(cache).filter((f) => f.endsWith(".json"));
    const data = JSON.parse(readFileSync(path.join(cache, file!), "utf8")) as { entries: Record<string, unknown> };
    expect(Object.keys(data.entries)).toHaveLength(2);
  });

  it("ignores a cache file that is broken, of another version or of another project, and writes a good one", async () => {
    const { dir, cache } = setUp("deadlock/cross-file");
    ProjectIndex.reset();
    const cold = await lintRun(dir, cache);
    endRun();
    const [name] = readdirSync(cache).filter((f) => f.endsWith(".json"));
    const file = path.join(cache, name!);
    const good = readFileSync(file, "utf8");
    const data = JSON.parse(good) as { plugin: string; root: string; entries: Record<string, { m?: { calls?: unknown } }> };
    for (const bad of [
      "{ not json",
      JSON.stringify({ ...data, plugin: "0.0.0-other" }),
      JSON.stringify({ ...data, root: "/elsewhere" }),
      JSON.stringify({ ...data, entries: Object.fromEntries(Object.entries(data.entries).map(([k, e]) => [k, { ...e, m: { ...e.m, calls: "nope" } }])) }),
    ]) {
      writeFileSync(file, bad);
      const run = await lintRun(dir, cache);
      expect(run.reports).toEqual(cold.reports);
      expect(run.index.sketched).toBeGreaterThan(0);
      endRun();
      expect(() => JSON.parse(readFileSync(file, "utf8"))).not.toThrow();
    }
  });

  it("concurrent writers leave a whole file, never a torn one", () => {
    const folder = temp();
    const caches = Array.from({ length: 4 }, () => DiskCache.for(folder, "/project", "k")!);
    caches.forEach((c, i) => c.putSketch(`hash${i}`, "typescript", { handles: [`h${i}`], handleRefs: [], waits: [], aliases: [], imports: [], passThrough: false }));
    for (const c of caches) c.write();
    const files = readdirSync(folder);
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const data = JSON.parse(readFileSync(path.join(folder, files[0]!), "utf8")) as { entries: Record<string, unknown> };
    // Each writer merges what the others wrote before it.
    expect(Object.keys(data.entries).sort()).toEqual(["hash0", "hash1", "hash2", "hash3"]);
  });
});

describe("where the index cache goes", () => {
  it("settings first, then the environment, ESLint's --cache-location, and node_modules/.cache", () => {
    const top = temp();
    const project = path.join(top, "app");
    cpSync(path.join(fixtures, "deadlock/cross-file"), project, { recursive: true });
    expect(cacheFolder(false, project, [], {})).toBeNull();
    expect(cacheFolder("custom", project, [], { ESLINT_PLUGIN_RESTATE_CACHE: "0" })).toBe(path.join(project, "custom"));
    expect(cacheFolder(undefined, project, [], { ESLINT_PLUGIN_RESTATE_CACHE: "0" })).toBeNull();
    expect(cacheFolder(undefined, project, ["node", "eslint", "--cache-location", "tmp/.eslintcache"], {})).toBe(path.join(project, "tmp/eslint-plugin-restate"));
    expect(cacheFolder(undefined, project, ["node", "eslint", "--cache-location=tmp/cache/"], {})).toBe(path.join(project, "tmp/cache/eslint-plugin-restate"));
    // No node_modules anywhere above a folder in the temp dir: no cache unless asked for.
    expect(cacheFolder(undefined, project, [], {})).toBeNull();
    cpSync(path.join(fixtures, "deadlock/cross-file/package.json"), path.join(project, "node_modules/x/package.json"));
    expect(cacheFolder(undefined, path.join(project, "src"), [], {})).toBe(path.join(project, "node_modules/.cache/eslint-plugin-restate"));
    expect(existsSync(path.join(project, "node_modules/.cache"))).toBe(false);
  });
});
