import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { ruleDocsUrl } from "../src/meta.js";

const demo = fileURLToPath(new URL("../fixtures/demo", import.meta.url));

interface Sarif {
  runs: {
    tool: { driver: { rules?: { id: string; helpUri?: string }[] } };
    results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
  }[];
}

describe("SARIF for GitHub code scanning", () => {
  it("has one result per finding, with rule ids and the doc URL as helpUri", async () => {
    const eslint = new ESLint({ cwd: demo, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended] });
    const results = await eslint.lintFiles(["src/**/*.ts"]);
    const findings = results.flatMap((r) => r.messages.map((m) => `${m.ruleId}:${m.line}`)).sort();
    expect(findings.length).toBeGreaterThan(3);

    const formatter = await eslint.loadFormatter("@microsoft/eslint-formatter-sarif");
    const sarif = JSON.parse(await formatter.format(results, { cwd: demo, rulesMeta: eslint.getRulesMetaForResults(results) } as Parameters<typeof formatter.format>[1])) as Sarif;
    const run = sarif.runs[0]!;
    const sarifFindings = run.results.map((r) => `${r.ruleId}:${r.locations[0]!.physicalLocation.region.startLine}`).sort();
    expect(sarifFindings).toEqual(findings);

    const rules = run.tool.driver.rules ?? [];
    for (const id of new Set(run.results.map((r) => r.ruleId))) {
      const rule = rules.find((r) => r.id === id);
      expect(rule?.helpUri, id).toBe(ruleDocsUrl(id.replace("restate/", "")));
    }
  });
});
