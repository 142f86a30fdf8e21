import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@typescript-eslint/typescript-estree";
import type { TSESTree } from "@typescript-eslint/typescript-estree";
import { describe, expect, it } from "vitest";
import { isFunction, walk } from "../../src/ts/ast.js";
import { CallAnalyzer } from "../../src/ts/calls.js";
import { extractFileModel } from "../../src/ts/extract.js";
import { createFileContext } from "../../src/ts/file-context.js";
import { SDK, extract } from "./extract.js";

describe("names that Object.prototype also has", () => {
  it("are no import, factory or definition", () => {
    const model = extract(`${SDK}export const o = restate.object({ name: "O", handlers: {
  async h(ctx: restate.ObjectContext) {
    await ctx.objectClient(toString, ctx.key).h();
    await ctx.objectClient(constructor.prototype, ctx.key).h();
    ctx.toString(); ctx.valueOf(); ctx.constructor();
    await ctx.sleep({ constructor: 1 });
  },
} });
restate.constructor({ name: "P", handlers: {} });`);
    expect(model.services.map((s) => s.name)).toEqual(["O"]);
    expect(model.calls.map((c) => c.target)).toEqual([{ by: "unknown" }, { by: "unknown" }]);
    expect(model.sleeps).toHaveLength(1);
  });
});

describe("odd code never throws", () => {
  it.each([
    ["an empty file", ""],
    ["only comments", "// nothing here\n/* at all */"],
    ["an SDK import and nothing else", SDK],
    ["a definition without arguments", `${SDK}restate.object(); restate.service(undefined); restate.workflow(...args);`],
    ["a definition with a spread spec", `${SDK}restate.object({ ...base }); restate.object({ name: "X", ...rest, handlers: { ...h } });`],
    ["handlers that are not functions", `${SDK}restate.object({ name: "X", handlers: { a: 1, b: null, c: undefined, d: [], e: new Foo(), f: restate.handlers.object.shared() } });`],
    ["handlers with no parameters", `${SDK}restate.object({ name: "X", handlers: { a: async () => {}, b() {} } });`],
    ["a destructured ctx", `${SDK}restate.object({ name: "X", handlers: { a: async ({ key, objectClient }, [x] = []) => { await objectClient(X, key).a(); } } });`],
    ["dynamic keys and methods", `${SDK}restate.object({ name: "X", handlers: { [k]: async (ctx) => { await ctx[m](X)[h](1); await ctx.objectClient(X, ctx[key])[h](); ctx.genericCall(spec); ctx.genericSend(); } } });`],
    ["calls with no arguments", `${SDK}restate.service({ name: "X", handlers: { a: async (ctx) => { ctx.objectClient().a(); ctx.sleep(); ctx.run(); ctx.attach(); ctx.invocation().attach(); ctx.client().x(); } } });`],
    ["self-referencing consts", `${SDK}const a = a; const b = c; const c = b; restate.object({ name: a, handlers: b }); restate.service(c);`],
    ["a handler map that is its own spread", `${SDK}const h = { ...h }; restate.object({ name: "X", handlers: h });`],
    ["deeply nested arrays in usage", `${SDK}restate.service({ name: "X", handlers: { a: async (ctx) => { const p = [[[ctx.serviceClient(X).a()]]]; p.push(p); await p; } } });`],
    ["getters, setters, private names and classes", `${SDK}class A { #p = 1; static { const ctx = 1; } get x() { return this.#p; } }\nrestate.object({ name: "X", handlers: { get a() { return 1; }, set a(v) {}, async b(ctx) { this.#x; } } });`],
    ["generators and yield*", `${SDK}restate.service({ name: "X", handlers: { *a(ctx) { yield* ctx.serviceClient(X).a(); yield ctx.sleep(1); } } });`],
    ["labels, switch, try and loops", `${SDK}restate.service({ name: "X", handlers: { a: async (ctx) => { l: for (const k of ks) { switch (k) { case 1: const c = ctx.objectClient(X, k); try { await c.a(); } catch { break l; } } } } } });`],
    ["an implement without a descriptor", `${SDK}restate.implement(); restate.implement(api); restate.implement(api, { handlers: 1 }); restate.iface.object(); restate.iface.object("X", 1);`],
    ["namespace tricks", `import * as restate from "@restatedev/restate-sdk";\nimport x = restate.rpc;\nimport y = x.sendOpts;\nconst { ...rest } = restate;\nconst [first] = restate;`],
  ])("%s", (_name, code) => {
    expect(() => extract(code)).not.toThrow();
  });

  it("a JavaScript (CommonJS) file", () => {
    const code = `"use strict";
const restate = require("@restatedev/restate-sdk");
module.exports = restate.object({ name: "Counter", handlers: {
  add: async function (ctx, n) { await ctx.objectClient(module.exports, ctx.key).get(); },
  get: restate.handlers.object.shared(async (ctx) => ctx.get("n")),
} });`;
    const m = extract(code, "counter.js");
    expect(m.services.map((s) => s.handlers.map((h) => h.kind))).toEqual([["exclusive", "shared"]]);
    expect(m.calls).toHaveLength(1);
  });
});

