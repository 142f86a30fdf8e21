import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "@typescript-eslint/typescript-estree";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { generateProject } from "../../bench/generate.js";
import { generateRealistic } from "../../bench/generate-realistic.js";
import { generateWorkspace } from "../../bench/generate-workspace.js";
import { NO_KEY_NEEDED, handlerKindInProject } from "../../src/project/handler-kinds.js";
import type { TargetRef } from "../../src/model/types.js";
import { ProjectIndex } from "../../src/project/index.js";
import { projectRootOf } from "../../src/project/roots.js";
import { extractFileModel } from "../../src/ts/extract.js";
import { ingressCalls } from "../../src/ts/ingress.js";
import { sketchTypeScript } from "../../src/ts/sketch.js";
import { writeProject } from "../temp-dirs.js";

const repo = path.resolve(import.meta.dirname, "../..");
const scratch = mkdtempSync(path.join(os.tmpdir(), "restate-keyless-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeEach(() => ProjectIndex.reset());

/** Every ingress call to an imported handler in the project under `dir`: what the sketches say, and what the whole-system analysis says. */
function answers(dir: string): { keyless: number; keyed: number; byName: number; checked: number } {
  let keyless = 0;
  let keyed = 0;
  let byName = 0;
  let checked = 0;
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.[cm]?tsx?$/.test(f) && !f.includes("node_modules"))
    .map((f) => path.join(dir, f));
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    if (!text.includes("@restatedev/restate-sdk-clients")) continue;
    const model = extractFileModel(parse(text, { loc: true, range: true }), file, text);
    const index = ProjectIndex.for({ root: projectRootOf(file), refreshMs: 60_000 });
    index.refresh();
    const analysis = index.analyse();
    for (const call of ingressCalls(model)) {
      if (call.handler === null) continue;
      // By name, only what the rule asks: a name the calling file does not define itself.
      const name = call.target.by === "name" ? call.target.serviceName : null;
      if (call.target.by !== "import" && (name === null || model.services.some((s) => !s.name || s.name === name))) continue;
      checked++;
      const sketched = index.sketchedHandlerKind(file, call.target, call.handler);
      if (!sketched) continue;
      if (NO_KEY_NEEDED.has(sketched)) keyless++;
      else keyed++;
      if (name !== null) byName++;
      expect(sketched, `${file}:${call.node.loc.start.line} ${call.handler}`).toBe(handlerKindInProject(analysis, file, call.target, call.handler));
    }
  }
  return { keyless, keyed, byName, checked };
}

