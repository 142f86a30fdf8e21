import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")) as {
  exports: Record<string, { default: string }>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

interface Graph {
  files: string[];
  packages: Set<string>;
  /** Files with an `await` at the top level: a module that has one cannot be `require()`d. */
  topLevelAwait: string[];
}

/**
 * The modules an entry loads: relative imports followed, packages collected. From a source entry
 * (`.ts`) the imports of `.js` lead to the sources; from a built one, to the built files.
 */
function importGraph(entry: string): Graph {
  const sources = entry.endsWith(".ts");
  const files: string[] = [];
  const packages = new Set<string>();
  const topLevelAwait: string[] = [];
  const queue = [path.join(repo, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    const text = readFileSync(file, "utf8");
    if (/^(?:(?:const|let|var) [^=]+= )?await\b/m.test(text)) topLevelAwait.push(path.relative(repo, file));
    // Static imports and re-exports, and dynamic `import("…")`; `import type` loads nothing.
    for (const m of text.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?\bfrom\s+"([^"]+)"|^import\s+"([^"]+)"|\bimport\("([^"]+)"\)/gm)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      if (spec.startsWith(".")) queue.push(path.resolve(path.dirname(file), sources ? spec.replace(/\.js$/, ".ts") : spec));
      else if (!spec.startsWith("node:") && !builtinModules.includes(spec)) {
        packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
      }
    }
  }
  return { files: files.map((f) => path.relative(repo, f)), packages, topLevelAwait };
}

describe("the main entry", () => {
  const graph = importGraph("src/index.ts");

  it("loads nothing of Go", () => {
    expect(graph.files.filter((f) => f.startsWith("src/go/") || f.endsWith(".go.ts"))).toEqual([]);
    expect([...graph.packages].filter((p) => p.includes("tree-sitter"))).toEqual([]);
  });

  it("has no top-level await, so require() can load it", () => {
    expect(graph.topLevelAwait).toEqual([]);
  });

  it("imports only packages the package declares, none of them optional", () => {
    const required = { ...pkg.dependencies, ...pkg.peerDependencies };
    for (const p of graph.packages) {
      expect(required, p).toHaveProperty([p]);
      expect(pkg.peerDependenciesMeta?.[p]?.optional, p).not.toBe(true);
    }
  });

  it("is the plugin itself when required from CommonJS", () => {
    const out = execFileSync(
      process.execPath,
      ["-e", "const p = require(process.argv[1]); console.log(JSON.stringify({ configs: Object.keys(p.configs), languages: Object.keys(p.languages), rules: Object.keys(p.rules).length }))", path.join(repo, pkg.exports["."]!.default)],
      { encoding: "utf8" },
    );
    expect(JSON.parse(out)).toEqual({ configs: ["recommended", "recommended-type-checked", "strict", "all"], languages: [], rules: 14 });
  });
});

// The package's entries point at the bundle (scripts/bundle.js): its chunks must keep what the
// sources promise, since a chunk shared by both entries would carry Go into the main one.
describe("the bundle", () => {
  const main = importGraph(pkg.exports["."]!.default);
  const go = importGraph(pkg.exports["./go"]!.default);

  it("of the main entry loads nothing of Go and has no top-level await", () => {
    expect([...main.packages].filter((p) => p.includes("tree-sitter"))).toEqual([]);
    expect(main.topLevelAwait).toEqual([]);
  });

  it("of the Go entry loads the Go parser, with its top-level await in one chunk", () => {
    expect(go.packages).toContain("web-tree-sitter");
    expect(go.topLevelAwait).toHaveLength(1);
  });

  it("imports only packages the package declares", () => {
    const declared = { ...pkg.dependencies, ...pkg.peerDependencies };
    for (const p of [...main.packages, ...go.packages]) expect(declared, p).toHaveProperty([p]);
  });

  it("is a few files per entry, not the module tree", () => {
    expect(main.files.length).toBeLessThan(12);
    expect(go.files.length).toBeLessThan(12);
  });
});

describe("the Go entry", () => {
  const graph = importGraph("src/go/index.ts");

  it("imports only declared packages; web-tree-sitter is an optional peer", () => {
    const declared = { ...pkg.dependencies, ...pkg.peerDependencies };
    for (const p of graph.packages) expect(declared, p).toHaveProperty([p]);
    expect(graph.packages).toContain("web-tree-sitter");
    expect(pkg.peerDependenciesMeta?.["web-tree-sitter"]?.optional).toBe(true);
  });

  it("loads the Go parser with a top-level await (so it is imported, not required)", () => {
    expect(graph.topLevelAwait).toEqual(["src/go/parser.ts"]);
  });
});
