import { parse } from "@typescript-eslint/typescript-estree";
import type { TSESTree } from "@typescript-eslint/typescript-estree";
import { describe, expect, it } from "vitest";
import { type Node, startFile, walk } from "../../src/ts/ast.js";
import { declaringScope } from "../../src/ts/scope.js";

function program(code: string): TSESTree.Program {
  const p = parse(code, { loc: true, range: true });
  walk(p, () => {}); // sets parents, as ESLint does
  return p;
}

/** The identifiers named `name` that are read (not declared) in `p`. */
function reads(p: TSESTree.Program, name: string): TSESTree.Identifier[] {
  const out: TSESTree.Identifier[] = [];
  walk(p, (n) => {
    const parent = (n as Node & { parent?: Node }).parent;
    if (n.type === "Identifier" && n.name === name && parent?.type !== "VariableDeclarator") out.push(n);
  });
  return out;
}

const HOISTED = `function f(ctx) { if (ctx) { var k = ctx.key; } return k; }`;

describe("block scoping", () => {
  it("finds a `var` hoisted out of a nested block to the function body", () => {
    const p = program(HOISTED);
    startFile(p, HOISTED);
    const [k] = reads(p, "k");
    const fn = p.body[0] as TSESTree.FunctionDeclaration;
    expect(declaringScope(k!)?.scope).toBe(fn.body);
  });

  it("skips the search for hoisted `var`s only in the file being analysed, when its text has none", () => {
    const other = `function g() { const k = 1; return k; }`;
    const withVar = program(HOISTED);
    const withoutVar = program(other);
    startFile(withoutVar, other);
    // A lookup in another tree than the one started still looks for hoisted `var`s.
    const [k] = reads(withVar, "k");
    expect(declaringScope(k!)?.scope).toBe((withVar.body[0] as TSESTree.FunctionDeclaration).body);
    const [k2] = reads(withoutVar, "k");
    expect(declaringScope(k2!)?.scope).toBe((withoutVar.body[0] as TSESTree.FunctionDeclaration).body);
  });
});