describe("handler kinds the sketches are sure of", () => {
  it("agree with the whole-system analysis on every ingress call of the fixtures and of generated projects", () => {
    generateProject({ dir: path.join(scratch, "flat"), files: 300, seed: 4 });
    generateWorkspace({ dir: path.join(scratch, "ws"), files: 300, packages: 10, seed: 4 });
    generateRealistic({ dir: path.join(scratch, "realistic"), files: 300, seed: 4 });
    let keyless = 0;
    let keyed = 0;
    let byName = 0;
    for (const dir of [path.join(repo, "fixtures"), path.join(scratch, "flat"), path.join(scratch, "ws"), path.join(scratch, "realistic")]) {
      const a = answers(dir);
      keyless += a.keyless;
      keyed += a.keyed;
      byName += a.byName;
    }
    // The comparison must be exercised both ways, and by name, not only agree on silence.
    expect(keyless).toBeGreaterThan(10);
    expect(keyed).toBeGreaterThan(10);
    expect(byName).toBeGreaterThan(10);
  });

  it("reads an exported definition's handler kinds, and nothing it cannot be sure of", () => {
    const sdk = `import * as restate from "@restatedev/restate-sdk";\nimport { shared as sharedHandler, exclusiveHandler } from "./elsewhere.js";\n`;
    const sketch = sketchTypeScript(`${sdk}export const counter = restate.object({
  name: "Counter",
  handlers: {
    add: async (ctx: restate.ObjectContext) => {},
    get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 0),
    set: restate.handlers.object.exclusive(async (ctx: restate.ObjectContext, v: number) => {}),
    async reset(ctx: restate.ObjectContext) {},
    plain: function (ctx: restate.ObjectContext) {},
    short: ctx => {},
    typed: async (ctx): Promise<void> => {},
    // What the text cannot tell: a variable, an imported function, a call of another's wrapper,
    // a wrapper's call read further, a parenthesised value, a call of a function named async.
    variable: sharedHandler,
    imported,
    wrapped: exclusiveHandler(async (ctx) => {}),
    bound: restate.handlers.object.shared(async () => 0).bind(null),
    cast: (sharedHandler as never),
    asyncCall: async(sharedHandler),
  },
});
export const signup = restate.workflow({ name: "Signup", handlers: { run: async (ctx) => {}, status: statusHandler } });
export const mailer = restate.service({ name: "Mailer", handlers: { send: async (ctx) => {}, other } });
const hidden = restate.object({ name: "Hidden", handlers: { get: restate.handlers.object.shared(async () => 0) } });
export const spread = restate.object({ ...BASE, name: "Spread", handlers: { get: restate.handlers.object.shared(async () => 0) } });
export const named = restate.object({ name: NAME, handlers: { get: restate.handlers.object.shared(async () => 0) } });
export const twice = restate.object({ name: "Twice", handlers: { get: async () => 0, get: restate.handlers.object.shared(async () => 0) } });
`);
    expect(sketch.kinds).toEqual([
      {
        name: "Counter",
        export: "counter",
        handlers: [
          ["add", "exclusive"],
          ["get", "shared"],
          ["set", "exclusive"],
          ["reset", "exclusive"],
          ["plain", "exclusive"],
          ["short", "exclusive"],
          ["typed", "exclusive"],
        ],
      },
      { name: "Signup", export: "signup", handlers: [["run", "workflow-run"], ["status", "workflow-shared"]] },
      { name: "Mailer", export: "mailer", handlers: [["send", "service"], ["other", "service"]] },
      { name: "Hidden", export: null, handlers: [["get", "shared"]] },
      { name: "Twice", export: "twice", handlers: [] },
    ]);
    // Two definitions are named by what the text does not show (a spread, a constant).
    expect(sketch.definitionsKnown).toBeUndefined();
    const known = `export const carts = restate.object({ name: "Carts", handlers: { get: async () => 0 } });\n`;
    expect(sketchTypeScript(`${sdk}${known}`).definitionsKnown).toBe(true);
    // One more definition, whose map the text does not show (an empty one, or one built elsewhere).
    expect(sketchTypeScript(`${sdk}${known}export const empty = restate.service({ name: "Empty", handlers: {} });\n`).definitionsKnown).toBeUndefined();
    expect(sketchTypeScript(`${sdk}${known}export const built = restate.service({ name: "Built", handlers: build() });\n`).definitionsKnown).toBeUndefined();
  });

  it("settles a call without parsing the file that defines its target", () => {
    const dir = writeProject(path.join(scratch, "unparsed"), {
      "src/counter.ts": `import * as restate from "@restatedev/restate-sdk";
export const counter = restate.object({
  name: "Counter",
  handlers: { get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 0), add: async (ctx: restate.ObjectContext) => {} },
});
`,
      "src/client.ts": `import * as clients from "@restatedev/restate-sdk-clients";\nimport { counter } from "./counter.js";\n`,
    });
    const client = path.join(dir, "src/client.ts");
    const index = ProjectIndex.for({ root: dir, refreshMs: 60_000 });
    const counter: TargetRef = { by: "import", ref: { source: "./counter.js", imported: "counter" } };
    expect(index.sketchedHandlerKind(client, counter, "get")).toBe("shared");
    expect(index.sketchedHandlerKind(client, counter, "add")).toBe("exclusive");
    expect(index.sketchedHandlerKind(client, counter, "missing")).toBe(null);
    expect(index.sketchedHandlerKind(client, { by: "import", ref: { source: "./counter.js", imported: "other" } }, "get")).toBe(null);
    expect(index.sketchedHandlerKind(client, { by: "name", serviceName: "Counter" }, "get")).toBe("shared");
    expect(index.sketchedHandlerKind(client, { by: "name", serviceName: "Counter" }, "add")).toBe("exclusive");
    expect(index.parses.size).toBe(0);
  });

  it("answers by name only when every definition of the name is known and they agree", () => {
    const sdk = `import * as restate from "@restatedev/restate-sdk";\n`;
    const shared = "restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 0)";
    const files: Record<string, string> = {
      // Orders: defined twice, shared in one and exclusive in the other.
      "orders-v1.ts": `${sdk}export const v1 = restate.object({ name: "Orders", handlers: { get: ${shared} } });\n`,
      "orders-v2.ts": `${sdk}export const v2 = restate.object({ name: "Orders", handlers: { get: async (ctx: restate.ObjectContext) => 0 } });\n`,
      // Carts: a file that may declare \`get\` shared also defines a service named by a constant.
      "carts.ts": `${sdk}import { NAME } from "./names.js";\nexport const carts = restate.object({ name: "Carts", handlers: { get: ${shared} } });\nexport const other = restate.object({ name: NAME, handlers: { get: ${shared} } });\n`,
      "names.ts": `export const NAME = "Carts";\n`,
      // Wallets: the file that may declare it shared is known; another defines it by a constant,
      // with no shared handler (a lookup does not read it).
      "wallets.ts": `${sdk}export const wallets = restate.object({ name: "Wallets", handlers: { get: ${shared}, add: async () => {} } });\n`,
      "wallets-legacy.ts": `${sdk}const WALLETS = "Wallets";\nexport const legacy = restate.object({ name: WALLETS, handlers: { add: async () => {} } });\n`,
    };
    const dir = writeProject(path.join(scratch, "by-name"), {
      ...Object.fromEntries(Object.entries(files).map(([name, text]) => [`src/${name}`, text])),
      "src/client.ts": `import * as clients from "@restatedev/restate-sdk-clients";\n`,
    });
    const client = path.join(dir, "src/client.ts");
    const index = ProjectIndex.for({ root: dir, refreshMs: 60_000 });
    expect(index.sketchedHandlerKind(client, { by: "name", serviceName: "Orders" }, "get")).toBe(null);
    expect(index.sketchedHandlerKind(client, { by: "name", serviceName: "Carts" }, "get")).toBe(null);
    expect(index.sketchedHandlerKind(client, { by: "name", serviceName: "Wallets" }, "get")).toBe("shared");
    expect(index.sketchedHandlerKind(client, { by: "name", serviceName: "Missing" }, "get")).toBe(null);
    // A file that defines Wallets again, with an exclusive `get`, is seen at the next look.
    writeFileSync(path.join(dir, "src", "wallets-v2.ts"), `${sdk}export const v2 = restate.object({ name: "Wallets", handlers: { get: async () => 0 } });\n`);
    index.refresh(true);
    expect(index.sketchedHandlerKind(client, { by: "name", serviceName: "Wallets" }, "get")).toBe(null);
    expect(index.parses.size).toBe(0);
  });
});
