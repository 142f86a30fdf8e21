import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { ProjectAnalysis } from "../../src/project/analysis.js";
import { cycleCandidates } from "../../src/project/candidates.js";
import { listSourceFiles } from "../../src/project/files.js";
import { frontendFor } from "../../src/project/frontends.js";
import { ProjectIndex } from "../../src/project/index.js";

/**
 * Definitions named by a spread of a constant (`restate.object({ ...COUNTER_OBJECT, handlers })`),
 * the constant often in a file of constants that imports nothing from Restate: the project index
 * resolves the name, and the sketches link the files so that no-deadlock parses them.
 */

const repo = path.resolve(import.meta.dirname, "../..");
const scratch = path.join(os.tmpdir(), `restate-spread-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeEach(() => ProjectIndex.reset());

const SDK = `import * as restate from "@restatedev/restate-sdk";\n`;

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "src"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), '{ "name": "p", "type": "module" }\n');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, "src", file)), { recursive: true });
    writeFileSync(path.join(dir, "src", file), text);
  }
  return dir;
}

function reports(a: ProjectAnalysis): string[] {
  return a.findings.map((f) => `${f.certainty} ${f.holder.id} ${f.hops.map((h) => h.to.id).join(">")}`).sort();
}

/**
 * The whole-system analysis, checked against the cycle-only one (which parses only what the
 * sketches point at) and against the sketches' links: every wait is a link.
 */
function analyse(dir: string): ProjectAnalysis {
  const all = ProjectIndex.for({ root: dir, refreshMs: 60_000 });
  all.refresh(true);
  const analysis = all.analyse();
  ProjectIndex.reset();
  const cycles = ProjectIndex.for({ root: dir, refreshMs: 60_000 });
  cycles.refresh(true);
  expect(reports(cycles.analyseCycles())).toEqual(reports(analysis));
  const { links } = cycleCandidates(
    listSourceFiles(dir).flatMap((file) => {
      const frontend = frontendFor(file);
      const text = readFileSync(file, "utf8");
      return frontend?.mayMatter(text) ? [{ file, sketch: frontend.sketch(text) }] : [];
    }),
  );
  for (const edges of analysis.graph.out.values()) {
    for (const e of edges) expect(links.get(e.file)?.has(e.to.file), `${e.file}:${e.loc.line} waits on ${e.to.file}`).toBe(true);
  }
  return analysis;
}

/** Handler id → kind, for every node of the graph. */
function nodes(a: ProjectAnalysis): Record<string, string> {
  return Object.fromEntries([...a.graph.nodes.values()].map((n) => [n.id, n.kind]));
}

/** Counter spreads its name from `spec`; Ledger calls `Counter.current` through `target`. */
function counterAndLedger(spec: string, target: string, prelude: string): Record<string, string> {
  return {
    "counter.ts": `${SDK}${prelude}
export const counter = restate.object({
  ${spec},
  handlers: {
    add: async (ctx: restate.ObjectContext, n: number) => {
      await ctx.objectClient({ name: "Ledger" }, ctx.key).record(n);
    },
    current: async (ctx: restate.ObjectSharedContext) => 0,
    peek: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 0),
  },
});
`,
    "ledger.ts": `${SDK}${prelude}
