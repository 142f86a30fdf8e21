import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { listSourceFiles } from "../../src/project/files.js";

/**
 * Compiles a project's TypeScript sources (under `from`) to ES modules under `to`, keeping the
 * layout so relative `./x.js` imports still meet. `to` must lie inside the repository, so the
 * modules resolve `@restatedev/restate-sdk` from its node_modules. Returns the module paths.
 */
export function transpileProject(from: string, to: string): string[] {
  const out: string[] = [];
  mkdirSync(to, { recursive: true });
  writeFileSync(path.join(to, "package.json"), JSON.stringify({ type: "module", private: true }));
  for (const file of listSourceFiles(from)) {
    const rel = path.relative(from, file);
    const js = path.join(to, rel.replace(/\.(m|c)?tsx?$/, ".js"));
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
    });
    mkdirSync(path.dirname(js), { recursive: true });
    writeFileSync(js, outputText);
    out.push(js);
  }
  return out;
}
