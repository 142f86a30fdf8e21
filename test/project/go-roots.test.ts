import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import plugin from "../../src/go/index.js";
import { listSourceFiles } from "../../src/project/files.js";
import { ProjectIndex } from "../../src/project/index.js";
import { goWorkUses, projectRoot, projectRootOf } from "../../src/project/roots.js";
import { expectedRuleReports } from "../expected-reports.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.resolve(here, "../../fixtures/go-roots");
const scenarios = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

// The repository's package.json contains every fixture: each is linted from a copy outside it.
const scratch = mkdtempSync(path.join(os.tmpdir(), "restate-go-roots-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function copyOf(scenario: string): string {
  const dir = path.join(scratch, "fixtures", scenario);
  cpSync(path.join(fixturesDir, scenario), dir, { recursive: true });
  return dir;
}

/** Every .ts and .go file under `dir` (vendor and testdata included: their lines expect nothing). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") || f.endsWith(".go"))
    .map((f) => path.join(dir, f))
    .sort();
}


/** `no-deadlock` on every TypeScript and Go file of the folder, as a user's config would lint them. */
async function lint(dir: string): Promise<{ reports: string[]; messages: string[] }> {
  const both = plugin as unknown as ESLint.Plugin;
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    errorOnUnmatchedPattern: false,
    overrideConfig: [
      { ignores: ["**/vendor/", "**/testdata/"] },
      {
        files: ["**/*.ts"],
        plugins: { restate: both },
        languageOptions: { parser: plugin.configs.recommended.languageOptions!.parser },
        rules: { "restate/no-deadlock": "error" },
      },
      { files: ["**/*.go"], plugins: { restate: both }, language: "restate/go", rules: { "restate/no-deadlock": "error" } },
    ],
  });
  const reports: string[] = [];
  const messages: string[] = [];
  for (const r of await eslint.lintFiles(["**/*.ts", "**/*.go"])) {
    for (const m of r.messages) {
      expect(m.fatal, `${r.filePath}: ${m.message}`).not.toBe(true);
      reports.push(`${path.relative(dir, r.filePath)}:${m.line} ${m.ruleId} ${m.messageId}`);
      messages.push(m.message);
    }
  }
  return { reports: reports.sort(), messages };
}

beforeEach(() => ProjectIndex.reset());

describe("no-deadlock with Go project roots (go.mod, go.work, TypeScript and Go together)", () => {
  it.each(scenarios)("%s", async (scenario) => {
    const dir = copyOf(scenario);
    const expected = expectedRuleReports(dir, filesUnder(dir));
    if (scenario === "nested") expect(expected).toEqual([]);
    else expect(expected.length).toBeGreaterThan(0);
    expect((await lint(dir)).reports).toEqual(expected);
  });

  it("a file of vendor/ or testdata/ that ESLint lints anyway joins no analysis, whatever the order of the lint", async () => {
    const dir = copyOf("module");
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [{ files: ["**/*.go"], plugins: { restate: plugin as unknown as ESLint.Plugin }, language: "restate/go", rules: { "restate/no-deadlock": "error" } }],
    });
    const deadlocks = async (file: string) => {
      const [result] = await eslint.lintText(readFileSync(path.join(dir, file), "utf8"), { filePath: path.join(dir, file) });
      return result!.messages.filter((m) => m.ruleId === "restate/no-deadlock").map((m) => `${file}:${m.line} ${m.messageId}`);
    };
    // Read, testdata's and vendor's Audit.Log would close a cycle with Orders.Total.
    expect(await deadlocks("testdata/audit.go")).toEqual([]);
    expect(await deadlocks("vendor/example.com/audit/audit.go")).toEqual([]);
    expect(await deadlocks("orders/orders.go")).toEqual(["orders/orders.go:16 certainDeadlock"]);
  });

  it("names the hops of a cycle across two packages of a module", async () => {
    const { messages } = await lint(copyOf("module"));
    expect(messages).toHaveLength(2);
    for (const m of messages) expect(m).toContain("Orders.Place (orders/orders.go:16) → Stock.Reserve (stock/stock.go:16) → Orders.Total [same key]");
  });
});