/** Every file under `dir` (recursively) whose name ends with one of `exts`. */
function filesUnder(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile() && exts.some((x) => e.name.endsWith(x))) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}

function tryParse(text: string, jsx: boolean): TSESTree.Program | null {
  try {
    return parse(text, { loc: true, range: true, jsx });
  } catch {
    return null;
  }
}

describe("real-world declaration and source files", () => {
  it("extracts every TypeScript lib and Restate SDK file without throwing", () => {
    const root = join(import.meta.dirname, "..", "..", "node_modules");
    const files = [
      ...filesUnder(join(root, "typescript", "lib"), [".ts"]),
      ...filesUnder(join(root, "@restatedev"), [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"]),
    ];
    expect(files.length).toBeGreaterThan(100);
    const failures: string[] = [];
    let parsed = 0;
    let withModel = 0;
    const started = Date.now();
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const program = tryParse(text, false);
      if (!program) continue;
      parsed++;
      try {
        const m = extractFileModel(program, file, text);
        if (m.usesRestate) withModel++;
      } catch (error) {
        failures.push(`${file}: ${String(error)}`);
      }
    }
    // The SDK's own sources import each other, not the published package name: also run them as
    // if they did, so the definition and call analysis sees real code, not only the import scan.
    for (const file of files) {
      if (!file.includes("@restatedev") || file.endsWith(".d.ts")) continue;
      const text = `${SDK}${readFileSync(file, "utf8")}`;
      const program = tryParse(text, false);
      if (!program) continue;
      try {
        extractFileModel(program, file, text);
      } catch (error) {
        failures.push(`${file} (as a Restate file): ${String(error)}`);
      }
    }
    // And treat every function of the SDK's JavaScript as a handler whose first parameter is the
    // context: the call, key, usage and helper analysis then runs over thousands of real bodies.
    let functions = 0;
    for (const file of files) {
      if (!file.includes("@restatedev") || !/\.[cm]?js$/.test(file)) continue;
      const text = readFileSync(file, "utf8");
      const program = tryParse(text, false);
      if (!program) continue;
      try {
        const fc = createFileContext(program, file, text);
        const analyzer = new CallAnalyzer(fc, new Map(), new Map());
        walk(program, (n) => {
          if (isFunction(n) && n.params.length > 0) {
            functions++;
            analyzer.analyse(n, 0, { service: "Any", handler: String(n.range[0]) });
          }
        });
      } catch (error) {
        failures.push(`${file} (every function as a handler): ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(functions).toBeGreaterThan(500);
    expect(parsed).toBeGreaterThan(100);
    expect(withModel).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe("work per file stays linear", () => {
  /** One handler with `n` stored calls, `n` sends with their invocation ids, `n` sleeps. */
  function bigHandler(n: number): string {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      lines.push(`const p${i} = ctx.objectClient(counter, "k").add(${i});`);
      lines.push(`const h${i} = ctx.objectSendClient(counter, "k").add(${i});`);
      lines.push(`const id${i} = await h${i}.invocationId;`);
      lines.push(`await ctx.sleep(${i});`);
    }
    lines.push(`await restate.RestatePromise.all([${Array.from({ length: n }, (_, i) => `p${i}`).join(", ")}]);`);
    lines.push(`await ctx.attach(id0);`);
    return `${SDK}import { counter } from "./c";
export const s = restate.service({ name: "S", handlers: { h: async (ctx: restate.Context) => {
${lines.join("\n")}
} } });`;
  }

  it("thousands of stored promises and sends in one handler", () => {
    // Each stored promise used to re-walk the whole handler, and each send too (for attach):
    // 2000 of each took over a minute. Indexed once per function, it takes milliseconds.
    const code = bigHandler(2000);
    const program = parse(code, { loc: true, range: true });
    const started = Date.now();
    const m = extractFileModel(program, "big.ts", code);
    const elapsed = Date.now() - started;
    expect(m.calls).toHaveLength(4000);
    expect(m.calls[0]?.usage).toBe("stored-awaited");
    expect(m.calls.filter((c) => c.attached)).toHaveLength(1);
    expect(m.sleeps).toHaveLength(2000);
    // Generous for a loaded machine; the quadratic version needed 90 s here.
    expect(elapsed).toBeLessThan(10_000);
  });
});
