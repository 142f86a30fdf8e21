import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ESLint, type Linter } from "eslint";
import { beforeEach, describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { cycleCandidates } from "../../src/project/candidates.js";
import { listSourceFiles } from "../../src/project/files.js";
import { frontendFor } from "../../src/project/frontends.js";
import { ProjectIndex } from "../../src/project/index.js";
import { tempDirs } from "../temp-dirs.js";

const fixturesDir = path.resolve(import.meta.dirname, "../../fixtures/deadlock");
const scenarios = readdirSync(fixturesDir).sort();

/** The project indexes of this process (the registry is the index's own). */
const indexes = () => [...(ProjectIndex as unknown as { registry: Map<string, ProjectIndex> }).registry.values()];

interface Parses {
  files: string[];
  /** Each file ESLint parsed, as many times as it did. */
  eslint: Map<string, number>;
  /** Each file the project index parsed from disk, as many times as it did. */
  index: Map<string, number>;
  /** Whether the index had parsed the file when ESLint came to parse it. */
  aheadOfEslint: Map<string, boolean>;
  /** The files on a cycle of the sketches (see `cycleCandidates`). */
  candidates: Set<string>;
}

/**
 * Lints a fixture project with the plugin's recommended config through a parser that counts,
 * and reads the index's own count of the files it parsed ahead of ESLint.
 */
async function lintCounting(dir: string): Promise<Parses> {
  const parser = plugin.configs.recommended.languageOptions!.parser as Linter.Parser & { parseForESLint: (code: string, options?: Record<string, unknown>) => unknown };
  const eslint = new Map<string, number>();
  const aheadOfEslint = new Map<string, boolean>();
  const counting = {
    meta: parser.meta,
    parseForESLint(code: string, options?: Record<string, unknown>) {
      const file = path.resolve(String(options?.filePath));
      eslint.set(file, (eslint.get(file) ?? 0) + 1);
      aheadOfEslint.set(file, indexes().some((i) => i.parses.has(file)));
      return parser.parseForESLint(code, options);
    },
  };
  const linter = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [{ ...plugin.configs.recommended, languageOptions: { parser: counting as Linter.Parser }, settings: { restate: { cache: false } } }],
  });
  const files = listSourceFiles(dir).filter((f) => f.endsWith(".ts"));
  // One file at a time, in the order of their paths: ESLint lints a batch in the order its reads
  // complete, and what the index reads ahead depends on the order.
  for (const file of files) {
    const results = await linter.lintFiles([file]);
    expect(results.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => m.message))).toEqual([]);
  }
  const index = new Map<string, number>();
  for (const i of indexes()) for (const [file, n] of i.parses) index.set(file, (index.get(file) ?? 0) + n);
  const sketched = files.flatMap((file) => {
    const frontend = frontendFor(file)!;
    const text = readFileSync(file, "utf8");
    return frontend.mayMatter(text) ? [{ file, sketch: frontend.sketch(text) }] : [];
  });
  return { files, eslint, index, aheadOfEslint, candidates: new Set(cycleCandidates(sketched).groupOf.keys()) };
}

const tempDir = tempDirs("restate-parses-");

/**
 * A project whose objects Orders and Payments wait on each other under the same key, Orders named
 * through `names` (an import) as `definedBy` (its definition's name property), beside `files`.
 */
function cycleProject(o: { files: Record<string, string>; names: string; definedBy: string }): string {
  const dir = projectOf(o.files);
  const write = (rel: string, text: string) => writeFileSync(path.join(dir, rel), text);
  write(
    "src/orders.ts",
    `import * as restate from "@restatedev/restate-sdk";
${o.names}
import { payments } from "./payments.js";

export const orders = restate.object({
  ${o.definedBy},
  handlers: {
    place: async (ctx: restate.ObjectContext, amount: number) => {
      await ctx.objectClient(payments, ctx.key).charge(amount);
    },
  },
});
`,
  );
  write(
    "src/payments.ts",
    `import * as restate from "@restatedev/restate-sdk";
import { orders } from "./orders.js";

export const payments = restate.object({
  name: "Payments",
  handlers: {
    charge: async (ctx: restate.ObjectContext, amount: number) => {
      await ctx.objectClient(orders, ctx.key).place(amount);
    },
  },
});
`,
  );
  return dir;
}

