import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { walkLists } from "../../src/project/files.js";
import { ProjectIndex } from "../../src/project/index.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "restate-membership-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeEach(() => ProjectIndex.reset());

const fixture = fileURLToPath(new URL("../../fixtures/deadlock/cross-file", import.meta.url));

/** A copy of a project whose Orders and Payments close a cycle (src/orders.ts, src/payments.ts). */
function project(name: string, gitignore: string | null): string {
  const dir = path.join(scratch, name);
  cpSync(fixture, dir, { recursive: true });
  if (gitignore !== null) writeFileSync(path.join(dir, ".gitignore"), gitignore);
  return dir;
}

/** `no-deadlock` reports of each file, linted one after the other in that order in one process. */
async function deadlocksInOrder(dir: string, files: string[], settings: Record<string, unknown> = {}): Promise<string[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      { ...plugin.configs.recommended, rules: { "restate/no-deadlock": "error" } },
      { settings: { restate: { cache: false, ...settings } } },
    ],
  });
  const out: string[] = [];
  for (const file of files) {
    const [result] = await eslint.lintText(readFileSync(path.join(dir, file), "utf8"), { filePath: path.join(dir, file) });
    for (const m of result!.messages) out.push(`${file}:${m.line} ${m.messageId ?? m.message}`);
  }
  return out;
}

describe("a file ESLint lints that the project's walk leaves out", () => {
  it("is in the project when nothing leaves it out: both files report the cycle, in either order", async () => {
    const dir = project("plain", null);
    const both = ["src/orders.ts:9 certainDeadlock", "src/payments.ts:8 certainDeadlock"];
    expect((await deadlocksInOrder(dir, ["src/orders.ts", "src/payments.ts"])).sort()).toEqual([...both].sort());
    ProjectIndex.reset();
    expect((await deadlocksInOrder(dir, ["src/payments.ts", "src/orders.ts"])).sort()).toEqual([...both].sort());
  });

  it("joins no analysis when a .gitignore leaves it out, whatever the order of the lint", async () => {
    const dir = project("ignored", "src/payments.ts\n");
    expect(walkLists(dir, path.join(dir, "src/payments.ts"))).toBe(false);
    expect(walkLists(dir, path.join(dir, "src/orders.ts"))).toBe(true);
    // Linted first and joined, Payments would close the cycle for the files linted after it.
    expect(await deadlocksInOrder(dir, ["src/payments.ts", "src/orders.ts"])).toEqual([]);
    ProjectIndex.reset();
    expect(await deadlocksInOrder(dir, ["src/orders.ts", "src/payments.ts"])).toEqual([]);
  });

  it("joins no analysis when settings.restate.project leaves it out, whatever the order of the lint", async () => {
    const dir = project("globs", null);
    const settings = { project: ["src/orders.ts"] };
    expect(walkLists(dir, path.join(dir, "src/payments.ts"), settings.project, dir)).toBe(false);
    expect(walkLists(dir, path.join(dir, "src/orders.ts"), settings.project, dir)).toBe(true);
    expect(await deadlocksInOrder(dir, ["src/payments.ts", "src/orders.ts"], settings)).toEqual([]);
  });

  it("tells a new file of the project (not on disk yet) from one the walk leaves out, by its path", () => {
    const dir = project("new-files", "src/generated/\n*.local.ts\n");
    expect(walkLists(dir, path.join(dir, "src/added.ts"))).toBe(true);
    expect(walkLists(dir, path.join(dir, "src/deeper/added.ts"))).toBe(true);
    expect(walkLists(dir, path.join(dir, "src/generated/added.ts"))).toBe(false);
    expect(walkLists(dir, path.join(dir, "src/scratch.local.ts"))).toBe(false);
    expect(walkLists(dir, path.join(dir, "node_modules/pkg/index.ts"))).toBe(false);
    expect(walkLists(dir, path.join(scratch, "elsewhere/file.ts"))).toBe(false);
  });
});
