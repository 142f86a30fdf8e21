import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import "../../src/go/index.js";
import { generateProject } from "../../bench/generate.js";
import { generateGoProject } from "../../bench/generate-go.js";
import { generateRealistic } from "../../bench/generate-realistic.js";
import type { ProjectAnalysis } from "../../src/project/analysis.js";
import { listSourceFiles } from "../../src/project/files.js";
import { cycleCandidates } from "../../src/project/candidates.js";
import { frontendFor } from "../../src/project/frontends.js";
import { ProjectIndex } from "../../src/project/index.js";
import { generateProgram } from "../oracle/generator.js";
import { emitProgram } from "../oracle/program.js";
import { writeProject } from "../temp-dirs.js";

const repo = path.resolve(import.meta.dirname, "../..");
const scratch = path.join(os.tmpdir(), `restate-cycles-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeEach(() => ProjectIndex.reset());

/** Every report `no-deadlock` would make (in `only`, when given), as text: file, call, certainty, holder, chain, closing key. */
function reports(a: ProjectAnalysis, only?: string): string[] {
  const out: string[] = [];
  for (const [file, byCall] of a.hopsByFile) {
    if (only !== undefined && file !== only) continue;
    for (const [callIndex, { finding }] of byCall) {
      const chain = finding.hops.map((h) => `${path.relative(a.root, h.file)}#${h.callIndex}`).join(">");
      out.push(`${path.relative(a.root, file)}#${callIndex} ${finding.certainty} ${finding.holder.id} ${chain} ${JSON.stringify(finding.closingKey)}`);
    }
  }
  return out.sort();
}

/** The cycle-only analysis (no-deadlock's) and the whole-system one agree, and the first parses less. */
function compare(root: string): { reports: number; parsedCycles: number; parsedAll: number } {
  ProjectIndex.reset();
  const cycles = ProjectIndex.for({ root, refreshMs: 60_000 });
  cycles.refresh(true);
  const fromCycles = reports(cycles.analyseCycles());
  const parsedCycles = cycles.parses.size;
  // What linting each file finds, from the group of candidates it belongs to.
  const perFile = listSourceFiles(root).flatMap((file) => reports(cycles.analyseCycles(file), file));
  ProjectIndex.reset();
  const all = ProjectIndex.for({ root, refreshMs: 60_000 });
  all.refresh(true);
  const analysis = all.analyse();
  const fromAll = reports(analysis);
  expect(fromCycles, root).toEqual(fromAll);
  expect(perFile.sort(), root).toEqual(fromAll);
  // Stronger than equal reports: every wait the parser-based analysis finds is a link of the sketches.
  const { links, groupOf } = cycleCandidates(
    listSourceFiles(root).flatMap((file) => {
      const frontend = frontendFor(file);
      const text = readFileSync(file, "utf8");
      return frontend?.mayMatter(text) ? [{ file, sketch: frontend.sketch(text) }] : [];
    }),
  );
  for (const edges of analysis.graph.out.values()) {
    for (const e of edges) expect(links.get(e.file)?.has(e.to.file), `${e.file}:${e.loc.line} waits on ${e.to.file}`).toBe(true);
  }
  // And every deadlock lies within one group of candidates, whose handlers the sketches tell apart.
  for (const finding of analysis.findings) {
    const groups = new Set(finding.hops.map((h) => groupOf.get(path.resolve(h.file))));
    expect([...groups], finding.hops.map((h) => `${h.file}#${h.callIndex}`).join(" > ")).toEqual([expect.any(Number)]);
  }
  return { reports: fromAll.length, parsedCycles, parsedAll: all.parses.size };
}

function projectDirs(parent: string): string[] {
  return readdirSync(path.join(repo, parent), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(repo, parent, d.name));
}

