// Runs eslint-doc-generator on the built plugin. The generator loads a plugin with require()
// and, failing that, only from a string `exports` entry; our entry has a top-level await (the
// Go parser) and conditional exports, so it is given a stand-in package root whose files are
// links to the real README, docs and build. Pass --check to verify instead of writing.
import { execFileSync } from "node:child_process";
import { linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const stand = path.join(repo, "node_modules/.cache/restate-docs");
rmSync(stand, { recursive: true, force: true });
mkdirSync(stand, { recursive: true });
const pkg = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8"));
writeFileSync(
  path.join(stand, "package.json"),
  JSON.stringify({ name: pkg.name, version: pkg.version, type: "module", exports: "./dist/src/index.js" }, null, 2),
);
// The rules list must be a plain file to the generator: a hard link writes through to ours.
linkSync(path.join(repo, "README.md"), path.join(stand, "README.md"));
for (const f of ["dist", "docs", ".eslint-doc-generatorrc.js", "node_modules"]) {
  symlinkSync(path.join(repo, f), path.join(stand, f));
}
const bin = path.join(repo, "node_modules/eslint-doc-generator/dist/bin/eslint-doc-generator.js");
try {
  execFileSync(process.execPath, [bin, stand, ...process.argv.slice(2)], { stdio: "inherit", cwd: stand });
} catch {
  process.exitCode = 1;
} finally {
  rmSync(stand, { recursive: true, force: true });
}
