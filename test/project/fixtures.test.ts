import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { listSourceFiles } from "../../src/project/files.js";
import { deadlockEslint, deadlockReports } from "../deadlock-eslint.js";

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
  const { reports, fatal } = await deadlockReports(deadlockEslint(dir, { typed }), dir, ["src/**/*.ts"]);
  expect(fatal).toEqual([]);
  return reports;
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
