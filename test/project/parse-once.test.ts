import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeEach, describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { parserStats } from "../../src/eslint/parser.js";
import { ProjectIndex } from "../../src/project/index.js";

const fixtures = fileURLToPath(new URL("../../fixtures", import.meta.url));
const projects = ["deadlock", "resolution"].flatMap((group) =>
  readdirSync(path.join(fixtures, group), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${group}/${e.name}`),
);

beforeEach(() => {
  ProjectIndex.reset();
  parserStats.parsed.clear();
  parserStats.shared.clear();
});

describe("each file is parsed once per lint run, ESLint's own parse included", () => {
  it.each(projects)("%s with the recommended config", async (project) => {
    const dir = path.join(fixtures, project);
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended] });
    const results = await eslint.lintFiles(["**/*.ts"]);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(parserStats.parsed.get(r.filePath) ?? 0, r.filePath).toBeLessThanOrEqual(1);
  });

  it("a cycle across files needs parses ahead, and they are shared", async () => {
    const dir = path.join(fixtures, "deadlock/three-hop");
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended] });
    const results = await eslint.lintFiles(["**/*.ts"]);
    expect(results.flatMap((r) => r.messages.filter((m) => m.ruleId === "restate/no-deadlock")).length).toBeGreaterThan(0);
    expect([...parserStats.shared.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