describe("deadlocks from the files that can lie on a cycle", () => {
  it.each([...projectDirs("fixtures/deadlock"), ...projectDirs("fixtures/go"), path.join(repo, "fixtures/demo")])(
    "%s: same reports as from every file",
    (dir) => {
      compare(dir);
    },
  );

  it("agrees with the whole-system analysis on 150 generated programs (literal keys included)", () => {
    let withReports = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const dir = path.join(scratch, `program-${seed}`);
      mkdirSync(path.join(dir, "src"), { recursive: true });
      writeFileSync(path.join(dir, "package.json"), '{ "name": "p", "type": "module" }\n');
      for (const [file, text] of emitProgram(generateProgram(seed), `P${seed}`)) {
        mkdirSync(path.dirname(path.join(dir, "src", file)), { recursive: true });
        writeFileSync(path.join(dir, "src", file), text);
      }
      if (compare(dir).reports > 0) withReports++;
    }
    // The programs must exercise the comparison, not only agree on silence.
    expect(withReports).toBeGreaterThan(50);
  });

  it("parses only the files on the planted cycles of a generated project, with the same reports", () => {
    const dir = path.join(scratch, "bench");
    const manifest = generateProject({ dir, files: 200, seed: 3 });
    const { reports: n, parsedCycles, parsedAll } = compare(dir);
    expect(n).toBe(manifest.expectedDeadlockReports);
    expect(parsedAll).toBeGreaterThanOrEqual(manifest.restateFiles);
    expect(parsedCycles).toBeLessThan(parsedAll / 4);
  });

  it("reads a project shaped like real repositories without falling back to every file: its literal keys never come back to their holder's object", () => {
    const dir = path.join(scratch, "realistic");
    const manifest = generateRealistic({ dir, files: 300, seed: 2 });
    const { reports: n, parsedCycles } = compare(dir);
    expect(n).toBe(manifest.expectedDeadlockReports);
    // Falling back read every Restate file and more (210 files of 200 Restate ones here); linking
    // files rather than handlers put most of them on candidate cycles. Now the planted cycles are,
    // with the constants and barrels their names pass through.
    expect(parsedCycles).toBeLessThan(manifest.restateFiles / 8);
  });

  it("parses only the Go files on the planted cycles of a generated Go project, with the same reports", () => {
    const dir = path.join(scratch, "bench-go");
    const manifest = generateGoProject({ dir, files: 200, seed: 3 });
    const { reports: n, parsedCycles, parsedAll } = compare(dir);
    expect(n).toBe(manifest.expectedDeadlockReports);
    expect(parsedCycles).toBeLessThan(parsedAll / 4);
  });

  it("tells the files on no cycle, as they are on disk, from the others", () => {
    const dir = path.join(scratch, "off-cycles");
    generateProject({ dir, files: 100, seed: 5 });
    ProjectIndex.reset();
    const index = ProjectIndex.for({ root: dir, refreshMs: 60_000 });
    index.refresh(true);
    const reported = new Set<string>();
    for (const file of index.analyseCycles().hopsByFile.keys()) reported.add(file);
    expect(reported.size).toBeGreaterThan(0);
    let off = 0;
    for (const file of listSourceFiles(dir)) {
      const text = readFileSync(file, "utf8");
      if (!index.offCycles(file, text)) continue;
      off++;
      expect(reported.has(file), file).toBe(false);
      // The same file as an editor holds it, changed: no longer known to be off every cycle.
      expect(index.offCycles(file, `${text}\n// edited\n`)).toBe(false);
    }
    expect(off).toBeGreaterThan(30);
    for (const file of reported) expect(index.offCycles(file, readFileSync(file, "utf8"))).toBe(false);
  });

  it("tells files on a candidate cycle whose facts it holds, with no deadlock through them, as off every cycle", () => {
    const dir = path.join(scratch, "quiet-candidates");
    generateRealistic({ dir, files: 200, seed: 4 });
    // A ring of objects whose handlers are shared through a variable, which only the parser
    // tells: on a candidate cycle, with no deadlock.
    const ring = 12;
    for (let i = 0; i < ring; i++) {
      writeFileSync(
        path.join(dir, `src/ring-${i}.ts`),
        `import * as restate from "@restatedev/restate-sdk";
const look = restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {
  await ctx.objectClient({ name: "Ring${(i + 1) % ring}" }, ctx.key).look();
});
export const ring${i} = restate.object({ name: "Ring${i}", handlers: { look } });
`,
      );
    }
    ProjectIndex.reset();
    const index = ProjectIndex.for({ root: dir, refreshMs: 60_000 });
    index.refresh(true);
    const reported = new Set(index.analyseCycles().hopsByFile.keys());
    const { candidates } = cycleCandidates(
      listSourceFiles(dir).flatMap((file) => {
        const frontend = frontendFor(file);
        const text = readFileSync(file, "utf8");
        return frontend?.mayMatter(text) ? [{ file, sketch: frontend.sketch(text) }] : [];
      }),
    );
    const quiet = [...candidates].filter((f) => !reported.has(f));
    expect(quiet.length).toBeGreaterThan(10);
    for (const file of quiet) {
      const text = readFileSync(file, "utf8");
      // Its model need not be built again: the index holds it for this text, and nothing runs through it.
      expect(index.offCycles(file, text), file).toBe(true);
      expect(index.offCycles(file, `${text}\n// edited\n`), file).toBe(false);
    }
    for (const file of reported) expect(index.offCycles(file, readFileSync(file, "utf8")), file).toBe(false);
  });

  it("reads no barrel of helpers (files without Restate code) for a cycle or a target lookup, but one that re-exports a definition", () => {
    const dir = path.join(scratch, "helper-barrels");
    mkdirSync(path.join(dir, "src/lib"), { recursive: true });
    writeFileSync(path.join(dir, "package.json"), "{}\n");
    writeFileSync(path.join(dir, "src/lib/money.ts"), `export function price(n: number) { return n * 2; }\n`);
    writeFileSync(path.join(dir, "src/lib/index.ts"), `export * from "./money.js";\n`);
    writeFileSync(path.join(dir, "src/defs.ts"), `export * from "./b.js";\n`);
    const sdk = `import * as restate from "@restatedev/restate-sdk";\nimport { price } from "./lib/index.js";\n`;
    writeFileSync(
      path.join(dir, "src/a.ts"),
      `${sdk}import { b } from "./defs.js";
export const a = restate.object({ name: "A", handlers: { h: async (ctx: restate.ObjectContext) => { price(1); await ctx.objectClient(b, ctx.key).h(); } } });
`,
    );
    writeFileSync(
      path.join(dir, "src/b.ts"),
      `${sdk}import { a } from "./a.js";
export const b = restate.object({ name: "B", handlers: { h: async (ctx: restate.ObjectContext) => { price(2); await ctx.objectClient(a, ctx.key).h(); } } });
`,
    );
    writeFileSync(
      path.join(dir, "src/client.ts"),
      `import * as clients from "@restatedev/restate-sdk-clients";\nimport { price } from "./lib/index.js";
export async function go() { price(3); await clients.connect({ url: "u" }).objectClient({ name: "B" }, "k").h(); }
`,
    );
    const index = ProjectIndex.for({ root: dir, refreshMs: 60_000 });
    index.refresh(true);
    const a = path.join(dir, "src/a.ts");
    expect(reports(index.analyseCycles(a), a)).toHaveLength(1);
    const parsed = () => [...index.parses.keys()].map((f) => path.relative(dir, f)).sort();
    // The barrel a definition passes through is read (off its text: it only re-exports); the one of helpers is not.
    expect(parsed()).toEqual(["src/a.ts", "src/b.ts"]);
    index.analyseTargets(path.join(dir, "src/client.ts"), [{ handler: "h", service: "B", source: null }]);
    expect(parsed()).toEqual(["src/a.ts", "src/b.ts", "src/client.ts"]);
    // Once the helpers' barrel may pass a name (a Restate file behind it), it is read too.
    writeFileSync(path.join(dir, "src/lib/money.ts"), `import * as restate from "@restatedev/restate-sdk";\nexport const MONEY = "Money";\nexport function price(n: number) { return n * 2; }\n`);
    writeFileSync(path.join(dir, "src/lib/index.ts"), `export * from "./money.js";\nexport const LIB = 1;\n`);
    index.refresh(true);
    index.analyseCycles(a);
    expect(parsed()).toContain("src/lib/index.ts");
  });

  it("follows a renamed destructuring of require() to the other file of a cycle", () => {
    const dir = writeProject(path.join(scratch, "require-rename"), {
      "src/a.ts": `import * as restate from "@restatedev/restate-sdk";
const { b: bee } = require("./b.js");
export const a = restate.object({ name: "A", handlers: { async h(ctx: restate.ObjectContext) { await ctx.objectClient(bee, ctx.key).h(); } } });
`,
      "src/b.ts": `import * as restate from "@restatedev/restate-sdk";
import { a } from "./a.js";
export const b = restate.object({ name: "B", handlers: { async h(ctx: restate.ObjectContext) { await ctx.objectClient(a, ctx.key).h(); } } });
`,
    });
    expect(compare(dir).reports).toBe(2);
  });

  it("reads a file again when it is parsed, and takes a change made since the index looked", () => {
    const dir = path.join(scratch, "changed-before-parse");
    cpSync(fileURLToPath(new URL("../../fixtures/deadlock/cross-file", import.meta.url)), dir, { recursive: true });
    ProjectIndex.reset();
    // Trusts its look at the disk for a minute: only parsing can see the change.
    const index = ProjectIndex.for({ root: dir, refreshMs: 60_000 });
    index.refresh(true);
    const payments = path.join(dir, "src/payments.ts");
    const text = readFileSync(payments, "utf8");
    const send = text.replace("const total = await ctx.objectClient(orders, ctx.key).total();", "ctx.objectSendClient(orders, ctx.key).total(); const total = 0;");
    expect(send).not.toBe(text);
    writeFileSync(payments, send);
    expect(index.analyseCycles().findings).toEqual([]);
    // The sketch follows the text parsed: the file no longer waits on the other one.
    expect(index.offCycles(payments, send)).toBe(true);
  });
});