/** A package in a temp folder with `files` (paths relative to it), in a `src` folder at least. */
function projectOf(files: Record<string, string>): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "package.json"), '{ "name": "parses", "private": true, "type": "module" }\n');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Each file parsed once by ESLint, none by the index after ESLint, and `read` (which the cycle reads) from ESLint's tree. */
function expectNoParseAfterEslint(p: Parses, dir: string, read: string): void {
  for (const file of p.files) expect(p.eslint.get(file), file).toBe(1);
  const after = [...p.index.keys()].filter((f) => !p.aheadOfEslint.get(f)).map((f) => path.relative(dir, f));
  expect(after).toEqual([]);
  expect(p.index.has(path.join(dir, read))).toBe(false);
}

describe("parses per file over the fixture projects (ESLint's own included)", () => {
  beforeEach(() => ProjectIndex.reset());

  it.each(scenarios)("%s: ESLint parses each file once; the index at most once, and a file on a cycle only ahead of ESLint", async (scenario) => {
    const dir = path.join(fixturesDir, scenario);
    const p = await lintCounting(dir);
    expect(p.files.length).toBeGreaterThan(0);
    for (const file of p.files) expect(p.eslint.get(file), file).toBe(1);
    for (const [file, n] of p.index) {
      expect(n, file).toBe(1);
      // `no-deadlock` hands the index the model of ESLint's tree of a file on a cycle: reading the
      // file from disk after ESLint parsed it would be a second parse of the same text.
      if (p.candidates.has(file)) expect(p.aheadOfEslint.get(file), `${file}: parsed by the index after ESLint`).toBe(true);
    }
  });

  it("adds up to one parse per file, but for files of a cross-file cycle read ahead of ESLint", async () => {
    let files = 0;
    let parses = 0;
    let ahead = 0;
    const after: string[] = [];
    for (const scenario of scenarios) {
      ProjectIndex.reset();
      const dir = path.join(fixturesDir, scenario);
      const p = await lintCounting(dir);
      files += p.files.length;
      parses += [...p.eslint.values(), ...p.index.values()].reduce((a, b) => a + b, 0);
      for (const file of p.index.keys()) {
        if (p.aheadOfEslint.get(file)) ahead++;
        else after.push(path.relative(fixturesDir, file));
      }
      // A single-file project has no other file to read: one parse, ESLint's.
      if (p.files.length === 1) expect(p.index.size, scenario).toBe(0);
    }
    expect(parses).toBe(files + ahead + after.length);
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThan(files / 2);
    // spread-name's constants.ts is linted before any Restate file: its model waits for the index.
    expect(after).toEqual([]);
  });

  it.each<{ what: string; files: Record<string, string>; names: string; definedBy: string; first: string[] }>([
    {
      what: "hands the index ESLint's model of a file of names linted before the cycle that reads it",
      // Linted first: the names of the objects, with no Restate code of its own. The rules run on it
      // (its text names a Restate package) and the cycle's analysis reads it for the name of Orders.
      files: { "src/a-names.ts": '// The names of the @restatedev/restate-sdk objects.\nexport const ORDERS = "Orders";\n' },
      names: 'import { ORDERS } from "./a-names.js";',
      definedBy: "name: ORDERS",
      first: ["src/a-names.ts"],
    },
    {
      what: "hands the index ESLint's model of a file of constants with no Restate import, once a lint made the index",
      files: {
        // Linted first: Restate code on no cycle, whose lint makes the project index.
        "src/a-audit.ts": `import * as restate from "@restatedev/restate-sdk";

export const audit = restate.service({ name: "Audit", handlers: { log: async (ctx: restate.Context, line: string) => ctx.console.log(line) } });
`,
        // Linted second: constants a definition spreads, with no Restate import (no rule runs on it).
        "src/b-constants.ts": 'export const ORDERS_OBJECT = { name: "Orders" } as const;\n',
      },
      names: 'import { ORDERS_OBJECT } from "./b-constants.js";',
      definedBy: "...ORDERS_OBJECT",
      first: ["src/a-audit.ts", "src/b-constants.ts"],
    },
    {
      what: "keeps ESLint's model of a file of constants linted before any Restate file, for the index made later",
      // Linted first, before any lint made the project index: constants a definition spreads.
      files: { "src/a-constants.ts": 'export const ORDERS_OBJECT = { name: "Orders" } as const;\nexport const LIMIT = 3;\n' },
      names: 'import { ORDERS_OBJECT } from "./a-constants.js";',
      definedBy: "...ORDERS_OBJECT",
      first: ["src/a-constants.ts"],
    },
  ])("$what", async ({ files, names, definedBy, first }) => {
    const dir = cycleProject({ files, names, definedBy });
    const p = await lintCounting(dir);
    expect(p.files.map((f) => path.relative(dir, f)).slice(0, first.length)).toEqual(first);
    // The file the cycle reads is the last of those linted first.
    expectNoParseAfterEslint(p, dir, first[first.length - 1]!);
  });

  it("hands the index ESLint's model of a file on no cycle that defines again a name a cycle calls", async () => {
    const dir = projectOf({
      // Linted first, on no cycle: another object named Orders, which the cycle's call by name may reach.
      "src/a-orders-v1.ts": `import * as restate from "@restatedev/restate-sdk";

export const ordersV1 = restate.object({
  name: "Orders",
  handlers: { place: async (ctx: restate.ObjectContext, amount: number) => ctx.set("amount", amount) },
});
`,
      "src/orders.ts": `import * as restate from "@restatedev/restate-sdk";
import { payments } from "./payments.js";

export const orders = restate.object({
  name: "Orders",
  handlers: {
    place: async (ctx: restate.ObjectContext, amount: number) => {
      await ctx.objectClient(payments, ctx.key).charge(amount);
    },
  },
});
`,
      "src/payments.ts": `import * as restate from "@restatedev/restate-sdk";

export const payments = restate.object({
  name: "Payments",
  handlers: {
    charge: async (ctx: restate.ObjectContext, amount: number) => {
      await ctx.objectClient({ name: "Orders" }, ctx.key).place(amount);
    },
  },
});
`,
    });
    const p = await lintCounting(dir);
    const v1 = path.join(dir, "src/a-orders-v1.ts");
    expect(p.files[0]).toBe(v1);
    expect(p.candidates.has(v1)).toBe(false);
    expectNoParseAfterEslint(p, dir, "src/a-orders-v1.ts");
  });

  it("parses a file of constants kept before the index when its text changed on disk since", async () => {
    const dir = cycleProject({
      files: { "src/a-constants.ts": 'export const ORDERS_OBJECT = { name: "Orders" } as const;\n' },
      names: 'import { ORDERS_OBJECT } from "./a-constants.js";',
      definedBy: "...ORDERS_OBJECT",
    });
    const constants = path.join(dir, "src/a-constants.ts");
    // ESLint lints an unsaved buffer whose name is another: the model kept is of that text only.
    const linter = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [{ ...plugin.configs.recommended, settings: { restate: { cache: false } } }] });
    await linter.lintText('export const ORDERS_OBJECT = { name: "Invoices" } as const;\n', { filePath: constants });
    const [orders] = await linter.lintFiles([path.join(dir, "src/orders.ts")]);
    // The disk's name is read: Orders and Payments wait on each other under the same key.
    expect(orders!.messages.map((m) => m.ruleId)).toContain("restate/no-deadlock");
    expect(indexes().some((i) => i.parses.has(constants))).toBe(true);
  });
});

