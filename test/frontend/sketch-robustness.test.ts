import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoModule, runApart } from "../run-apart.js";
import { tempDirs } from "../temp-dirs.js";

/*
 * The project index reads every file of a project from its text, whether it parses or not: a file
 * being typed, a half-merged one, anything with a source extension. The text readers must end on
 * any text, and without throwing. Each fixture's text is cut, spliced and salted with brackets,
 * quotes and keywords (seeded: the same texts on every run), and every reader runs over each
 * result in a process of its own (`runApart`).
 */

const FIXTURES = repoModule("fixtures");
const tempDir = tempDirs("restate-sketch-robustness-");

function sources(dir: string, ext: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(ext) && !f.includes("node_modules"))
    .map((f) => path.join(dir, f))
    .sort();
}

/** Runs `readers` (module path → exported function names, each taking the text) over mutated `texts`. */
function runMutated(texts: string[], readers: Record<string, string[]>, mutations: number): { ran: number; threw: string[]; stdout: string; stderr: string } {
  const dir = tempDir();
  writeFileSync(path.join(dir, "texts.json"), JSON.stringify(texts));
  const imports = Object.entries(readers)
    .map(([module, names], i) => `import { ${names.map((n) => `${n} as r${i}_${n}`).join(", ")} } from ${JSON.stringify(repoModule(module))};`)
    .join("\n");
  const calls = Object.entries(readers)
    .flatMap(([, names], i) => names.map((n) => `["${n}", (t) => r${i}_${n}(${n === "reexportsOnlyModel" ? '"/project/src/a.ts", ' : ""}t)]`))
    .join(", ");
  const script = `${imports}
import { readFileSync } from "node:fs";
const texts = JSON.parse(readFileSync(${JSON.stringify(path.join(dir, "texts.json"))}, "utf8"));
const readers = [${calls}];
const salt = ["}", "}}", "{", ")", "(", "]", "[", '"', "'", "\`", "\${", "/", "/*", "//", "\\\\", "...", "import", "export", "from", "handlers", '"handlers"', "func", "type", "\\n"];
let seed = 1;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
let ran = 0;
const threw = [];
for (let k = 0; k < ${mutations}; k++) {
  let t = texts[Math.floor(rnd() * texts.length)];
  for (let m = 0; m < 5; m++) {
    const at = Math.floor(rnd() * t.length);
    const r = rnd();
    if (r < 0.5) t = t.slice(0, at) + salt[Math.floor(rnd() * salt.length)] + t.slice(at);
    else if (r < 0.8) t = t.slice(0, at) + t.slice(at + Math.floor(rnd() * 40));
    else {
      const from = Math.floor(rnd() * t.length);
      t = t.slice(0, at) + t.slice(from, from + 60) + t.slice(at);
    }
  }
  for (const [name, read] of readers) {
    try {
      read(t);
    } catch (e) {
      threw.push(name + ": " + (e && e.message));
    }
    ran++;
  }
}
console.log(JSON.stringify({ ran, threw: threw.slice(0, 5) }));
`;
  const run = runApart(dir, script, 60_000);
  const last = run.stdout.trim().split("\n").pop() ?? "";
  const result = last.startsWith("{") ? (JSON.parse(last) as { ran: number; threw: string[] }) : { ran: 0, threw: [] };
  return { ...result, ...run };
}

describe("the text readers of the project index", () => {
  it("end, and throw nothing, on mutated TypeScript", () => {
    const texts = sources(FIXTURES, ".ts").map((f) => readFileSync(f, "utf8"));
    expect(texts.length).toBeGreaterThan(50);
    const out = runMutated(texts, { "src/ts/sketch.ts": ["tokenize", "sketchTypeScript"], "src/ts/barrel.ts": ["reexportsOnlyModel"] }, 1500);
    expect(out.stderr).toBe("");
    expect(out.threw).toEqual([]);
    expect(out.ran).toBe(1500 * 3);
  });

  it("end, and throw nothing, on mutated Go", () => {
    const texts = sources(FIXTURES, ".go").map((f) => readFileSync(f, "utf8"));
    expect(texts.length).toBeGreaterThan(20);
    const out = runMutated(texts, { "src/go/sketch.ts": ["tokenizeGo", "sketchGo"] }, 1500);
    expect(out.stderr).toBe("");
    expect(out.threw).toEqual([]);
    expect(out.ran).toBe(1500 * 2);
  });
});
