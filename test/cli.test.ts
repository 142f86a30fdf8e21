import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { projectRootOf } from "../src/project/roots.js";

const demo = fileURLToPath(new URL("../fixtures/demo", import.meta.url));
const sendBack = fileURLToPath(new URL("../fixtures/deadlock/neg-send-back", import.meta.url));
const demoFile = fileURLToPath(new URL("../fixtures/demo/package.json", import.meta.url));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s) });
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
  it("prints Mermaid with the deadlock cycle in red and sends dashed", async () => {
    const { code, out, err } = await run("graph", demo);
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

  it("prints DOT and JSON with the same conventions", async () => {
    const dot = (await run("graph", demo, "--format", "dot")).out;
    expect(dot).toMatch(/"Orders.place" -> "Payments.charge" \[label="same key", color=red, penwidth=2\];/);
    expect(dot).toMatch(/"Orders.place" -> "Shipping.ship" \[label="send, same key", style=dashed\];/);
    const json = JSON.parse((await run("graph", demo, "--format", "json")).out) as {
      edges: { from: string; to: string; type: string; deadlock: boolean }[];
      deadlocks: { certainty: string }[];
    };
    expect(json.edges.filter((e) => e.deadlock).map((e) => `${e.from}->${e.to}`).sort()).toEqual([
      "Orders.place->Payments.charge",
      "Payments.charge->Orders.status",
    ]);
    expect(json.deadlocks.map((d) => d.certainty)).toContain("certain");
  });

  it("writes DOT node labels whose \\n Graphviz reads as a line break", async () => {
    const labels = dotNodeLabels((await run("graph", demo, "--format", "dot")).out);
    expect(labels).toContain("Orders.place\nexclusive");
    expect(labels).toContain("Notifier.email\nservice");
  });

  it("escapes quotes, backslashes and line breaks of names in DOT strings", async () => {
    const dot = (await run("graph", oddNames, "--format", "dot")).out;
    expect(dotNodeLabels(dot).sort()).toEqual(["A_b.c_d\nservice", "A.b_c_d\nservice", `${oddName}\nservice`].sort());
    // Ids are not labels (Graphviz keeps their backslashes), but each edge must name a node's id.
    const t = dotTokens(dot);
    const ids = t.filter((x, i) => x.kind === "string" && t[i + 1]?.text === "[" && t[i - 1]?.text !== "->").map((x) => x.text);
    const ends = t.filter((x, i) => x.kind === "string" && (t[i + 1]?.text === "->" || t[i - 1]?.text === "->")).map((x) => x.text);
    expect(new Set(ids).size).toBe(3);
    expect(ends).toHaveLength(2);
    for (const end of ends) expect(ids).toContain(end);
  });

  it.skipIf(!hasDot)("renders DOT labels on two lines with Graphviz", async () => {
    const svgOf = async (dir: string) => execFileSync("dot", ["-Tsvg"], { input: (await run("graph", dir, "--format", "dot")).out, encoding: "utf8" });
    const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts(await svgOf(demo))).toEqual(expect.arrayContaining(["Orders.place", "exclusive"]));
    expect(texts(await svgOf(oddNames))).toEqual(expect.arrayContaining(["Od&quot;d\\Na#me", "&lt;b&gt;.run", "service"]));
  });

  it("escapes Mermaid labels and gives distinct handlers distinct ids", async () => {
    const { out } = await run("graph", oddNames);
    const labels = mermaidNodeLabels(out);
    expect([...labels.values()].sort()).toEqual(["A_b.c_d\nservice", "A.b_c_d\nservice", `${oddName}\nservice`].sort());
    const edge = out.split("\n").find((l) => l.includes("-->"))!;
    const [from, to] = edge.trim().split(" --> ");
    expect(labels.get(from!)).toBe(`${oddName}\nservice`);
    expect(labels.get(to!)).toBe("A_b.c_d\nservice");
  });

  it("draws no red edge where sends break the cycle", async () => {
    const { out } = await run("graph", sendBack);
    expect(out).not.toContain("linkStyle");
    expect(out).toContain('Pong_hit -.->|"send, same key"| Ping_ack');
  });

  it("prints an empty graph, with a note on stderr, for source files without Restate handlers", async () => {
    const plain = project("plain", { "src/x.ts": "export const x = 1;\n" });
    const { code, out, err } = await run("graph", plain);
    expect(code).toBe(0);
    expect(out.split("\n")[0]).toBe("flowchart LR");
    expect(mermaidNodeLabels(out).size).toBe(0);
    expect(err).toContain("no Restate handlers");
    expect(JSON.parse((await run("graph", plain, "--format", "json")).out).nodes).toEqual([]);
  });
});

