import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import tsParser from "@typescript-eslint/parser";
import type { TSESTree } from "@typescript-eslint/utils";
import { type ESLint, Linter, type Rule } from "eslint";
import { describe, expect, it } from "vitest";
import { rules } from "../../rules/index.js";
import { createRule } from "../../src/eslint/create-rule.js";
import { fileModel } from "../../src/eslint/file-model.js";
import { collectedProgramNodes } from "../../src/eslint/program-nodes.js";
import { type Node, isFunction, walk } from "../../src/ts/ast.js";
import { extractFileModel } from "../../src/ts/extract.js";
import { collectImports } from "../../src/ts/imports.js";

/**
 * The model of a linted file is built from the calls and functions ESLint's traversal collected
 * (src/eslint/program-nodes.ts) instead of a walk of its own: both must give the same nodes in
 * the same order, on every TypeScript file of the fixture projects and the odd-code corpus, and
 * the model built from them must be the one a walk gives.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(?:[cm]?ts|tsx)$/.test(e.name) && !e.parentPath.includes("node_modules"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function walked(program: TSESTree.Program): { calls: Node[]; functions: Node[]; declarators: Node[]; news: Node[] } {
  const calls: Node[] = [];
  const functions: Node[] = [];
  const declarators: Node[] = [];
  const news: Node[] = [];
  walk(program, (n) => {
    if (n.type === "CallExpression") calls.push(n);
    else if (isFunction(n)) functions.push(n);
    else if (n.type === "VariableDeclarator") declarators.push(n);
    else if (n.type === "NewExpression") news.push(n);
  });
  return { calls, functions, declarators, news };
}

interface Seen {
  file: string;
  restate: boolean;
  collected: ReturnType<typeof collectedProgramNodes>;
  expected: ReturnType<typeof walked>;
  /** The model the rules got, and the one a walk builds, with nodes written as type@range. */
  model: string;
  walkedModel: string;
  /** The facts rules read of a file that does not use Restate. */
  restateFacts: string;
  walkedRestateFacts: string;
}

/** JSON with AST nodes written as type@range. */
function withNodesAsText(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === "parent") return undefined;
    const n = v as Partial<Node> | null;
    return n && typeof n === "object" && typeof n.type === "string" && Array.isArray(n.range) ? `${n.type}@${n.range.join("-")}` : v;
  });
}

function modelText(model: ReturnType<typeof extractFileModel>): string {
  const { services, descriptors, calls, sleeps, imports, exports, scopes } = model;
  return withNodesAsText({ services, descriptors, calls, sleeps, imports, exports, scopes });
}

function restateFactsText(model: ReturnType<typeof extractFileModel>): string {
  const { services, descriptors, calls, sleeps, scopes, usesRestate } = model;
  return withNodesAsText({ services, descriptors, calls, sleeps, scopes, usesRestate });
}

/** A Restate rule that, like `no-deadlock` in a file off every cycle, listens to nothing. */
const silent = createRule({
  name: "silent",
  meta: { type: "problem", docs: { description: "listens to nothing", config: "strict" }, messages: {}, schema: [] },
  defaultOptions: [],
  create: () => ({}),
});


function lint(file: string, seen: Seen[], first: Record<string, "error"> = {}, text = readFileSync(file, "utf8")): void {
  // Registered after a Restate rule: its `Program:exit` runs once the collection is complete.
  const probe: Rule.RuleModule = {
    create: (context) => ({
      "Program:exit"(node) {
        const program = node as unknown as TSESTree.Program;
        seen.push({
          file,
          restate: collectImports(program).restate.size > 0,
          collected: collectedProgramNodes(program),
          expected: walked(program),
          model: modelText(fileModel(context as never)),
          walkedModel: modelText(extractFileModel(program, context.filename, context.sourceCode.text)),
          restateFacts: restateFactsText(fileModel(context as never)),
          walkedRestateFacts: restateFactsText(extractFileModel(program, context.filename, context.sourceCode.text)),
        });
      },
    }),
  };
  const config = [
    {
      files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"],
      languageOptions: { parser: tsParser },
      plugins: { restate: { rules: { ...rules, silent } } as unknown as ESLint.Plugin, probe: { rules: { probe } } },
      rules: { ...first, "restate/no-floating-call": "error", "probe/probe": "error" },
    },
  ] as Linter.Config[];
  new Linter().verify(text, config, { filename: relative(ROOT, file) });
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
      expect(s.collected!.declarators).toEqual(s.expected.declarators);
      expect(s.collected!.news).toEqual(s.expected.news);
      // The very nodes, not lookalikes: the model keys its facts by node.
      s.collected!.calls.forEach((c, i) => expect(c).toBe(s.expected.calls[i]));
    }
  });

  it("give the model a walk gives", () => {
    const seen: Seen[] = [];
    for (const file of files) lint(file, seen);
    const restate = seen.filter((s) => s.restate);
    expect(restate.some((s) => s.model.includes('"calls":[{'))).toBe(true);
    for (const s of restate) expect(s.model, relative(ROOT, s.file)).toBe(s.walkedModel);
  });

  it("are not gathered for files that never name a Restate package", () => {
    const seen: Seen[] = [];
    for (const file of files) lint(file, seen);
    const others = seen.filter((s) => !readFileSync(s.file, "utf8").includes("@restatedev/"));
    expect(others.length).toBeGreaterThan(0);
    for (const s of others) {
      expect(s.collected).toBeUndefined();
      // Nor read: a walk finds no Restate fact there either.
      expect(s.restateFacts, relative(ROOT, s.file)).toBe(s.walkedRestateFacts);
    }
  });

  it("are not needed where no Restate package is named: a walk finds no model either", () => {
    // The Restate files with every `@restatedev/` specifier renamed: same code, no SDK import.
    const seen: Seen[] = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      if (text.includes("@restatedev/")) lint(file, seen, {}, text.replaceAll("@restatedev/", "@elsewhere/"));
    }
    expect(seen.length).toBeGreaterThan(20);
    for (const s of seen) {
      expect(s.collected).toBeUndefined();
      // Its imports and exports are not read: whole-program analyses take a file that does not
      // use Restate from the disk, and per-file rules look only at Restate facts.
      expect(s.restateFacts, relative(ROOT, s.file)).toBe(s.walkedRestateFacts);
      expect(s.restateFacts).toContain('"usesRestate":false');
    }
  });

  it("are gathered by the next Restate rule when the first one listens to nothing", () => {
    const seen: Seen[] = [];
    for (const file of files) lint(file, seen, { "restate/silent": "error" });
    const restate = seen.filter((s) => s.restate);
    expect(restate.length).toBeGreaterThan(20);
    for (const s of restate) {
      expect(s.collected?.calls).toEqual(s.expected.calls);
      expect(s.model, relative(ROOT, s.file)).toBe(s.walkedModel);
    }
  });
});
