import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import tsParser from "@typescript-eslint/parser";
import type { TSESTree } from "@typescript-eslint/utils";
import { type ESLint, Linter, type Rule } from "eslint";
import { describe, expect, it } from "vitest";
import { rules } from "../../rules/index.js";
import { collectedProgramNodes } from "../../src/eslint/program-nodes.js";
import { type Node, isFunction, walk } from "../../src/ts/ast.js";
import { collectImports } from "../../src/ts/imports.js";

/**
 * The model of a linted file is built from the calls and functions ESLint's traversal collected
 * (src/eslint/program-nodes.ts) instead of a walk of its own: both must give the same nodes in
 * the same order, on every TypeScript file of the fixture projects and the odd-code corpus.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(?:[cm]?ts|tsx)$/.test(e.name) && !e.parentPath.includes("node_modules"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function walked(program: TSESTree.Program): { calls: Node[]; functions: Node[] } {
  const calls: Node[] = [];
  const functions: Node[] = [];
  walk(program, (n) => {
    if (n.type === "CallExpression") calls.push(n);
    else if (isFunction(n)) functions.push(n);
  });
  return { calls, functions };
}

interface Seen {
  restate: boolean;
  collected: ReturnType<typeof collectedProgramNodes>;
  expected: ReturnType<typeof walked>;
}

function lint(file: string, seen: Seen[]): void {
  // Registered after a Restate rule: its `Program:exit` runs once the collection is complete.
  const probe: Rule.RuleModule = {
    create: () => ({
      "Program:exit"(node) {
        const program = node as unknown as TSESTree.Program;
        seen.push({ restate: collectImports(program).restate.size > 0, collected: collectedProgramNodes(program), expected: walked(program) });
      },
    }),
  };
  const config = [
    {
      files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"],
      languageOptions: { parser: tsParser },
      plugins: { restate: { rules } as unknown as ESLint.Plugin, probe: { rules: { probe } } },
      rules: { "restate/no-floating-call": "error", "probe/probe": "error" },
    },
  ] as Linter.Config[];
  new Linter().verify(readFileSync(file, "utf8"), config, { filename: relative(ROOT, file) });
}

describe("calls and functions collected during ESLint's traversal", () => {
  const files = [...sources(join(ROOT, "fixtures")), join(ROOT, "test/corpus/odd.ts")];

  it("equal those of a walk, in order, for every Restate file", () => {
    const seen: Seen[] = [];
    for (const file of files) lint(file, seen);
    const restate = seen.filter((s) => s.restate);
    expect(restate.length).toBeGreaterThan(20);
    for (const s of restate) {
      expect(s.collected).toBeDefined();
      expect(s.collected!.calls).toEqual(s.expected.calls);
      expect(s.collected!.functions).toEqual(s.expected.functions);
      // The very nodes, not lookalikes: the model keys its facts by node.
      s.collected!.calls.forEach((c, i) => expect(c).toBe(s.expected.calls[i]));
    }
  });

  it("are not gathered for files without Restate", () => {
    const seen: Seen[] = [];
    for (const file of files) lint(file, seen);
    const others = seen.filter((s) => !s.restate);
    expect(others.length).toBeGreaterThan(0);
    for (const s of others) expect(s.collected).toBeUndefined();
  });
});
