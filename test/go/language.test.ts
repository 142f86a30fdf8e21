import { Linter } from "eslint";
import { Linter as Linter9 } from "eslint9-go";
import { describe, expect, it } from "vitest";
import type { GoNode } from "../../src/go/ast.js";
import { stringValue } from "../../src/go/ast.js";
import { goFrontend } from "../../src/go/frontend.js";
import { GoSourceCode, goLanguage } from "../../src/go/language.js";
import { parseGo, parseGoThroughTreeCursor, walksDirectly } from "../../src/go/parser.js";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

interface Seen {
  types: string[];
  exits: number;
  parents: string[];
  ancestors: string[];
  comments: number;
  text: string;
  lines: number;
}

/** A probe rule: records what it sees and reports every call expression. */
function probe(seen: Seen) {
  return {
    meta: { messages: { call: "call {{text}}" } },
    create(context: { sourceCode: GoSourceCode; report(d: unknown): void }) {
      return {
        call_expression(node: GoNode) {
          seen.types.push(node.type);
          seen.parents.push(context.sourceCode.getParent(node)?.type ?? "none");
          seen.ancestors.push(context.sourceCode.getAncestors(node).map((a) => a.type)[0] ?? "none");
          context.report({ node, messageId: "call", data: { text: context.sourceCode.getText(node) } });
        },
        "source_file:exit"() {
          seen.exits++;
          seen.comments = context.sourceCode.getAllComments().length;
          seen.text = context.sourceCode.text;
          seen.lines = context.sourceCode.lines.length;
        },
      };
    },
  };
}

function config(seen: Seen) {
  return [
    {
      files: ["**/*.go"],
      plugins: { test: { languages: { go: goLanguage }, rules: { probe: probe(seen) } } },
      language: "test/go",
      rules: { "test/probe": "error" },
    },
  ] as unknown as Linter.Config[];
}

function fresh(): Seen {
  return { types: [], exits: 0, parents: [], ancestors: [], comments: 0, text: "", lines: 0 };
}

