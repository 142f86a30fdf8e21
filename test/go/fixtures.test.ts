import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeEach, describe, expect, it } from "vitest";
import plugin from "../../src/go/index.js";
import { everyGoRule } from "./helpers.js";
import { listSourceFiles } from "../../src/project/files.js";
import { ProjectIndex } from "../../src/project/index.js";
import { expectedRuleReports } from "../expected-reports.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.resolve(here, "../../fixtures/go");
const scenarios = readdirSync(fixturesDir).sort();

/** The Go entry's plugin: one for both languages, each rule dispatching on the file's language. */
const both = plugin as unknown as ESLint.Plugin;


async function lint(dir: string): Promise<{ reports: string[]; messages: Map<string, string[]> }> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    errorOnUnmatchedPattern: false,
    overrideConfig: [
      {
        files: ["**/*.ts"],
        plugins: { restate: both },
        languageOptions: { parser: plugin.configs.recommended.languageOptions!.parser },
        rules: { "restate/no-deadlock": "error" },
      },
      { files: ["**/*.go"], plugins: { restate: both }, language: "restate/go", rules: everyGoRule() },
    ],
  });
  const results = await eslint.lintFiles(["**/*.ts", "**/*.go"]);
  const reports: string[] = [];
  const messages = new Map<string, string[]>();
  for (const r of results) {
    const rel = path.relative(dir, r.filePath);
    for (const m of r.messages) {
      expect(m.fatal, `${r.filePath}: ${m.message}`).not.toBe(true);
      reports.push(`${rel}:${m.line} ${m.ruleId} ${m.messageId}`);
      messages.set(rel, [...(messages.get(rel) ?? []), m.message]);
    }
  }
  return { reports: reports.sort(), messages };
}

beforeEach(() => ProjectIndex.reset());

describe("Go fixture projects", () => {
  it.each(scenarios)("%s", async (scenario) => {
    const dir = path.join(fixturesDir, scenario);
    const expected = expectedRuleReports(dir, listSourceFiles(dir));
    if (scenario === "negatives") expect(expected).toEqual([]);
    else expect(expected.length).toBeGreaterThan(0);
    expect((await lint(dir)).reports).toEqual(expected);
  });

  it("reports a TypeScript → Go → TypeScript cycle in both files, naming each hop's file", async () => {
    const { messages } = await lint(path.join(fixturesDir, "cross-language"));
    const deadlocks = [...messages.values()].flat().filter((m) => m.startsWith("Deadlock:"));
    expect(deadlocks).toHaveLength(2);
    for (const m of deadlocks) {
      expect(m).toContain("Account.deposit (src/account.ts:11) → Ledger.Record (ledger/ledger.go:12) → Account.balance [same key]");
    }
  });
});
