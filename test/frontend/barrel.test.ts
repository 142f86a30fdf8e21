import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateRealistic } from "../../bench/generate-realistic.js";
import { generateWorkspace } from "../../bench/generate-workspace.js";
import { frontendFor } from "../../src/project/frontends.js";
import { plainModel } from "../../src/project/plain-model.js";
import { reexportsOnlyModel } from "../../src/ts/barrel.js";

const repo = path.resolve(import.meta.dirname, "../..");
const scratch = mkdtempSync(path.join(os.tmpdir(), "restate-barrel-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The parser-based frontend's model of a text, without syntax handles. */
function parsed(file: string, text: string) {
  return plainModel(frontendFor(file)!.model(file, text));
}

describe("reexportsOnlyModel", () => {
  it("reads every form of re-export as the parser does", () => {
    const text = `// the package's entry
export * from "./a.js";
export * as ns from './b.js';
export { c, d as e, default as f, type G } from "./c.js"
export type { H } from "./h.js";
export { default } from "./i.js";
export { "quoted name" as j, k, } from "./k.js";
`;
    const model = reexportsOnlyModel("x.ts", text);
    expect(model).toEqual(parsed("x.ts", text));
    expect(model?.starExports).toEqual(["./a.js"]);
    expect(Object.keys(model!.reexports).sort()).toEqual(["G", "H", "c", "default", "e", "f", "j", "k", "ns"]);
  });

  it("reads a package's entry, its imports, exports and lists of what it serves, as the parser does", () => {
    const text = `import { cart } from "./cart.js";
import checkout, { pay as charge, type Receipt } from "#internal/checkout";
import * as shipping from "@acme/shipping";
import type { Order } from "./types.js";
import type Default from "./d.js";
import "./polyfill.js";

export * from "./cart.js";
export { charge, cart as basket, type Receipt };
export type { Order };
/** Everything this package serves. */
export const services = [cart, checkout, charge, shipping,];
export const none = [];
`;
    const model = reexportsOnlyModel("x.ts", text);
    expect(model).toEqual(parsed("x.ts", text));
    expect(Object.keys(model!.imports).sort()).toEqual(["cart", "charge", "checkout", "shipping"]);
    expect(model!.exports).toEqual({ charge: "charge", basket: "cart", Receipt: "Receipt", Order: "Order", services: "services", none: "none" });
  });

  it("leaves any other file to the parser", () => {
    for (const text of [
      `import * as restate from "@restatedev/restate-sdk";\nexport { restate };`,
      `import { a } from "./a.js";\nexport const services = [a, make()];`,
      `import { a } from "./a.js";\nexport const services = [a] as const;`,
      `import x = require("./x.js");`,
      `import { a } from "./a.js";\nexport default a;`,
      `import { a } from "./a.js" with { type: "json" };`,
      `export * from "./a.js";\nexport const b = 1;`,
      `"use strict";\nexport * from "./a.js";`,
      `export * from "./a.js" with { type: "json" };`,
      `export { a as } from "./a.js";`,
    ]) {
      expect(reexportsOnlyModel("x.ts", text), text).toBeNull();
    }
  });

  it("agrees with the parser on every barrel of the fixtures and of generated projects", () => {
    generateWorkspace({ dir: path.join(scratch, "ws"), files: 200, packages: 10, seed: 2 });
    generateRealistic({ dir: path.join(scratch, "realistic"), files: 300, seed: 2 });
    let barrels = 0;
    for (const dir of [path.join(repo, "fixtures"), path.join(scratch, "ws"), path.join(scratch, "realistic")]) {
      const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => /\.[cm]?[jt]sx?$/.test(f) && !f.includes("node_modules"));
      for (const file of files.map((f) => path.join(dir, f))) {
        const text = readFileSync(file, "utf8");
        const model = reexportsOnlyModel(file, text);
        if (!model) continue;
        barrels++;
        expect(model, file).toEqual(parsed(file, text));
      }
    }
    expect(barrels).toBeGreaterThan(10);
  });
});