describe("eslint-plugin-restate graph of a workspace", () => {
  const resolution = fileURLToPath(new URL("../fixtures/resolution", import.meta.url));

  it("graphs from a member package the whole workspace a lint of its files reads, and says which mappings are in force", async () => {
    const workspace = path.join(resolution, "npm-workspace");
    const member = path.join(workspace, "packages/orders");
    expect(projectRootOf(path.join(member, "src/orders.ts"))).toBe(workspace);
    const { code, out, err } = await run("graph", member, "--format", "json", "--explain");
    expect(code).toBe(0);
    expect(err).toContain(`project root ${workspace}: the workspace whose package.json workspaces lists the package ${member}`);
    expect(err).toContain("workspace packages: @acme/orders (packages/orders), @acme/payments (packages/payments)");
    // tools/ has a package of its own and is no member: a project apart.
    expect((await run("graph", workspace, "--format", "json", "--explain")).err).toContain("to graph one by one: tools (1 file)");
    const graph = JSON.parse(out) as { deadlocks: { certainty: string }[]; unresolved: unknown[] };
    expect(graph.deadlocks.map((d) => d.certainty)).toEqual(["certain"]);
    expect(graph.unresolved).toEqual([]);
  });

  it("names the tsconfig files whose paths resolve imports, with what they extend, and package.json imports", async () => {
    const paths = await run("graph", path.join(resolution, "paths-extends"), "--format", "json", "--explain");
    expect(paths.err).toContain("tsconfig services/billing/tsconfig.json, services/ledger/tsconfig.json: paths @svc/* → services/*/src/index.ts, ~ledger → services/ledger/src/ledger.ts; baseUrl .");
    const imports = await run("graph", path.join(resolution, "subpath-imports"), "--format", "json", "--explain");
    expect(imports.err).toContain("package.json imports #restate/*, #notify, #unused/*");
  });
});

describe("eslint-plugin-restate graph of Go code", () => {
  // A module without package.json, copied out of the repository (whose package.json would contain it).
  const module = path.join(scratch, "go-module");
  cpSync(fileURLToPath(new URL("../fixtures/go-roots/module", import.meta.url)), module, { recursive: true });

  it("draws a Go module's packages as one graph in Mermaid, DOT and JSON", async () => {
    const mermaid = await run("graph", module);
    expect(mermaid.code).toBe(0);
    expect(mermaid.err).toBe("");
    expect(mermaid.out).toContain('Orders_Place["Orders.Place<br/>exclusive"]:::exclusive');
    expect(mermaid.out).toContain('Stock_Reserve["Stock.Reserve<br/>exclusive"]:::exclusive');
    const lines = mermaid.out.split("\n");
    const edges = lines.filter((l) => /^\s+\w+ (-->|-\.->)/.test(l)).map((l) => l.trim());
    expect(edges).toEqual(['Orders_Place -->|"same key"| Stock_Reserve', 'Stock_Reserve -->|"same key"| Orders_Total']);
    expect(lines).toContain("  linkStyle 0,1 stroke:#d00,stroke-width:3px,color:#d00");

    const dot = (await run("graph", module, "--format", "dot")).out;
    expect(dot).toContain('"Orders.Place" -> "Stock.Reserve" [label="same key", color=red, penwidth=2];');
    expect(dotNodeLabels(dot)).toContain("Stock.Reserve\nexclusive");

    const json = JSON.parse((await run("graph", module, "--format", "json")).out) as {
      nodes: { id: string; file: string }[];
      deadlocks: { certainty: string; chain: { file: string }[] }[];
      unresolved: { file: string }[];
    };
    expect(json.nodes.map((n) => `${n.id} ${n.file}`)).toEqual(["Orders.Place orders/orders.go", "Orders.Total orders/orders.go", "Stock.Reserve stock/stock.go"]);
    expect(json.deadlocks.map((d) => [d.certainty, ...d.chain.map((h) => h.file)])).toEqual([["certain", "orders/orders.go", "stock/stock.go"]]);
    // Audit is defined only under vendor/ and testdata/, which are no code of the module.
    expect(json.unresolved.map((u) => u.file)).toEqual(["orders/orders.go"]);
  });

  it("graphs the project a lint of a file in the folder reads, and explains the choice", async () => {
    const whole = await run("graph", module, "--format", "json");
    const fromPackage = await run("graph", path.join(module, "stock"), "--format", "json", "--explain");
    expect(fromPackage.out).toBe(whole.out);
    expect(fromPackage.err).toBe(
      `eslint-plugin-restate: project root ${module}: the go.mod module; 0 TypeScript/JavaScript files, 3 Go files read; 1 call left unresolved\n`,
    );
  });

  it("names the projects below a folder that are not its own", async () => {
    const parent = project("go-parent", { "readme.ts": "export {};\n" });
    cpSync(module, path.join(parent, "shop"), { recursive: true });
    const { code, err } = await run("graph", parent, "--explain");
    expect(code).toBe(0);
    expect(err).toContain("other projects below");
    expect(err).toContain("shop (3 files)");
  });

  it("draws the Go service of a TypeScript project with the TypeScript ones", async () => {
    const mermaid = (await run("graph", demo)).out;
    expect(mermaid).toContain('Loyalty_Award["Loyalty.Award<br/>exclusive"]:::exclusive');
    expect(mermaid).toContain('Loyalty_Award -->|"same key"| Payments_charge');
    expect(mermaid).toContain('Loyalty_Award -.->|"send"| Notifier_email');
    const dot = (await run("graph", demo, "--format", "dot")).out;
    expect(dot).toContain('"Loyalty.Award" -> "Payments.charge" [label="same key"];');
    const json = JSON.parse((await run("graph", demo, "--format", "json")).out) as { nodes: { id: string; file: string }[] };
    expect(json.nodes.filter((n) => n.file.endsWith(".go")).map((n) => n.id)).toEqual(["Loyalty.Award", "Loyalty.Points"]);
    const explained = await run("graph", path.join(demo, "go"), "--explain");
    expect(explained.err).toContain(`project root ${demo}: the nearest package.json; 5 TypeScript/JavaScript files, 1 Go file read`);
  });
});