/** Writes files (path → text) under a fresh folder of the scratch space. */
function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, "trees", name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const GO = 'package x\n\nimport restate "github.com/restatedev/sdk-go"\n\nvar _ = restate.Key\n';
const TS = 'import * as restate from "@restatedev/restate-sdk";\nexport const x = restate;\n';
const GO_MOD = "module example.com/x\n\ngo 1.22\n";
const PACKAGE_JSON = '{ "name": "x" }\n';

/** Each file's project, relative to the tree: "." for the tree itself. */
function rootsOf(dir: string): Record<string, string> {
  return Object.fromEntries(filesUnder(dir).map((f) => [path.relative(dir, f), path.relative(dir, projectRootOf(f)) || "."]));
}

/** A project's files (those the index reads for it), relative to the tree. */
function projectFiles(dir: string, root: string): string[] {
  return listSourceFiles(path.join(dir, root), undefined, undefined, undefined, [".ts", ".go"]).map((f) => path.relative(dir, f));
}

/** Membership is symmetric: a file is in its own project, and every file of a project has that project. */
function expectSymmetric(dir: string): void {
  for (const file of filesUnder(dir)) {
    const root = projectRootOf(file);
    const members = listSourceFiles(root, undefined, undefined, undefined, [".ts", ".go"]);
    expect(members, path.relative(dir, file)).toContain(file);
    for (const other of members) expect(projectRootOf(other), `${path.relative(dir, other)} with ${path.relative(dir, file)}`).toBe(root);
  }
}

