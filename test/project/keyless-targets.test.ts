import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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

const repo = path.resolve(import.meta.dirname, "../..");
const scratch = mkdtempSync(path.join(os.tmpdir(), "restate-keyless-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeEach(() => ProjectIndex.reset());

/** Every ingress call to an imported handler in the project under `dir`: what the sketches say, and what the whole-system analysis says. */
function answers(dir: string): { keyless: number; keyed: number; checked: number } {
  let keyless = 0;
  let keyed = 0;
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
      if (call.target.by !== "import" || call.handler === null) continue;
      checked++;
      const sketched = index.sketchedHandlerKind(file, call.target, call.handler);
      if (!sketched) continue;
      if (NO_KEY_NEEDED.has(sketched)) keyless++;
      else keyed++;
      expect(sketched, `${file}:${call.node.loc.start.line} ${call.handler}`).toBe(handlerKindInProject(analysis, file, call.target, call.handler));
    }
  }
  return { keyless, keyed, checked };
}

describe("handler kinds the sketches are sure of", () => {
  it("agree with the whole-system analysis on every ingress call of the fixtures and of generated projects", () => {
    generateProject({ dir: path.join(scratch, "flat"), files: 300, seed: 4 });
    generateWorkspace({ dir: path.join(scratch, "ws"), files: 300, packages: 10, seed: 4 });
    generateRealistic({ dir: path.join(scratch, "realistic"), files: 300, seed: 4 });
    let keyless = 0;
    let keyed = 0;
    for (const dir of [path.join(repo, "fixtures"), path.join(scratch, "flat"), path.join(scratch, "ws"), path.join(scratch, "realistic")]) {
      const a = answers(dir);
      keyless += a.keyless;
      keyed += a.keyed;
    }
    // The comparison must be exercised both ways, not only agree on silence.
    expect(keyless).toBeGreaterThan(10);
    expect(keyed).toBeGreaterThan(10);
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
      { export: "signup", handlers: [["run", "workflow-run"], ["status", "workflow-shared"]] },
      { export: "mailer", handlers: [["send", "service"], ["other", "service"]] },
    ]);
  });

  it("settles a call without parsing the file that defines its target", () => {
    const dir = path.join(scratch, "unparsed");
    mkdirSync(path.join(dir, "src"), { recursive: true });
    writeFileSync(path.join(dir, "package.json"), "{}\n");
    writeFileSync(
      path.join(dir, "src/counter.ts"),
      `import * as restate from "@restatedev/restate-sdk";
export const counter = restate.object({
  name: "Counter",
  handlers: { get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 0), add: async (ctx: restate.ObjectContext) => {} },
});
`,
    );
    const client = path.join(dir, "src/client.ts");
    writeFileSync(client, `import * as clients from "@restatedev/restate-sdk-clients";\nimport { counter } from "./counter.js";\n`);
    const index = ProjectIndex.for({ root: dir, refreshMs: 60_000 });
    const counter: TargetRef = { by: "import", ref: { source: "./counter.js", imported: "counter" } };
    expect(index.sketchedHandlerKind(client, counter, "get")).toBe("shared");
    expect(index.sketchedHandlerKind(client, counter, "add")).toBe("exclusive");
    expect(index.sketchedHandlerKind(client, counter, "missing")).toBe(null);
    expect(index.sketchedHandlerKind(client, { by: "import", ref: { source: "./counter.js", imported: "other" } }, "get")).toBe(null);
    expect(index.parses.size).toBe(0);
  });
});