describe("eslint-plugin-restate graph: a dir that cannot be graphed", () => {
  /** An error is one line on stderr naming the path, nothing on stdout, exit code 2. */
  async function expectError(args: string[], ...parts: string[]): Promise<void> {
    const { code, out, err } = await run(...args);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err.endsWith("\n") && !err.slice(0, -1).includes("\n")).toBe(true);
    for (const part of parts) expect(err).toContain(part);
  }

  it("fails on a missing directory", async () => {
    const missing = path.join(scratch, "no", "such", "dir");
    await expectError(["graph", missing], missing, "no such directory");
    await expectError(["graph", path.join(demoFile, "below")], demoFile, "no such directory");
  });

  it("fails on a path that is a file", async () => {
    await expectError(["graph", demoFile, "--format", "json"], demoFile, "not a directory");
  });

  it("fails on a directory without source files", async () => {
    const empty = project("empty", {});
    await expectError(["graph", empty], empty, "no source files");
    const docsOnly = project("docs-only", { "README.md": "# Notes\n", "node_modules/x/index.js": "export {};\n" });
    await expectError(["graph", docsOnly], docsOnly, "no source files");
  });

  it("fails when the --project globs match no source file", async () => {
    await expectError(["graph", demo, "--project", "no-such-folder/**/*.ts"], "no-such-folder/**/*.ts", "no source files");
  });
});

describe("eslint-plugin-restate command line", () => {
  it("prints the usage, naming every option, for --help and -h", async () => {
    for (const args of [["--help"], ["-h"], ["graph", "--help"], ["graph", "-h"], ["graph", demo, "--format", "svg", "--help"]]) {
      const { code, out, err } = await run(...args);
      expect(code, args.join(" ")).toBe(0);
      expect(err).toBe("");
      for (const option of ["Usage:", "--format mermaid|dot|json", "--project <glob>", "-h, --help"]) expect(out).toContain(option);
    }
  });

  /** A usage error: its message and the usage on stderr, nothing on stdout, exit code 2. */
  async function expectUsageError(args: string[], message: string): Promise<void> {
    const { code, out, err } = await run(...args);
    expect(code, args.join(" ")).toBe(2);
    expect(out).toBe("");
    expect(err.split("\n")[0]).toContain(message);
    expect(err).toContain("Usage:");
  }

  it("rejects an unknown option", async () => {
    await expectUsageError(["graph", "--bogus"], "unknown option: --bogus");
    await expectUsageError(["graph", demo, "-x"], "unknown option: -x");
    await expectUsageError(["graph", "--format=dot", demo], "unknown option: --format=dot");
  });

  it("rejects --project and --format without a value", async () => {
    await expectUsageError(["graph", demo, "--project"], "--project needs a value");
    await expectUsageError(["graph", "--project", "--format", "dot"], "--project needs a value");
    await expectUsageError(["graph", demo, "--format"], "--format needs a value");
  });

  it("rejects more than one directory", async () => {
    await expectUsageError(["graph", demo, sendBack], "more than one dir");
  });

  it("rejects an unknown format", async () => {
    await expectUsageError(["graph", demo, "--format", "svg"], "unknown format: svg");
  });

  it("rejects a missing or unknown command", async () => {
    await expectUsageError([], "no command");
    await expectUsageError(["grap", demo], "unknown command: grap");
  });
});

describe("eslint-plugin-restate bin (built)", () => {
  const bin = fileURLToPath(new URL("../bin/eslint-plugin-restate.js", import.meta.url));

  it("prints the graph", async () => {
    const out = execFileSync(process.execPath, [bin, "graph", demo, "--format", "json"], { encoding: "utf8" });
    expect(JSON.parse(out).nodes.length).toBeGreaterThan(3);
  });

  it("loads Go for a folder with Go files", () => {
    const module = path.join(scratch, "bin-go-module");
    cpSync(fileURLToPath(new URL("../fixtures/go-roots/module", import.meta.url)), module, { recursive: true });
    const r = spawnSync(process.execPath, [bin, "graph", module, "--format", "json"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { nodes: { id: string }[] }).nodes.map((n) => n.id)).toEqual(["Orders.Place", "Orders.Total", "Stock.Reserve"]);
  });

  it("exits with code 2 and a message on stderr for a missing directory", async () => {
    const missing = path.join(scratch, "missing");
    const r = spawnSync(process.execPath, [bin, "graph", missing], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`${missing}: no such directory`);
  });
});