describe("the Go language", () => {
  it("parses Go and runs rule listeners on tree-sitter node types, with parents and locations", () => {
    const seen = fresh();
    const code = "package x\n\n// a comment\nfunc f() {\n\tg(1)\n\t/* block */ h()\n}\n";
    const messages = new Linter().verify(code, config(seen), "a.go");
    expect(messages.map((m) => [m.line, m.column, m.endLine, m.endColumn, m.message])).toEqual([
      [5, 2, 5, 6, "call g(1)"],
      [6, 14, 6, 17, "call h()"],
    ]);
    expect(seen.types).toEqual(["call_expression", "call_expression"]);
    expect(seen.parents).toEqual(["expression_statement", "expression_statement"]);
    expect(seen.ancestors).toEqual(["source_file", "source_file"]);
    expect(seen.exits).toBe(1);
    expect(seen.comments).toBe(2);
    expect(seen.lines).toBe(8);
  });

  it("turns syntax errors into parse errors with line and column", () => {
    const seen = fresh();
    const missing = new Linter().verify("package x\nfunc f() { g(1\n}\n", config(seen), "a.go");
    expect(missing).toEqual([
      expect.objectContaining({ fatal: true, ruleId: null, line: 2, column: 15, message: 'Parsing error: Missing ")"' }),
    ]);
    const unexpected = new Linter().verify("package x\n\nfunc f() {\n\tx := := 2\n}\n", config(seen), "a.go");
    expect(unexpected).toHaveLength(1);
    expect(unexpected[0]).toMatchObject({ fatal: true, line: 4 });
    expect(unexpected[0]!.message).toMatch(/^Parsing error: Unexpected/);
    expect(seen.exits).toBe(0);
  });

  it("never throws on odd input", () => {
    const inputs = ["", "package", "}}}}", "package x\nfunc (", "\u0000\u0001", "package x\nvar s = `unterminated", "package x\n" + "(".repeat(2000)];
    for (const input of inputs) {
      const seen = fresh();
      expect(() => new Linter().verify(input, config(seen), "a.go")).not.toThrow();
    }
  });

  it("walks trees with the WebAssembly module's cursor functions, into the trees web-tree-sitter's TreeCursor makes", () => {
    expect(walksDirectly).toBe(true);
    const shape = (text: string, parse: typeof parseGo) => {
      const r = parse(text);
      const node = (n: GoNode): unknown => [n.type, n.range, n.loc, n.field, n.operator, n.children.map(node)];
      return [node(r.root), r.comments, r.error];
    };
    const texts = goFilesUnder(path.resolve("fixtures"), path.resolve("test/go/corpus")).map((f) => readFileSync(f, "utf8"));
    expect(texts.length).toBeGreaterThan(20);
    // Broken copies too: missing nodes and ERROR nodes are walked like the rest.
    const broken = texts.map((t, i) => `${t.slice(0, (i * 37) % t.length)}\n}} ( := "x\n${t.slice(((i * 37) % t.length) + 5)}`);
    let errors = 0;
    for (const text of [...texts, ...broken, "", "package", "package x\n" + "(".repeat(500)]) {
      const direct = shape(text, parseGo);
      expect(direct).toEqual(shape(text, parseGoThroughTreeCursor));
      if (direct[2]) errors++;
    }
    expect(errors).toBeGreaterThan(texts.length / 2);
  });

  it("counts columns in UTF-16 code units and lines across CRLF", () => {
    const seen = fresh();
    const code = 'package x\r\n\r\nfunc f() {\r\n\t_ = "é🎉"; g()\r\n}\r\n';
    const messages = new Linter().verify(code, config(seen), "a.go");
    expect(messages.map((m) => [m.line, m.column])).toEqual([[4, 13]]);
    expect(seen.lines).toBe(6);
  });

  it("honours eslint-disable comments and inline rule configuration", () => {
    const seen = fresh();
    const code = [
      "package x",
      "func f() {",
      "\t// eslint-disable-next-line test/probe -- generated",
      "\tg()",
      "\th() // eslint-disable-line test/probe",
      "\tk()",
      "}",
    ].join("\n");
    expect(new Linter().verify(code, config(seen), "a.go").map((m) => m.line)).toEqual([6]);
    const off = '/* eslint test/probe: "off" */\npackage x\nfunc f() { g() }\n';
    expect(new Linter().verify(off, config(fresh()), "a.go")).toEqual([]);
    const block = "package x\n/* eslint-disable */\nfunc f() { g() }\n/* eslint-enable */\nfunc k() { h() }\n";
    expect(new Linter().verify(block, config(fresh()), "a.go").map((m) => m.line)).toEqual([5]);
  });

  it("works with ESLint 9.6, the lowest version the Go entry supports", () => {
    const seen = fresh();
    const messages = new Linter9().verify("package x\nfunc f() { g() }\n", config(seen) as never, "a.go");
    expect(messages.map((m) => [m.line, m.column, m.message])).toEqual([[2, 12, "call g()"]]);
    const broken = new Linter9().verify("package x\nfunc f() { g( }\n", config(fresh()) as never, "a.go");
    expect(broken[0]).toMatchObject({ fatal: true, line: 2 });
  });

  it("applies fixes by node range", () => {
    const fixer = {
      meta: { fixable: "code", messages: { x: "x" } },
      create(context: { report(d: unknown): void }) {
        return {
          call_expression(node: GoNode) {
            if (!node.text.startsWith("g(")) return;
            context.report({ node, messageId: "x", fix: (f: { replaceText(n: GoNode, t: string): unknown }) => f.replaceText(node, "h()") });
          },
        };
      },
    };
    const cfg = [
      { files: ["**/*.go"], plugins: { test: { languages: { go: goLanguage }, rules: { fixer } } }, language: "test/go", rules: { "test/fixer": "error" } },
    ] as unknown as Linter.Config[];
    const out = new Linter().verifyAndFix("package x\nfunc f() { g(1, 2) }\n", cfg, "a.go");
    expect(out.output).toBe("package x\nfunc f() { h() }\n");
  });

  it("offers source-code helpers: locations from indexes and back, text around nodes", () => {
    const text = "package x\n\nfunc f() {\n\tg()\n}\n";
    const { root, comments } = parseGo(text);
    const sc = new GoSourceCode({ text, ast: root, comments });
    const index = text.indexOf("g()");
    expect(sc.getLocFromIndex(index)).toEqual({ line: 4, column: 1 });
    expect(sc.getIndexFromLoc({ line: 4, column: 1 })).toBe(index);
    const steps = [...sc.traverse()];
    expect(steps[0]).toMatchObject({ kind: 1, phase: 1, target: root });
    expect(steps[steps.length - 1]).toMatchObject({ kind: 1, phase: 2, target: root });
    expect(steps.filter((s) => s.phase === 1)).toHaveLength(steps.length / 2);
  });

  it("reads Go string literals", () => {
    const { root } = parseGo('package x\nvar a, b, c, d = "a\\tb\\u00e9", `raw\\n`, "\\xff", "q\\"q"\n');
    const values: (string | null)[] = [];
    const visit = (n: GoNode) => {
      if (n.type === "interpreted_string_literal" || n.type === "raw_string_literal") values.push(stringValue(n));
      n.children.forEach(visit);
    };
    visit(root);
    expect(values).toEqual(["a\tbé", "raw\\n", null, 'q"q']);
  });
});

describe("the Go project frontend", () => {
  it("parses only files that import the SDK, and throws on syntax errors", () => {
    expect(goFrontend.mayMatter('import restate "github.com/restatedev/sdk-go"')).toBe(true);
    expect(goFrontend.mayMatter('import "fmt"')).toBe(false);
    expect(() => goFrontend.model("a.go", 'package x\nimport restate "github.com/restatedev/sdk-go"\nfunc f( {')).toThrow(/a\.go:3/);
    const model = goFrontend.model(
      "a.go",
      'package x\nimport restate "github.com/restatedev/sdk-go"\ntype C struct{}\nfunc (C) Add(ctx restate.ObjectContext) error { return nil }\n',
    );
    expect(model.services.map((s) => [s.name, s.kind, s.handlers.map((h) => h.kind)])).toEqual([["C", "object", ["exclusive"]]]);
  });
});

function goFilesUnder(...dirs: string[]): string[] {
  return dirs.flatMap((dir) => readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".go")).map((f) => path.join(dir, f)));
}