import { counter } from "./counter.js";
export const ledger = restate.object({
  name: "Ledger",
  handlers: {
    record: async (ctx: restate.ObjectContext, n: number) => {
      await ctx.objectClient(${target}, ctx.key).current();
      await ctx.objectClient(${target}, ctx.key).peek();
    },
  },
});
`,
  };
}

const DEADLOCK = ["certain Counter.add Ledger.record>Counter.current"];

describe("definitions named by a spread of a constant", () => {
  it("the fixture project: the name comes from a file of constants, the calls by a constant and by a `{ name }` stub", () => {
    const a = analyse(path.join(repo, "fixtures/deadlock/spread-name"));
    expect(nodes(a)).toEqual({ "Counter.add": "exclusive", "Counter.current": "exclusive", "Ledger.record": "exclusive" });
    expect(reports(a)).toEqual(["certain Counter.add Ledger.record>Counter.current"]);
  });

  // A call's target is read as the call site writes it: a path into an imported object
  // (`OBJECTS.counter`) or a `{ name }` stub holding an imported string is not followed there yet,
  // so those cases call through the definition and a literal stub only.
  it.each([
    ["a named import", `...COUNTER_OBJECT`, `COUNTER_OBJECT`, `import { COUNTER_OBJECT } from "./constants.js";`, { "constants.ts": `export const COUNTER_OBJECT = { name: "Counter" } as const;\n` }],
    ["a namespace import", `...C.COUNTER_OBJECT`, `C.COUNTER_OBJECT`, `import * as C from "./constants.js";`, { "constants.ts": `export const COUNTER_OBJECT = { name: "Counter" };\n` }],
    ["a renamed import through a barrel", `...COUNTER`, `COUNTER`, `import { COUNTER } from "./names/index.js";`, {
      "names/constants.ts": `export const COUNTER_OBJECT = { name: "Counter" } satisfies { name: string };\n`,
      "names/index.ts": `export { COUNTER_OBJECT as COUNTER } from "./constants.js";\n`,
    }],
    ["a star re-export", `...COUNTER_OBJECT`, `COUNTER_OBJECT`, `import { COUNTER_OBJECT } from "./names/index.js";`, {
      "names/constants.ts": `export const COUNTER_OBJECT = { name: "Counter" } as const;\n`,
      "names/index.ts": `export * from "./constants.js";\n`,
    }],
    ["a default export", `...COUNTER`, `COUNTER`, `import COUNTER from "./constants.js";`, { "constants.ts": `export default { name: "Counter" };\n` }],
    ["a path into an object of constants", `...OBJECTS.counter`, null, `import { OBJECTS } from "./constants.js";`, {
      "constants.ts": `const base = { description: "counts" };\nexport const OBJECTS = { counter: { ...base, name: "Counter" }, ledger: { name: "Ledger" } } as const;\n`,
    }],
    ["`name:` with an imported string", `name: COUNTER_NAME`, null, `import { COUNTER_NAME } from "./constants.js";`, {
      "constants.ts": `export const COUNTER_NAME = "Counter";\nexport const LEDGER_OBJECT = { name: "Ledger" };\n`,
    }],
    ["a constant whose name is another file's constant", `...COUNTER_OBJECT`, `COUNTER_OBJECT`, `import { COUNTER_OBJECT } from "./constants.js";`, {
      "constants.ts": `import { COUNTER_NAME } from "./names.js";\nexport const COUNTER_OBJECT = { name: COUNTER_NAME };\n`,
      "names.ts": `export const COUNTER_NAME = "Counter";\nexport const OTHER = { name: "Other" };\n`,
    }],
  ])("through %s, called by the definition, the constant and a `{ name }` stub", (name, spec, constant, prelude, constants) => {
    for (const target of ["counter", ...(constant ? [constant] : []), `{ name: "Counter" }`]) {
      ProjectIndex.reset();
      const dir = project(`${name.replace(/\W+/g, "-")}-${target.replace(/\W+/g, "-")}`, { ...counterAndLedger(spec, target, prelude), ...constants });
      const a = analyse(dir);
      expect(nodes(a), target).toEqual({
        "Counter.add": "exclusive",
        "Counter.current": "exclusive",
        "Counter.peek": "shared",
        "Ledger.record": "exclusive",
      });
      expect(reports(a), target).toEqual(DEADLOCK);
    }
  });

  it("a name no one can know: handlers that are no node, calls that are no edge, no report", () => {
    for (const [spec, extra] of [
      [`...makeSpec()`, ""],
      [`...COUNTER_OBJECT`, `import { COUNTER_OBJECT } from "./missing.js";`],
      [`...COUNTER_OBJECT`, `import { COUNTER_OBJECT } from "./constants.js";`],
      [`...COUNTER_OBJECT`, `import { COUNTER_OBJECT } from "node:util";`],
      [`...(flag ? COUNTER_OBJECT : OTHER)`, `import { COUNTER_OBJECT, OTHER } from "./constants.js"; declare const flag: boolean;`],
      [`name: computeName()`, ""],
    ] as const) {
      ProjectIndex.reset();
      const dir = project(`unknown-${spec.replace(/\W+/g, "-")}-${extra.length}`, {
        ...counterAndLedger(spec, `{ name: "Counter" }`, extra),
        // Has no COUNTER_OBJECT; its `let` can change.
        "constants.ts": `export let OTHER = { name: "Counter" };\nexport const UNRELATED = { name: "Unrelated" };\n`,
      });
      const a = analyse(dir);
      expect(nodes(a), spec).toEqual({ "Ledger.record": "exclusive" });
      expect(a.findings, spec).toEqual([]);
    }
  });

  it("two nameless definitions with a handler of the same name: their calls join no graph rather than the wrong one", () => {
    const dir = project("same-handler-names", {
      "constants.ts": `export const A_OBJECT = { name: "A" };\nexport const B_OBJECT = { name: "B" };\n`,
      "objects.ts": `${SDK}import { A_OBJECT, B_OBJECT } from "./constants.js";
export const a = restate.object({ ...A_OBJECT, handlers: { run: async (ctx: restate.ObjectContext) => {} } });
export const b = restate.object({ ...B_OBJECT, handlers: { run: async (ctx: restate.ObjectContext) => { await ctx.objectClient(A_OBJECT, ctx.key).run(); } } });
`,
    });
    const a = analyse(dir);
    // Taken for A.run's, B.run's call would make A.run wait on itself.
    expect(nodes(a)).toEqual({ "A.run": "exclusive", "B.run": "exclusive" });
    expect(a.findings).toEqual([]);
  });
});
