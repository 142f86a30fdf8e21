import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { listSourceFiles } from "../../src/project/files.js";
import { deadlockEslint, deadlockReports, expectedReports } from "../deadlock-eslint.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.resolve(here, "../../fixtures/deadlock");
const scenarios = readdirSync(fixturesDir).sort();

async function lint(dir: string, typed: boolean): Promise<string[]> {
  const { reports, fatal } = await deadlockReports(deadlockEslint(dir, { typed }), dir, ["src/**/*.ts"]);
  expect(fatal).toEqual([]);
  return reports;
}

describe.each([false, true])("no-deadlock on the fixture projects (type information: %s)", (typed) => {
  it.each(scenarios)("%s", async (scenario) => {
    const dir = path.join(fixturesDir, scenario);
    const expected = expectedReports(dir, listSourceFiles(dir));
    if (scenario.startsWith("neg-")) expect(expected).toEqual([]);
    else expect(expected.length).toBeGreaterThan(0);
    expect(await lint(dir, typed)).toEqual(expected);
  });
});
