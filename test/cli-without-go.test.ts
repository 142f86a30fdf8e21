import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { indexedExtensions } from "../src/project/frontends.js";

// A file of its own: once a test loads Go, it stays loaded for the rest of the file's process.

const demo = fileURLToPath(new URL("../fixtures/demo", import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), "restate-cli-no-go-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What importing the Go parser throws when web-tree-sitter is not installed. */
async function missingTreeSitter(): Promise<void> {
  const notFound = Object.assign(new Error("Cannot find package 'web-tree-sitter' imported from /app/node_modules/eslint-plugin-restate/dist/src/go/parser.js"), {
    code: "ERR_MODULE_NOT_FOUND",
  });
  throw new Error("eslint-plugin-restate/go parses Go with the package web-tree-sitter, which is not installed", { cause: notFound });
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), loadGo: missingTreeSitter });
  return { code, out, err };
}

describe("eslint-plugin-restate graph without web-tree-sitter", () => {
  it("draws the TypeScript services and says in one note which package reads Go", async () => {
    expect(indexedExtensions()).not.toContain(".go");
    const { code, out, err } = await run("graph", demo);
    expect(code).toBe(0);
    expect(err).toBe(
      `eslint-plugin-restate: ${demo}: the graph leaves out 1 Go file: reading Go needs the package web-tree-sitter, which is not installed (npm install --save-dev web-tree-sitter)\n`,
    );
    expect(out).toContain('Orders_place["Orders.place<br/>exclusive"]:::exclusive');
    expect(out).not.toContain("Loyalty");
  });

  it("prints an empty graph for Go only, with the note alone", async () => {
    const module = path.join(scratch, "module");
    cpSync(fileURLToPath(new URL("../fixtures/go-roots/module", import.meta.url)), module, { recursive: true });
    const { code, out, err } = await run("graph", module, "--format", "json");
    expect(code).toBe(0);
    expect(err.split("\n")).toEqual([expect.stringContaining("the graph leaves out 3 Go files: reading Go needs the package web-tree-sitter"), ""]);
    expect(JSON.parse(out).nodes).toEqual([]);
  });
});
