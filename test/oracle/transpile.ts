import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { listSourceFiles } from "../../src/project/files.js";
import { resolveModule } from "../../src/project/module-resolution.js";
import { workspacePackages } from "../../src/project/workspaces.js";

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
  linkWorkspacePackages(from, to);
  return out;
}

/**
 * A workspace's packages, importable by name from the compiled copy as a package manager links
 * them: `node_modules/<name>` → the member's compiled folder, whose package.json exports the
 * compiled form of the source its entry resolves to (an entry at unbuilt `dist/` included).
 */
function linkWorkspacePackages(from: string, to: string): void {
  const sources = new Set(listSourceFiles(from));
  for (const [name, dir] of workspacePackages(from)) {
    if (dir === from) continue;
    const entry = resolveModule(path.join(from, "package.json"), name, (f) => sources.has(f));
    if (!entry) continue;
    const target = path.join(to, path.relative(from, dir));
    const exported = `./${path.relative(dir, entry).split(path.sep).join("/").replace(/\.(m|c)?tsx?$/, ".js")}`;
    writeFileSync(path.join(target, "package.json"), JSON.stringify({ name, type: "module", exports: exported }));
    const link = path.join(to, "node_modules", name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(target, link, "dir");
  }
}
