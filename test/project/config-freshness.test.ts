import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ESLint } from "eslint";
import { deadlockEslint } from "../deadlock-eslint.js";
import { afterEach, describe, expect, it } from "vitest";

// An editor's server lives for hours: an edit of package.json (`workspaces`, `imports`,
// `exports`), pnpm-workspace.yaml or a tsconfig must change what the next lint sees.

const resolution = fileURLToPath(new URL("../../fixtures/resolution", import.meta.url));
const temps: string[] = [];

afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of a fixture, laid out as in the repository (its tsconfig files extend `../../tsconfig.base.json`). */
function copy(fixture: string): string {
  const top = mkdtempSync(path.join(tmpdir(), "restate-config-"));
  temps.push(top);
  const dir = path.join(top, "resolution", fixture);
  cpSync(path.join(resolution, fixture), dir, { recursive: true });
  cpSync(path.join(resolution, "../tsconfig.base.json"), path.join(top, "tsconfig.base.json"));
  return dir;
}

/** `refreshMs: 0`: every lint looks at the disk, as a lint after the documented interval does. */
function editorEslint(cwd: string): ESLint {
  return deadlockEslint(cwd, { settings: { refreshMs: 0 } });
}

async function deadlocks(eslint: ESLint, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(readFileSync(file, "utf8"), { filePath: file });
  return result!.messages.map((m) => `${m.line} ${m.messageId}`);
}

function rewrite(file: string, edit: (text: string) => string): void {
  writeFileSync(file, edit(readFileSync(file, "utf8")));
}

describe("configuration edits in an open editor", () => {
  it("a package added to the workspace list joins the system; taken out, it leaves", async () => {
    const dir = copy("npm-workspace");
    const orders = path.join(dir, "packages/orders/src/orders.ts");
    const eslint = editorEslint(dir);
    expect(await deadlocks(eslint, orders)).toEqual(["9 certainDeadlock"]);
    rewrite(path.join(dir, "package.json"), (t) => t.replace('"workspaces": ["packages/*"]', '"workspaces": ["packages/orders"]'));
    expect(await deadlocks(eslint, orders)).toEqual([]);
    rewrite(path.join(dir, "package.json"), (t) => t.replace('"workspaces": ["packages/orders"]', '"workspaces": ["packages/*"]'));
    expect(await deadlocks(eslint, orders)).toEqual(["9 certainDeadlock"]);
  });

  it("a changed exports entry and subpath import send the import elsewhere", async () => {
    const dir = copy("subpath-imports");
    const lead = path.join(dir, "src/restate/services/lead/LeadVirtualObject.ts");
    const eslint = editorEslint(dir);
    expect(await deadlocks(eslint, lead)).toEqual(["8 certainDeadlock"]);
    rewrite(path.join(dir, "package.json"), (t) => t.replace('"#restate/*": "./src/restate/*.ts"', '"#restate/*": "./src/elsewhere/*.ts"'));
    expect(await deadlocks(eslint, lead)).toEqual([]);
  });

  it("paths added to a tsconfig the package's tsconfig extends resolve at the next lint", async () => {
    const dir = copy("paths-extends");
    const billing = path.join(dir, "services/billing/src/index.ts");
    const paths = path.join(dir, "config/tsconfig.paths.json");
    const original = readFileSync(paths, "utf8");
    rewrite(paths, (t) => t.replace('"@svc/*": ["services/*/src/index.ts"], ', ""));
    const eslint = editorEslint(dir);
    expect(await deadlocks(eslint, billing)).toEqual([]);
    writeFileSync(paths, original);
    expect(await deadlocks(eslint, billing)).toEqual(["8 certainDeadlock"]);
  });

  it("a pnpm-workspace.yaml written later makes the packages one system", async () => {
    const dir = copy("pnpm-references");
    const yaml = path.join(dir, "pnpm-workspace.yaml");
    const listed = readFileSync(yaml, "utf8");
    rmSync(yaml);
    const checkout = path.join(dir, "apps/checkout/src/checkout.ts");
    const eslint = editorEslint(dir);
    expect(await deadlocks(eslint, checkout)).toEqual([]);
    writeFileSync(yaml, listed);
    expect(await deadlocks(eslint, checkout)).toEqual(["8 certainDeadlock"]);
  });
});
