import { cpSync, existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tempDirs } from "../temp-dirs.js";
import { ESLint, type Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { DiskCache, cacheFolder, writeDiskCaches } from "../../src/project/disk-cache.js";
import { ProjectIndex, SETTLED_MS } from "../../src/project/index.js";
import { modelsBuilt } from "../../src/eslint/file-model.js";
import { forgetConfigs } from "../../src/project/config-files.js";
import { version as typescriptEstree } from "@typescript-eslint/typescript-estree";

const fixtures = fileURLToPath(new URL("../../fixtures", import.meta.url));
const temp = tempDirs("restate-disk-cache-");

/**
 * A copy of a fixture project, and a folder for its index cache. `settled`: its files last
 * modified an hour ago, as a project's files mostly are when it is linted (a copy's are now).
 */
function setUp(fixture: string, { settled = false } = {}): { dir: string; cache: string } {
  const top = temp();
  const dir = path.join(top, "project");
  cpSync(path.join(fixtures, fixture), dir, { recursive: true });
  if (settled) {
    // Whole seconds, which a test can set again exactly.
    const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
    for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" })) utimesSync(path.join(dir, f), anHourAgo, anHourAgo);
  }
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

/** A first run over a copy of the fixture, and the cache file it wrote. */
async function coldRun(fixture: string): Promise<{ dir: string; cache: string; cold: Awaited<ReturnType<typeof lintRun>>; file: string }> {
  const { dir, cache } = setUp(fixture);
  ProjectIndex.reset();
  const cold = await lintRun(dir, cache);
  endRun();
  const [name] = readdirSync(cache).filter((f) => f.endsWith(".json"));
  return { dir, cache, cold, file: path.join(cache, name!) };
}

/** A run in a new process, as far as the index is concerned: the last one wrote its cache and is gone. */
function endRun(): void {
  writeDiskCaches();
  ProjectIndex.reset();
  forgetConfigs();
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

  it("a second run reads no text of a file last modified long before the first read it", async () => {
    const { dir, cache } = setUp("deadlock/three-hop", { settled: true });
    ProjectIndex.reset();
    const cold = await lintRun(dir, cache);
    expect(cold.index.reads).toBeGreaterThan(0);
    endRun();
    const warm = await lintRun(dir, cache);
    expect(warm.reports).toEqual(cold.reports);
    expect(warm.index.reads).toBe(0);
    endRun();
  });

  it("a second run reads again the files modified shortly before the first read them", async () => {
    // Copied just now: a second write in the same tick of the clock could go unseen by a stat.
    const { dir, cache } = setUp("deadlock/cross-file");
    ProjectIndex.reset();
    const cold = await lintRun(dir, cache);
    expect(cold.index.reads).toBeGreaterThan(0);
    endRun();
    expect((await lintRun(dir, cache)).index.reads).toBe(cold.index.reads);
    endRun();
  });

  it("a second run reads again a file changed since with the same size and modification time", async () => {
    const { dir, cache } = setUp("deadlock/cross-file", { settled: true });
    ProjectIndex.reset();
    const cold = await lintRun(dir, cache);
    expect(cold.reports.filter((r) => r.includes("no-deadlock"))).not.toEqual([]);
    endRun();
    const payments = path.join(dir, "src/payments.ts");
    const { size, mtimeMs } = statSync(payments);
    expect(Date.now() - mtimeMs).toBeGreaterThan(SETTLED_MS);
    const call = "await ctx.objectClient(orders, ctx.key).total()";
    writeFileSync(payments, readFileSync(payments, "utf8").replace(call, "0".padEnd(call.length)));
    utimesSync(payments, mtimeMs / 1000, mtimeMs / 1000);
    expect(statSync(payments)).toMatchObject({ size, mtimeMs });
    // Only the change time tells.
    const changed = await lintRun(dir, cache);
    expect(changed.index.reads).toBe(1);
    expect(changed.reports.filter((r) => r.includes("no-deadlock"))).toEqual([]);
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
    const { dir, cache, cold, file } = await coldRun("deadlock/cross-file");
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

  it("makes sketches and models anew when they were made with another parser release", async () => {
    const { dir, cache, cold, file } = await coldRun("deadlock/cross-file");
    const data = JSON.parse(readFileSync(file, "utf8")) as { entries: Record<string, { f: string }> };
    const keys = new Set(Object.values(data.entries).map((e) => e.f));
    expect([...keys]).toEqual([`typescript@${typescriptEstree}`]);
    for (const e of Object.values(data.entries)) e.f = "typescript@0.0.1";
    writeFileSync(file, JSON.stringify(data));
    const run = await lintRun(dir, cache);
    expect(run.reports).toEqual(cold.reports);
    expect(run.index.sketched).toBe(Object.keys(data.entries).length);
    endRun();
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

/** Every message of a run in full: position, text, fix and suggestions. */
async function fullRun(
  dir: string,
  cache: string | false,
  settings: Record<string, unknown> = {},
  { typed = false, config = "strict", rules }: { typed?: boolean; config?: "strict" | "recommended"; rules?: Linter.RulesRecord } = {},
): Promise<{ messages: string[]; built: number }> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      // `rules`: those alone, with the config's parser.
      rules ? { ...plugin.configs[config], rules } : plugin.configs[config],
      ...(typed ? [{ languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: dir } } }] : []),
      { settings: { restate: { ...settings, cache } } },
    ],
  });
  const before = modelsBuilt.count;
  const results = await eslint.lintFiles(["**/*.ts"]);
  const messages = results.flatMap((r) =>
    r.messages.map((m) => JSON.stringify([path.relative(dir, r.filePath), m.ruleId, m.line, m.column, m.endLine, m.endColumn, m.messageId, m.message, m.fix, m.suggestions])),
  );
  return { messages: messages.sort(), built: modelsBuilt.count - before };
}

/** What a run without any cache reports on the project as it is now. */
async function uncached(dir: string, settings: Record<string, unknown> = {}, config: "strict" | "recommended" = "strict"): Promise<string[]> {
  ProjectIndex.reset();
  const { messages } = await fullRun(dir, false, settings, { config });
  ProjectIndex.reset();
  return messages;
}

const projects = [
  ...readdirSync(path.join(fixtures, "deadlock")).map((d) => `deadlock/${d}`),
  ...readdirSync(path.join(fixtures, "resolution")).map((d) => `resolution/${d}`),
  "demo",
  "ingress-targets",
];

describe("the reports kept in the index cache", () => {
  it.each(projects)("a second run over %s makes the same reports, fixes and suggestions without building a model, looking for cycles or reading a text", async (fixture) => {
    const { dir, cache } = setUp(fixture, { settled: true });
    const expected = await uncached(dir);
    const cold = await fullRun(dir, cache);
    expect(cold.messages).toEqual(expected);
    endRun();
    const warm = await fullRun(dir, cache);
    expect(warm.messages).toEqual(expected);
    expect(warm.built).toBe(0);
    const index = ProjectIndex.for({ root: dir, base: dir });
    expect(index.sketched).toBe(0);
    expect(index.parses.size).toBe(0);
    expect(index.cycleSearches).toBe(0);
    expect(index.reads).toBe(0);
    endRun();
  });

  it("a run of rules that read no other file keeps their reports, and those other runs made", async () => {
    const { dir, cache } = setUp("deadlock/cross-file", { settled: true });
    // These rules never ask the project index to look at the disk.
    const own: Linter.RulesRecord = { "restate/no-floating-call": "error", "restate/no-sleep-in-exclusive-handler": ["error", { minDurationMs: 5 }] };
    const first = await fullRun(dir, cache, {}, { rules: own });
    expect(first.built).toBeGreaterThan(0);
    endRun();
    const second = await fullRun(dir, cache, {}, { rules: own });
    expect(second.messages).toEqual(first.messages);
    expect(second.built).toBe(0);
    endRun();

    const all = await fullRun(dir, cache);
    expect(all.built).toBeGreaterThan(0);
    endRun();
    // Other options: reports to record, without a look at the disk.
    await fullRun(dir, cache, {}, { rules: { ...own, "restate/no-sleep-in-exclusive-handler": ["error", { minDurationMs: 7 }] } });
    endRun();
    const again = await fullRun(dir, cache);
    expect(again.messages).toEqual(all.messages);
    expect(again.built).toBe(0);
    expect(ProjectIndex.for({ root: dir, base: dir }).reads).toBe(0);
    endRun();
  });

  it("a change to another file renews the reports that read the project, and only those", async () => {
    const { dir, cache } = setUp("deadlock/cross-file");
    const cold = await fullRun(dir, cache, {}, { config: "recommended" });
    expect(cold.messages.filter((m) => m.includes("no-deadlock")).length).toBe(2);
    endRun();
    const payments = path.join(dir, "src/payments.ts");
    writeFileSync(payments, readFileSync(payments, "utf8").replace("const total = await ctx.objectClient(orders, ctx.key).total();", "const total = 0;"));
    const warm = await fullRun(dir, cache, {}, { config: "recommended" });
    endRun();
    expect(warm.messages).toEqual(await uncached(dir, {}, "recommended"));
    expect(warm.messages.filter((m) => m.includes("no-deadlock"))).toEqual([]);
    // Only the changed file's model: the other file's own rules are replayed, and it lies on no cycle now.
    expect(warm.built).toBe(1);
  });

  it("a change to a configuration file renews the reports that read the project", async () => {
    const { dir, cache } = setUp("resolution/subpath-imports");
    const cold = await fullRun(dir, cache);
    expect(cold.messages.filter((m) => m.includes("no-deadlock")).length).toBe(2);
    endRun();
    const manifest = path.join(dir, "package.json");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace('"./src/restate/*.ts"', '"./src/elsewhere/*.ts"'));
    const warm = await fullRun(dir, cache);
    endRun();
    expect(warm.messages).toEqual(await uncached(dir));
    expect(warm.messages.filter((m) => m.includes("no-deadlock"))).toEqual([]);
  });

  it("other settings, or type information, make the reports again", async () => {
    const { dir, cache } = setUp("demo");
    await fullRun(dir, cache);
    endRun();
    const settings = { refreshMs: 2000 };
    const other = await fullRun(dir, cache, settings);
    endRun();
    expect(other.built).toBeGreaterThan(0);
    expect(other.messages).toEqual(await uncached(dir, settings));
    await fullRun(dir, cache, {}, { typed: true });
    endRun();
    const typed = await fullRun(dir, cache, {}, { typed: true });
    endRun();
    expect(typed.built).toBeGreaterThan(0);
  });

  it("in an editor, a report that read the project is not made again once another buffer changed it", async () => {
    const { dir, cache } = setUp("deadlock/cross-file");
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended, { settings: { restate: { cache } } }] });
    const orders = path.join(dir, "src/orders.ts");
    const payments = path.join(dir, "src/payments.ts");
    const deadlocks = async (file: string, text = readFileSync(file, "utf8")) =>
      (await eslint.lintText(text, { filePath: file }))[0]!.messages.filter((m) => m.ruleId === "restate/no-deadlock").length;
    expect(await deadlocks(orders)).toBe(1);
    expect(await deadlocks(orders)).toBe(1);
    const unsaved = readFileSync(payments, "utf8").replace("const total = await ctx.objectClient(orders, ctx.key).total();", "const total = 0;");
    expect(await deadlocks(payments, unsaved)).toBe(0);
    expect(await deadlocks(orders)).toBe(0);
    expect(await deadlocks(payments)).toBe(1);
    expect(await deadlocks(orders)).toBe(1);
    endRun();
  });

  it("ignores kept reports that are malformed, and writes good ones", async () => {
    const { dir, cache } = setUp("deadlock/cross-file");
    const expected = (await fullRun(dir, cache)).messages;
    endRun();
    const [name] = readdirSync(cache).filter((f) => f.endsWith(".json"));
    const file = path.join(cache, name!);
    const data = JSON.parse(readFileSync(file, "utf8")) as { replays: Record<string, { h: string; r: Record<string, { r: unknown[] }> }> };
    const broken = (report: unknown) => ({
      ...data,
      replays: Object.fromEntries(Object.entries(data.replays).map(([k, e]) => [k, { ...e, r: Object.fromEntries(Object.entries(e.r).map(([rule, r]) => [rule, { ...r, r: [report] }])) }])),
    });
    for (const bad of [
      broken({ m: "certainDeadlock", l: ["x"] }),
      broken({ m: "certainDeadlock", l: [1, 0], f: [[5, 2, "y"]] }),
      broken({ m: "certainDeadlock", l: [1, 0], d: { chain: { nested: true } } }),
      broken(null),
    ]) {
      writeFileSync(file, JSON.stringify(bad));
      const run = await fullRun(dir, cache);
      endRun();
      expect(run.messages).toEqual(expected);
      expect(run.built).toBeGreaterThan(0);
      expect(() => JSON.parse(readFileSync(file, "utf8"))).not.toThrow();
    }
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
