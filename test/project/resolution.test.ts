import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProjectIndex } from "../../src/project/index.js";
import { deadlockEslint, deadlockReports, expectedReports } from "../deadlock-eslint.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.resolve(here, "../../fixtures/resolution");
const scenarios = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** Every TypeScript file of a fixture (its build output and ignored folders hold JavaScript only). */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

async function lint(dir: string, typed: boolean): Promise<{ reports: string[]; messages: string[] }> {
  const { reports, messages, fatal } = await deadlockReports(deadlockEslint(dir, { typed }), dir, ["**/*.ts"]);
  expect(fatal).toEqual([]);
  return { reports, messages };
}

beforeEach(() => ProjectIndex.reset());

// A compiled copy in a folder the package's .gitignore excludes (so it cannot be committed):
// were it read, its definition would close a cycle.
beforeAll(() => {
  const greeter = path.join(fixturesDir, "build-output/packages/greeter");
  mkdirSync(path.join(greeter, "generated"), { recursive: true });
  writeFileSync(path.join(greeter, "generated/index.js"), readFileSync(path.join(greeter, "lib/index.js")));
});

describe.each([false, true])("call targets resolved across files, packages and workspaces (type information: %s)", (typed) => {
  it.each(scenarios)("%s", async (scenario) => {
    const dir = path.join(fixturesDir, scenario);
    const expected = expectedReports(dir, tsFiles(dir));
    if (scenario.startsWith("neg-")) expect(expected).toEqual([]);
    const { reports } = await lint(dir, typed);
    expect(reports).toEqual(expected);
  });

  it("the workspace scenario with settings.restate.project naming both packages: the same certain deadlock in both files", async () => {
    const dir = path.join(fixturesDir, "npm-workspace");
    const eslint = deadlockEslint(dir, { typed, settings: { project: ["packages/orders/src/**/*.ts", "packages/payments/src/**/*.ts"] } });
    const { reports, fatal } = await deadlockReports(eslint, dir, ["packages/*/src/**/*.ts"]);
    expect(fatal).toEqual([]);
    expect(reports).toEqual(["packages/orders/src/orders.ts:9 certainDeadlock", "packages/payments/src/payments.ts:8 certainDeadlock"]);
  });

  it("names every definition a possible deadlock may go through when a name is defined twice", async () => {
    const { messages } = await lint(path.join(fixturesDir, "duplicate-ambiguous"), typed);
    expect(messages).toHaveLength(2);
    for (const m of messages) {
      expect(m).toContain("Ledger is defined more than once in the project (v1/ledger.ts:6, v2/ledger.ts:6)");
      expect(m).toContain("if it is the one at v2/ledger.ts:6");
    }
  });
});
