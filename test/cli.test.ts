import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";

const demo = fileURLToPath(new URL("../fixtures/demo", import.meta.url));
const sendBack = fileURLToPath(new URL("../fixtures/deadlock/neg-send-back", import.meta.url));
const demoFile = fileURLToPath(new URL("../fixtures/demo/package.json", import.meta.url));

function run(...args: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = main(
    args,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

const scratch = mkdtempSync(path.join(os.tmpdir(), "restate-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A project folder made of the given files (path relative to the folder → text). */
function project(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Services whose names hold what DOT and Mermaid give a meaning to, and two names Mermaid ids would merge. */
const oddNames = project("odd-names", {
  "src/odd.ts": [
    'import * as restate from "@restatedev/restate-sdk";',
    "",
    "export const odd = restate.service({",
    // The name is: Od"d\Na#me<newline><b>
    '  name: "Od\\"d\\\\Na#me\\n<b>",',
    "  handlers: { run: async (ctx: restate.Context) => { await ctx.serviceClient(ab).c_d(); } },",
    "});",
    'export const ab = restate.service({ name: "A_b", handlers: { c_d: async (_ctx: restate.Context) => {} } });',
    'export const a = restate.service({ name: "A", handlers: { b_c_d: async (_ctx: restate.Context) => {} } });',
    "",
  ].join("\n"),
});
const oddName = 'Od"d\\Na#me\n<b>.run';

type DotToken = { kind: "string" | "word" | "punct"; text: string };

/**
 * The tokens of a DOT text, quoted strings decoded as Graphviz reads a label: the lexer takes
 * `\"` for a quote, then `\\` stands for a backslash and `\n` for a line break.
 */
function dotTokens(dot: string): DotToken[] {
  const tokens: DotToken[] = [];
  for (let i = 0; i < dot.length; ) {
    const c = dot[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '"') {
      let text = "";
      for (i++; dot[i] !== '"'; i++) {
        if (i >= dot.length) throw new Error("unterminated DOT string");
        if (dot[i] === "\n") throw new Error("line break inside a DOT string");
        if (dot[i] === "\\") {
          const next = dot[++i];
          text += next === "n" ? "\n" : next === "\\" || next === '"' ? next : `\\${next}`;
        } else text += dot[i];
      }
      i++;
      tokens.push({ kind: "string", text });
    } else if (dot.startsWith("->", i)) {
      tokens.push({ kind: "punct", text: "->" });
      i += 2;
    } else if (/[\w.]/.test(c)) {
      const word = /^[\w.]+/.exec(dot.slice(i))![0];
      tokens.push({ kind: "word", text: word });
      i += word.length;
    } else {
      tokens.push({ kind: "punct", text: c });
      i++;
    }
  }
  return tokens;
}

/** The decoded labels of the node statements (`"id" [label="…", …];`) of a DOT text. */
function dotNodeLabels(dot: string): string[] {
  const t = dotTokens(dot);
  const labels: string[] = [];
  for (let i = 0; i + 4 < t.length; i++) {
    const statementStart = i === 0 || t[i - 1]!.text === ";" || t[i - 1]!.text === "{";
    if (statementStart && t[i]!.kind === "string" && t[i + 1]!.text === "[" && t[i + 2]!.text === "label" && t[i + 3]!.text === "=") {
      labels.push(t[i + 4]!.text);
    }
  }
  return labels;
}

/** The labels of a Mermaid flowchart's nodes, by node id, entity codes and `<br/>` decoded. */
function mermaidNodeLabels(mermaid: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const line of mermaid.split("\n")) {
    const m = /^ {2}(\w+)[[({]+"([^"]*)"[\])}]+:::\w+$/.exec(line);
    if (!m) continue;
    const text = m[2]!.replace(/<br\/>/g, "\n").replace(/#(\w+);/g, (entity, code: string) =>
      /^\d+$/.test(code) ? String.fromCodePoint(Number(code)) : ({ quot: '"', amp: "&", lt: "<", gt: ">" }[code] ?? entity),
    );
    labels.set(m[1]!, text);
  }
  return labels;
}

const hasDot = spawnSync("dot", ["-V"]).status === 0;

describe("eslint-plugin-restate graph", () => {
  it("prints Mermaid with the deadlock cycle in red and sends dashed", () => {
    const { code, out, err } = run("graph", demo);
    expect(code).toBe(0);
    expect(err).toBe("");
    const lines = out.split("\n");
    expect(lines[0]).toBe("flowchart LR");
    expect(out).toContain('Orders_place["Orders.place<br/>exclusive"]:::exclusive');
    expect(out).toContain('Notifier_email(["Notifier.email<br/>service"]):::service');
    const edges = lines.filter((l) => /^\s+\w+ (-->|-\.->)/.test(l));
    const cycle = ['Orders_place -->|"same key"| Payments_charge', 'Payments_charge -->|"same key"| Orders_status'];
    const style = lines.find((l) => l.includes("linkStyle"));
    const red = style!.trim().split(" ")[1]!.split(",").map(Number);
    expect(red.map((i) => edges[i]!.trim()).sort()).toEqual(cycle);
    expect(edges.map((e) => e.trim())).toContain('Orders_place -.->|"send, same key"| Shipping_ship');
  });

  it("prints DOT and JSON with the same conventions", () => {
    const dot = run("graph", demo, "--format", "dot").out;
    expect(dot).toMatch(/"Orders.place" -> "Payments.charge" \[label="same key", color=red, penwidth=2\];/);
    expect(dot).toMatch(/"Orders.place" -> "Shipping.ship" \[label="send, same key", style=dashed\];/);
    const json = JSON.parse(run("graph", demo, "--format", "json").out) as {
      edges: { from: string; to: string; type: string; deadlock: boolean }[];
      deadlocks: { certainty: string }[];
    };
    expect(json.edges.filter((e) => e.deadlock).map((e) => `${e.from}->${e.to}`).sort()).toEqual([
      "Orders.place->Payments.charge",
      "Payments.charge->Orders.status",
    ]);
    expect(json.deadlocks.map((d) => d.certainty)).toContain("certain");
  });

  it("writes DOT node labels whose \\n Graphviz reads as a line break", () => {
    const labels = dotNodeLabels(run("graph", demo, "--format", "dot").out);
    expect(labels).toContain("Orders.place\nexclusive");
    expect(labels).toContain("Notifier.email\nservice");
  });

  it("escapes quotes, backslashes and line breaks of names in DOT strings", () => {
    const dot = run("graph", oddNames, "--format", "dot").out;
    expect(dotNodeLabels(dot).sort()).toEqual(["A_b.c_d\nservice", "A.b_c_d\nservice", `${oddName}\nservice`].sort());
    // Ids are not labels (Graphviz keeps their backslashes), but each edge must name a node's id.
    const t = dotTokens(dot);
    const ids = t.filter((x, i) => x.kind === "string" && t[i + 1]?.text === "[" && t[i - 1]?.text !== "->").map((x) => x.text);
    const ends = t.filter((x, i) => x.kind === "string" && (t[i + 1]?.text === "->" || t[i - 1]?.text === "->")).map((x) => x.text);
    expect(new Set(ids).size).toBe(3);
    expect(ends).toHaveLength(2);
    for (const end of ends) expect(ids).toContain(end);
  });

  it.skipIf(!hasDot)("renders DOT labels on two lines with Graphviz", () => {
    const svgOf = (dir: string) => execFileSync("dot", ["-Tsvg"], { input: run("graph", dir, "--format", "dot").out, encoding: "utf8" });
    const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts(svgOf(demo))).toEqual(expect.arrayContaining(["Orders.place", "exclusive"]));
    expect(texts(svgOf(oddNames))).toEqual(expect.arrayContaining(["Od&quot;d\\Na#me", "&lt;b&gt;.run", "service"]));
  });

  it("escapes Mermaid labels and gives distinct handlers distinct ids", () => {
    const { out } = run("graph", oddNames);
    const labels = mermaidNodeLabels(out);
    expect([...labels.values()].sort()).toEqual(["A_b.c_d\nservice", "A.b_c_d\nservice", `${oddName}\nservice`].sort());
    const edge = out.split("\n").find((l) => l.includes("-->"))!;
    const [from, to] = edge.trim().split(" --> ");
    expect(labels.get(from!)).toBe(`${oddName}\nservice`);
    expect(labels.get(to!)).toBe("A_b.c_d\nservice");
  });

  it("draws no red edge where sends break the cycle", () => {
    const { out } = run("graph", sendBack);
    expect(out).not.toContain("linkStyle");
    expect(out).toContain('Pong_hit -.->|"send, same key"| Ping_ack');
  });

  it("prints an empty graph, with a note on stderr, for source files without Restate handlers", () => {
    const plain = project("plain", { "src/x.ts": "export const x = 1;\n" });
    const { code, out, err } = run("graph", plain);
    expect(code).toBe(0);
    expect(out.split("\n")[0]).toBe("flowchart LR");
    expect(mermaidNodeLabels(out).size).toBe(0);
    expect(err).toContain("no Restate handlers");
    expect(JSON.parse(run("graph", plain, "--format", "json").out).nodes).toEqual([]);
  });
});

describe("eslint-plugin-restate graph: a dir that cannot be graphed", () => {
  /** An error is one line on stderr naming the path, nothing on stdout, exit code 2. */
  function expectError(args: string[], ...parts: string[]): void {
    const { code, out, err } = run(...args);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err.endsWith("\n") && !err.slice(0, -1).includes("\n")).toBe(true);
    for (const part of parts) expect(err).toContain(part);
  }

  it("fails on a missing directory", () => {
    const missing = path.join(scratch, "no", "such", "dir");
    expectError(["graph", missing], missing, "no such directory");
    expectError(["graph", path.join(demoFile, "below")], demoFile, "no such directory");
  });

  it("fails on a path that is a file", () => {
    expectError(["graph", demoFile, "--format", "json"], demoFile, "not a directory");
  });

  it("fails on a directory without source files", () => {
    const empty = project("empty", {});
    expectError(["graph", empty], empty, "no source files");
    const docsOnly = project("docs-only", { "README.md": "# Notes\n", "node_modules/x/index.js": "export {};\n" });
    expectError(["graph", docsOnly], docsOnly, "no source files");
  });

  it("fails when the --project globs match no source file", () => {
    expectError(["graph", demo, "--project", "no-such-folder/**/*.ts"], "no-such-folder/**/*.ts", "no source files");
  });
});

describe("eslint-plugin-restate command line", () => {
  it("prints the usage, naming every option, for --help and -h", () => {
    for (const args of [["--help"], ["-h"], ["graph", "--help"], ["graph", "-h"], ["graph", demo, "--format", "svg", "--help"]]) {
      const { code, out, err } = run(...args);
      expect(code, args.join(" ")).toBe(0);
      expect(err).toBe("");
      for (const option of ["Usage:", "--format mermaid|dot|json", "--project <glob>", "-h, --help"]) expect(out).toContain(option);
    }
  });

  /** A usage error: its message and the usage on stderr, nothing on stdout, exit code 2. */
  function expectUsageError(args: string[], message: string): void {
    const { code, out, err } = run(...args);
    expect(code, args.join(" ")).toBe(2);
    expect(out).toBe("");
    expect(err.split("\n")[0]).toContain(message);
    expect(err).toContain("Usage:");
  }

  it("rejects an unknown option", () => {
    expectUsageError(["graph", "--bogus"], "unknown option: --bogus");
    expectUsageError(["graph", demo, "-x"], "unknown option: -x");
    expectUsageError(["graph", "--format=dot", demo], "unknown option: --format=dot");
  });

  it("rejects --project and --format without a value", () => {
    expectUsageError(["graph", demo, "--project"], "--project needs a value");
    expectUsageError(["graph", "--project", "--format", "dot"], "--project needs a value");
    expectUsageError(["graph", demo, "--format"], "--format needs a value");
  });

  it("rejects more than one directory", () => {
    expectUsageError(["graph", demo, sendBack], "more than one dir");
  });

  it("rejects an unknown format", () => {
    expectUsageError(["graph", demo, "--format", "svg"], "unknown format: svg");
  });

  it("rejects a missing or unknown command", () => {
    expectUsageError([], "no command");
    expectUsageError(["grap", demo], "unknown command: grap");
  });
});

describe("eslint-plugin-restate bin (built)", () => {
  const bin = fileURLToPath(new URL("../bin/eslint-plugin-restate.js", import.meta.url));

  it("prints the graph", () => {
    const out = execFileSync(process.execPath, [bin, "graph", demo, "--format", "json"], { encoding: "utf8" });
    expect(JSON.parse(out).nodes.length).toBeGreaterThan(3);
  });

  it("exits with code 2 and a message on stderr for a missing directory", () => {
    const missing = path.join(scratch, "missing");
    const r = spawnSync(process.execPath, [bin, "graph", missing], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`${missing}: no such directory`);
  });
});
