import tsParser from "@typescript-eslint/parser";
import { ESLintUtils, type TSESTree } from "@typescript-eslint/utils";
import { type ESLint, Linter } from "eslint";
import { describe, expect, it, vi } from "vitest";
import { createRule } from "../../src/eslint/create-rule.js";
import { findVariable } from "../../src/eslint/scopes.js";
import { ruleDocsUrl } from "../../src/meta.js";

type Options = [{ mode?: string; nested?: { a?: number; b?: number }; list?: string[] }];

/** A rule that reports the options it was given, merged with its defaults. */
function probe(seen: unknown[]) {
  return createRule<Options, "seen">({
    name: "probe",
    meta: {
      type: "problem",
      docs: { description: "probe", config: "recommended" },
      messages: { seen: "seen" },
      schema: [{ type: "object", additionalProperties: true }],
      defaultOptions: [{ mode: "strict", nested: { a: 1, b: 2 }, list: ["x"] }],
    },
    create(context, [options]) {
      seen.push(options);
      return { Program: (node) => context.report({ node, messageId: "seen" }) };
    },
  });
}

function lint(rule: ReturnType<typeof probe>, options: unknown[] | null, code = `import * as restate from "@restatedev/restate-sdk";\n`): void {
  const linter = new Linter({ configType: "flat" });
  linter.verify(code, [
    {
      files: ["**/*.ts"],
      languageOptions: { parser: tsParser as never },
      plugins: { t: { rules: { probe: rule } } as unknown as ESLint.Plugin },
      rules: { "t/probe": options ? ["error", ...options] : "error" },
    },
  ], "file.ts");
}

describe("createRule", () => {
  it("names the rule's docs page and merges options as typescript-eslint's RuleCreator does", () => {
    const seen: unknown[] = [];
    const rule = probe(seen);
    const reference = ESLintUtils.RuleCreator(ruleDocsUrl)({ ...rule, name: "probe", create: () => ({}) } as never) as { meta: unknown };
    expect(rule.meta).toEqual(reference.meta);
    expect(rule.meta.docs?.url).toBe(ruleDocsUrl("probe"));
    lint(rule, null);
    lint(rule, [{ nested: { b: 3 }, list: ["y"] }]);
    // The same as typescript-eslint's applyDefault gives: objects merged deeply, arrays and values replaced.
    expect(seen).toEqual([
      { mode: "strict", nested: { a: 1, b: 2 }, list: ["x"] },
      { mode: "strict", nested: { a: 1, b: 3 }, list: ["y"] },
    ]);
    expect(seen[1]).toEqual(ESLintUtils.applyDefault<Options, Options>(rule.meta.defaultOptions as Options, [{ nested: { b: 3 }, list: ["y"] }])[0]);
    // Options shared by every file cannot be changed by one of them.
    expect(Object.isFrozen(seen[1])).toBe(true);
  });

  it("serialises the options of a rule configured by its severity once, not for every file", () => {
    const seen: unknown[] = [];
    const rule = probe(seen);
    const stringify = vi.spyOn(JSON, "stringify");
    try {
      for (let i = 0; i < 3; i++) lint(rule, null);
      // ESLint hands every file a new array of the items of the rule's `meta.defaultOptions`: serialised at the first.
      const defaults = rule.meta.defaultOptions![0];
      expect(stringify.mock.calls.filter(([value]) => Array.isArray(value) && value[0] === defaults)).toHaveLength(1);
      lint(rule, [{ mode: "loose" }]);
      lint(rule, null);
    } finally {
      stringify.mockRestore();
    }
    expect(seen.map((o) => (o as Options[0]).mode)).toEqual(["strict", "strict", "strict", "loose", "strict"]);
    expect(seen[1]).toBe(seen[0]);
  });

  it("runs nothing in a file that names no Restate package", () => {
    const seen: unknown[] = [];
    lint(probe(seen), null, "const x = 1;\n");
    expect(seen).toEqual([]);
  });
});

describe("findVariable", () => {
  it("finds what a name refers to from an identifier's innermost scope, outwards", () => {
    const code = `const x = 1;\nfunction f() { const x = 2; return x; }\nfunction g() { return x; }\n`;
    const found: { name: string; line: number | undefined }[] = [];
    const rule = {
      create(context: { sourceCode: { getScope(n: unknown): never; ast: unknown } }) {
        return {
          "ReturnStatement > Identifier"(id: TSESTree.Identifier) {
            const v = findVariable(context.sourceCode.getScope(id), id);
            found.push({ name: id.name, line: v?.defs[0]?.node.loc.start.line });
          },
          "Program:exit"() {
            found.push({ name: "y", line: findVariable(context.sourceCode.getScope(context.sourceCode.ast) as never, "y")?.defs.length ?? -1 });
          },
        };
      },
    };
    const linter = new Linter({ configType: "flat" });
    linter.verify(code, [{ files: ["**/*.ts"], languageOptions: { parser: tsParser as never }, plugins: { t: { rules: { r: rule } } as unknown as ESLint.Plugin }, rules: { "t/r": "error" } }], "file.ts");
    expect(found).toEqual([
      { name: "x", line: 2 },
      { name: "x", line: 1 },
      { name: "y", line: -1 },
    ]);
  });
});
