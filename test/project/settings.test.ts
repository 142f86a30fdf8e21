import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tempDirs } from "../temp-dirs.js";
import { ESLint, Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import goEntry from "../../src/go/index.js";
import { goLanguage } from "../../src/go/language.js";
import { goProjectAnalysis } from "../../src/go/project.js";
import { type GoRuleContext, goModel } from "../../src/go/rule-kit.js";
import { RestateSettingsError, restateSettings } from "../../src/project/settings.js";

const fixture = fileURLToPath(new URL("../../fixtures/settings", import.meta.url));
const orders = path.join(fixture, "src/orders.ts");
const cart = path.join(fixture, "go/cart.go");
// Go files are linted through the Go entry.
const goPlugin = goEntry as unknown as ESLint.Plugin;
const RULES: Linter.RulesRecord = { "restate/no-deadlock": "error", "restate/no-request-from-exclusive-handler": "error" };

function tsConfig(settings: Record<string, unknown>): Linter.Config[] {
  return [{ files: ["**/*.ts"], plugins: { restate: plugin }, languageOptions: { parser: plugin.configs.recommended.languageOptions!.parser }, settings, rules: RULES }];
}

function goConfig(settings: Record<string, unknown>): Linter.Config[] {
  return [{ files: ["**/*.go"], plugins: { restate: goPlugin }, language: "restate/go", settings, rules: RULES }];
}

/** Lints the fixture's orders.ts as ESLint run from the fixture would; the rule ids of its reports. */
function lintOrders(settings: Record<string, unknown>, text = readFileSync(orders, "utf8")): string[] {
  return new Linter({ cwd: fixture }).verify(text, tsConfig(settings), orders).map((m) => m.ruleId ?? m.message);
}

const temp = tempDirs("restate-settings-");

function copyFixture(): string {
  const dir = temp();
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

describe("settings.restate: configuration errors stop the lint", () => {
  const cases: [string, unknown, RegExp][] = [
    ["restate is no object", 42, /^eslint-plugin-restate: settings\.restate must be an object such as \{ project: \[.*\] \}, not 42\./],
    ["restate is an array", ["src/**/*.ts"], /^eslint-plugin-restate: settings\.restate must be an object .*, not an array\./],
    [
      "a misspelt key",
      { projects: ["src/**/*.ts"] },
      /^eslint-plugin-restate: settings\.restate\.projects is not a setting \(did you mean "project"\?\): the known keys are project, refreshMs, cache\./,
    ],
    ["a key in the wrong case", { refreshms: 0 }, /^eslint-plugin-restate: settings\.restate\.refreshms is not a setting \(did you mean "refreshMs"\?\)/],
    ["an unknown key unlike any", { include: ["src"] }, /^eslint-plugin-restate: settings\.restate\.include is not a setting: the known keys are project, refreshMs, cache\./],
    ["project is a number", { project: 42 }, /^eslint-plugin-restate: settings\.restate\.project must be an array of globs \(non-empty strings, relative to ESLint's cwd\) .*, not 42\./],
    ["project is a string", { project: "src/**/*.ts" }, /^eslint-plugin-restate: settings\.restate\.project must be an array of globs .*, not "src\/\*\*\/\*\.ts"\./],
    ["project is empty", { project: [] }, /^eslint-plugin-restate: settings\.restate\.project must be an array of globs .*, not \[\]: leave it out/],
    ["a glob is empty", { project: ["src/**/*.ts", ""] }, /^eslint-plugin-restate: settings\.restate\.project\[1\] must be a non-empty glob string, not ""\./],
    ["a glob is no string", { project: [null] }, /^eslint-plugin-restate: settings\.restate\.project\[0\] must be a non-empty glob string, not null\./],
    ["refreshMs is a string", { refreshMs: "500" }, /^eslint-plugin-restate: settings\.restate\.refreshMs must be a non-negative finite number of milliseconds .*, not "500"\./],
    ["refreshMs is negative", { refreshMs: -1 }, /^eslint-plugin-restate: settings\.restate\.refreshMs must be .*, not -1\./],
    ["refreshMs is infinite", { refreshMs: Infinity }, /^eslint-plugin-restate: settings\.restate\.refreshMs must be .*, not Infinity\./],
    ["cache is a number", { cache: 1 }, /^eslint-plugin-restate: settings\.restate\.cache must be true, false \(no cache on disk\) or a folder for it \(relative to ESLint's cwd\), not 1\./],
    ["cache is an empty folder name", { cache: " " }, /^eslint-plugin-restate: settings\.restate\.cache must be .*, not " "\./],
    [
      "a glob matches no source file",
      { project: ["src/**/*.ts", "services/*/src/**/*.ts"] },
      /^eslint-plugin-restate: settings\.restate\.project glob "services\/\*\/src\/\*\*\/\*\.ts" matches no source file \(\.ts, .*\) under .*: globs are relative to ESLint's cwd/,
    ],
    ["a glob matches only other files", { project: ["*.json"] }, /^eslint-plugin-restate: settings\.restate\.project glob "\*\.json" matches no source file/],
  ];
  for (const [title, restate, message] of cases) {
    it(title, () => {
      expect(() => lintOrders({ restate })).toThrow(message);
    });
  }

  it("names every problem, one line each", () => {
    let error: unknown;
    try {
      restateSettings({ restate: { projects: [], refreshMs: "1", project: 1 } }, fixture);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RestateSettingsError);
    const lines = (error as Error).message.split("\n");
    expect(lines.map((l) => l.match(/^eslint-plugin-restate: (settings\.restate\.\w+)/)?.[1])).toEqual([
      "settings.restate.projects",
      "settings.restate.project",
      "settings.restate.refreshMs",
    ]);
  });

  it("reaches ESLint from a TypeScript file, with the message first", async () => {
    const eslint = new ESLint({ cwd: fixture, overrideConfigFile: true, overrideConfig: tsConfig({ restate: { projects: ["src/**/*.ts"] } }) });
    const error = await eslint.lintFiles(["src/orders.ts"]).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(RestateSettingsError);
    expect(error!.message).toMatch(/^eslint-plugin-restate: settings\.restate\.projects is not a setting \(did you mean "project"\?\)/);
  });

  it("is thrown by the Go rules' analysis", () => {
    const probe = {
      meta: { type: "problem", schema: [] },
      create: (context: GoRuleContext) => ({ "source_file:exit": () => goProjectAnalysis(context, goModel(context), "cycles") }),
    };
    const config: Linter.Config[] = [
      { files: ["**/*.go"], plugins: { probe: { languages: { go: goLanguage }, rules: { probe } } as unknown as ESLint.Plugin }, language: "probe/go" },
      { files: ["**/*.go"], settings: { restate: { refreshMs: "0" } }, rules: { "probe/probe": "error" } },
    ];
    expect(() => new Linter({ cwd: fixture }).verify(readFileSync(cart, "utf8"), config, cart)).toThrow(
      /^eslint-plugin-restate: settings\.restate\.refreshMs must be/,
    );
  });

  // The Go rules' wrapper (src/go/rule-kit.ts) swallows every error of a listener, this one too:
  // make it rethrow a RestateSettingsError, then turn this into an `it`.
  it("reaches ESLint from a Go file", async () => {
    const eslint = new ESLint({ cwd: fixture, overrideConfigFile: true, overrideConfig: goConfig({ restate: { project: ["go/*.go"], refreshMs: "0" } }) });
    await expect(eslint.lintFiles(["go/cart.go"])).rejects.toThrow(/^eslint-plugin-restate: settings\.restate\.refreshMs must be/);
  });
});

describe("settings.restate: valid settings", () => {
  for (const settings of [
    {},
    { restate: {} },
    { restate: { refreshMs: 0 } },
    { restate: { project: ["src/**/*.ts"], refreshMs: 1000 } },
    { restate: { project: ["src/{orders,payments}.ts"] } },
    // A folder stands for everything under it.
    { restate: { project: ["src"] } },
    { restate: { project: [path.join(fixture, "src/*.ts")] } },
  ]) {
    it(JSON.stringify(settings), () => {
      expect(lintOrders(settings)).toEqual(["restate/no-deadlock", "restate/no-request-from-exclusive-handler"]);
    });
  }

  it("in Go files", () => {
    const messages = new Linter({ cwd: fixture }).verify(readFileSync(cart, "utf8"), goConfig({ restate: { project: ["go/*.go"] } }), cart);
    expect(messages.map((m) => m.ruleId)).toContain("restate/no-deadlock");
  });

  it("a file without Restate code is not checked against them", () => {
    expect(lintOrders({ restate: 42 }, "export const x = 1;\n")).toEqual([]);
  });
});

describe("settings.restate: checked once", () => {
  it("walks the disk once per globs and cwd", () => {
    const dir = copyFixture();
    const globs = ["src/**/*.ts"];
    expect(restateSettings({ restate: { project: globs } }, dir)).toEqual({ project: globs });
    rmSync(path.join(dir, "src"), { recursive: true });
    // An equal value in another object, as another config block would give: no second walk.
    expect(restateSettings({ restate: { project: [...globs] } }, dir)).toEqual({ project: globs });
    // Another cwd is another walk.
    expect(() => restateSettings({ restate: { project: globs } }, path.join(dir, "go"))).toThrow(/matches no source file/);
  });

  it("keeps a failed check too", () => {
    const dir = copyFixture();
    const settings = { restate: { project: ["lib/**/*.ts"] } };
    expect(() => restateSettings(settings, dir)).toThrow(/glob "lib\/\*\*\/\*\.ts" matches no source file/);
    cpSync(path.join(dir, "src"), path.join(dir, "lib"), { recursive: true });
    expect(() => restateSettings(settings, dir)).toThrow(RestateSettingsError);
    writeFileSync(path.join(dir, "lib/more.ts"), "export {};\n");
    expect(() => restateSettings({ restate: { project: ["lib/**/*.ts"] } }, dir)).toThrow(RestateSettingsError);
  });
});
