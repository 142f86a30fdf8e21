import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tempDirs } from "../temp-dirs.js";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/go/index.js";
import { everyGoRule } from "./helpers.js";
import { goDependencies } from "../../src/go/package.js";
import { GO_PARSER_ID } from "../../src/go/parser.js";
import { createRequire } from "node:module";
import { writeDiskCaches } from "../../src/project/disk-cache.js";
import { inSkippedFolder } from "../../src/project/files.js";
import { ProjectIndex } from "../../src/project/index.js";
import { modelsBuilt } from "../../src/eslint/file-model.js";
import { forgetConfigs } from "../../src/project/config-files.js";

const fixtures = fileURLToPath(new URL("../../fixtures", import.meta.url));
const both = plugin as unknown as ESLint.Plugin;
const temp = tempDirs("restate-go-report-cache-");

/** A run in a new process, as far as the plugin is concerned: the last one wrote its cache and is gone. */
function endRun(): void {
  writeDiskCaches();
  ProjectIndex.reset();
  forgetConfigs();
}

/** Every message of a run over the project's Go and TypeScript files, in full (fixes and suggestions too). */
async function fullRun(dir: string, cache: string | false): Promise<{ messages: string[]; built: number }> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    errorOnUnmatchedPattern: false,
    overrideConfig: [
      { ...plugin.configs.strict, files: ["**/*.ts"] },
      { files: ["**/*.go"], plugins: { restate: both }, language: "restate/go", rules: everyGoRule() },
      { settings: { restate: { cache } } },
    ],
  });
  const before = modelsBuilt.count;
  const results = await eslint.lintFiles(["**/*.go", "**/*.ts"]);
  const messages = results.flatMap((r) =>
    r.messages.map((m) => JSON.stringify([path.relative(dir, r.filePath), m.ruleId, m.line, m.column, m.endLine, m.endColumn, m.messageId, m.message, m.fix, m.suggestions])),
  );
  return { messages: messages.sort(), built: modelsBuilt.count - before };
}

function restateFilesOutsideTheProject(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".go") && inSkippedFolder(dir, path.join(dir, f)) && readFileSync(path.join(dir, f), "utf8").includes("github.com/restatedev/sdk-go"),
  ).length;
}

const projects = [...readdirSync(path.join(fixtures, "go")).map((d) => `go/${d}`), ...readdirSync(path.join(fixtures, "go-roots"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `go-roots/${e.name}`)];

describe("the reports of Go files kept in the plugin's cache", () => {
  it.each(projects)("a second run over %s makes the same reports, fixes and suggestions without building a model", async (fixture) => {
    const top = temp();
    const dir = path.join(top, "project");
    cpSync(path.join(fixtures, fixture), dir, { recursive: true });
    const cache = path.join(top, "cache");
    ProjectIndex.reset();
    const expected = (await fullRun(dir, false)).messages;
    endRun();
    const cold = await fullRun(dir, cache);
    expect(cold.messages).toEqual(expected);
    endRun();
    const warm = await fullRun(dir, cache);
    expect(warm.messages).toEqual(expected);
    // Files of vendor/ and testdata/ are no code of the project: their reports are not kept.
    expect(warm.built).toBe(restateFilesOutsideTheProject(dir));
    endRun();
  });

  it("keeps what it made under the web-tree-sitter release and the grammar that parsed it", async () => {
    const release = (JSON.parse(readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve("web-tree-sitter")), "package.json"), "utf8")) as { version: string }).version;
    expect(GO_PARSER_ID).toMatch(new RegExp(`^${release.replace(/\./g, "\\.")}\\+[\\w-]{12}$`));
    const top = temp();
    const dir = path.join(top, "project");
    cpSync(path.join(fixtures, "go/go-only"), dir, { recursive: true });
    const cache = path.join(top, "cache");
    ProjectIndex.reset();
    await fullRun(dir, cache);
    endRun();
    const [name] = readdirSync(cache).filter((f) => f.endsWith(".json"));
    const data = JSON.parse(readFileSync(path.join(cache, name!), "utf8")) as { entries: Record<string, { f: string }> };
    expect(new Set(Object.values(data.entries).map((e) => e.f))).toContain(`go@${GO_PARSER_ID}`);
  });

  it("a change to another file of the package makes the file's reports again", async () => {
    const top = temp();
    const dir = path.join(top, "project");
    cpSync(path.join(fixtures, "go/cross-package-helpers"), dir, { recursive: true });
    const cache = path.join(top, "cache");
    const cold = await fullRun(dir, cache);
    endRun();
    const push = path.join(dir, "billing/push.go");
    writeFileSync(push, readFileSync(push, "utf8").replace("return audit.Record(ctx, period)", "return nil"));
    const warm = await fullRun(dir, cache);
    endRun();
    expect(warm.built).toBeGreaterThan(0);
    expect(warm.messages).not.toEqual(cold.messages);
    expect(warm.messages).toEqual((await fullRun(dir, false)).messages);
    endRun();
  });
});

describe("what a Go file's kept reports depend on besides the project", () => {
  /** A module that replaces a dependency with a module beside it, outside its own folder. */
  function modules(): { app: string; lib: string; file: string } {
    const top = temp();
    const app = path.join(top, "app");
    const lib = path.join(top, "lib");
    mkdirSync(path.join(app, "svc"), { recursive: true });
    mkdirSync(lib, { recursive: true });
    writeFileSync(path.join(app, "go.mod"), "module example.com/app\n\ngo 1.22\n\nreplace example.com/lib => ../lib\n");
    writeFileSync(path.join(app, "svc/svc.go"), "package svc\n");
    writeFileSync(path.join(app, "svc/other.go"), "package svc\n");
    writeFileSync(path.join(lib, "go.mod"), "module example.com/lib\n\ngo 1.22\n");
    writeFileSync(path.join(lib, "lib.go"), "package lib\n");
    return { app, lib, file: path.join(app, "svc/svc.go") };
  }

  /** The digest as a new lint process takes it (the last look at the modules is not reused). */
  function fresh(file: string): string | null {
    forgetConfigs();
    return goDependencies(file);
  }

  it("changes with a file of a module the scope replaces with a local one, and with the file's folder; not otherwise", () => {
    const { app, lib, file } = modules();
    const first = fresh(file);
    expect(first).toEqual(expect.any(String));
    expect(fresh(file)).toBe(first);
    writeFileSync(path.join(lib, "lib.go"), "package lib\n\nfunc Helper() {}\n");
    const afterLib = fresh(file);
    expect(afterLib).not.toBe(first);
    writeFileSync(path.join(app, "svc/svc_test.go"), "package svc\n");
    const afterTest = fresh(file);
    expect(afterTest).not.toBe(afterLib);
    // A folder Go leaves out of the module's packages is read by no model.
    mkdirSync(path.join(app, "testdata"));
    writeFileSync(path.join(app, "testdata/x.go"), "package x\n");
    expect(fresh(file)).toBe(afterTest);
  });
});