describe("project roots", () => {
  it("a Go module without package.json: every package of the module, no vendor or testdata", () => {
    const dir = copyOf("module");
    expect(rootsOf(dir)).toEqual({
      "cmd/server/main.go": ".",
      "orders/orders.go": ".",
      "stock/stock.go": ".",
      "testdata/audit.go": ".",
      "vendor/example.com/audit/audit.go": ".",
    });
    expect(projectFiles(dir, ".")).toEqual(["cmd/server/main.go", "orders/orders.go", "stock/stock.go"]);
    expect(projectRoot(path.join(dir, "orders")).why).toBe("the go.mod module");
  });

  it("a go.work workspace: the modules it uses, not the one it leaves out", () => {
    const dir = copyOf("workspace");
    expect(rootsOf(dir)).toEqual({ "api/api.go": ".", "billing/billing.go": ".", "legacy/billing.go": "legacy" });
    expect(projectFiles(dir, ".")).toEqual(["api/api.go", "billing/billing.go"]);
    expect(projectFiles(dir, "legacy")).toEqual(["legacy/billing.go"]);
    expect(projectRoot(path.join(dir, "api")).why).toBe(`the go.work workspace that uses the module ${path.join(dir, "api")}`);
    expectSymmetric(dir);
  });

  it("a module nested in a module is a project of its own", () => {
    const dir = copyOf("nested");
    expect(rootsOf(dir)).toEqual({ "app.go": ".", "tools/tool.go": "tools" });
    expect(projectFiles(dir, ".")).toEqual(["app.go"]);
    expect(projectRoot(path.join(dir, "tools")).why).toContain("nested in the module");
    expectSymmetric(dir);
  });

  it("TypeScript and Go that contain one another are one project, rooted at the outer folder", () => {
    const goOutside = copyOf("go-contains-ts");
    expect(rootsOf(goOutside)).toEqual({ "ledger.go": ".", "web/src/account.ts": "." });
    expect(projectRoot(path.join(goOutside, "web/src")).why).toBe(`the go.mod module, which contains the package.json ${path.join(goOutside, "web")}`);
    const tsOutside = copyOf("ts-contains-go");
    expect(rootsOf(tsOutside)).toEqual({ "ledger/record/record.go": ".", "src/account.ts": "." });
    expect(projectRoot(path.join(tsOutside, "ledger")).why).toContain("package.json that contains the go.mod module");
    expectSymmetric(goOutside);
    expectSymmetric(tsOutside);
  });

  it("a project reads exactly its own folders, with Go or without: a nested package is a project of its own", () => {
    // A repository of docs snippets: a package.json at the top, the TypeScript snippets a
    // package of their own, the Go snippets a module.
    const docs = tree("docs", {
      "package.json": PACKAGE_JSON,
      "scripts/build.ts": TS,
      "snippets/ts/package.json": PACKAGE_JSON,
      "snippets/ts/greeter.ts": TS,
      "snippets/go/go.mod": GO_MOD,
      "snippets/go/greeter.go": GO,
    });
    expect(rootsOf(docs)).toEqual({ "scripts/build.ts": ".", "snippets/go/greeter.go": ".", "snippets/ts/greeter.ts": "snippets/ts" });
    expect(projectFiles(docs, ".")).toEqual(["scripts/build.ts", "snippets/go/greeter.go"]);
    expectSymmetric(docs);

    const tsOnly = tree("ts-only", { "package.json": PACKAGE_JSON, "src/a.ts": TS, "packages/b/package.json": PACKAGE_JSON, "packages/b/b.ts": TS });
    expect(rootsOf(tsOnly)).toEqual({ "packages/b/b.ts": "packages/b", "src/a.ts": "." });
    expect(projectFiles(tsOnly, ".")).toEqual(["src/a.ts"]);
    expectSymmetric(tsOnly);

    // Packages side by side, one with Go in it: each its own project.
    const monorepo = tree("monorepo", {
      "package.json": PACKAGE_JSON,
      "src/a.ts": TS,
      "packages/web/package.json": PACKAGE_JSON,
      "packages/web/web.ts": TS,
      "packages/svc/package.json": PACKAGE_JSON,
      "packages/svc/svc.ts": TS,
      "packages/svc/ledger/go.mod": GO_MOD,
      "packages/svc/ledger/ledger.go": GO,
    });
    expect(rootsOf(monorepo)).toEqual({
      "packages/svc/ledger/ledger.go": "packages/svc",
      "packages/svc/svc.ts": "packages/svc",
      "packages/web/web.ts": "packages/web",
      "src/a.ts": ".",
    });
    expect(projectFiles(monorepo, ".")).toEqual(["src/a.ts"]);
    expect(projectFiles(monorepo, "packages/svc")).toEqual(["packages/svc/ledger/ledger.go", "packages/svc/svc.ts"]);
  });

  it("a module nested below a package.json that is itself in a module stays its own; the package joins the outer module", () => {
    const dir = tree("three-levels", {
      "go.mod": GO_MOD,
      "main.go": GO,
      "web/package.json": PACKAGE_JSON,
      "web/app.ts": TS,
      "web/wasm/go.mod": GO_MOD,
      "web/wasm/main.go": GO,
    });
    expect(rootsOf(dir)).toEqual({ "main.go": ".", "web/app.ts": ".", "web/wasm/main.go": "web/wasm" });
    expectSymmetric(dir);
  });

  it("a go.work may use a module below a module it does not use", () => {
    const dir = tree("work-below", {
      "go.work": "go 1.22\n\nuse ./svc/api\n",
      "svc/go.mod": GO_MOD,
      "svc/main.go": GO,
      "svc/api/go.mod": GO_MOD,
      "svc/api/api.go": GO,
    });
    expect(rootsOf(dir)).toEqual({ "svc/api/api.go": ".", "svc/main.go": "svc" });
    expect(projectFiles(dir, ".")).toEqual(["svc/api/api.go"]);
    expectSymmetric(dir);
  });

  it("reads the use directives of a go.work", () => {
    expect(goWorkUses("go 1.22\n\nuse ./a\nuse (\n\t./b // the billing module\n\t\"./c d\"\n\t`../e`\n)\n// use ./f\ntoolchain go1.22.1\n")).toEqual([
      "./a",
      "./b",
      "./c d",
      "../e",
    ]);
  });
});
