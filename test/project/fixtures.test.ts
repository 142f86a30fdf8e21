import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { listSourceFiles } from "../../src/project/files.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.resolve(here, "../../fixtures/deadlock");
const scenarios = readdirSync(fixturesDir).sort();

/** `// expect: certainDeadlock` at the end of a line: the reports that line must get. */
function expectedReports(dir: string): string[] {
  const out: string[] = [];
  for (const file of listSourceFiles(dir)) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        const m = /\/\/ expect: (\w+)/.exec(line);
        if (m) out.push(`${path.relative(dir, file)}:${i + 1} ${m[1]}`);
      });
  }
  return out.sort();
}

async function lint(dir: string, typed: boolean): Promise<string[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ["**/*.ts"],
        plugins: { restate: plugin },
        languageOptions: {
          parser: plugin.configs.recommended.languageOptions!.parser,
          parserOptions: typed ? { projectService: true, tsconfigRootDir: dir } : {},
        },
        rules: { "restate/no-deadlock": "error" },
      },
    ],
  });
  const results = await eslint.lintFiles(["src/**/*.ts"]);
  const out: string[] = [];
  for (const r of results) {
    for (const m of r.messages) {
      expect(m.fatal, `${r.filePath}: ${m.message}`).not.toBe(true);
      out.push(`${path.relative(dir, r.filePath)}:${m.line} ${m.messageId}`);
    }
  }
  return out.sort();
}

describe.each([false, true])("no-deadlock on the fixture projects (type information: %s)", (typed) => {
  it.each(scenarios)("%s", async (scenario) => {
    const dir = path.join(fixturesDir, scenario);
    const expected = expectedReports(dir);
    if (scenario.startsWith("neg-")) expect(expected).toEqual([]);
    else expect(expected.length).toBeGreaterThan(0);
    expect(await lint(dir, typed)).toEqual(expected);
  });
});
