// Bundles tsc's output (dist/src, dist/rules) into dist/bundle, which is what the package's
// entries load: Node's ESM loader spends about a millisecond per module, and the plugin is 70 of
// them, loaded by every ESLint process before the first file. Entries share chunks, so a module
// that keeps state (the project index, the frontends registered) exists once in a process.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const compiled = path.join(repo, "dist/src");
const out = path.join(repo, "dist/bundle");

const { buildId } = await import(pathToFileURL(path.join(compiled, "build-id.js")).href);
const id = buildId();

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: [
    // The package's entries and its command line.
    "index.js",
    "go/index.js",
    "cli/main.js",
    // For the repository's own tools, at the paths they have in dist/src: counters the plugin
    // keeps for the benchmark, and which rules have a Go implementation (the smoke run).
    "project/index.js",
    "eslint/file-model.js",
    "go/rules.js",
  ].map((entry) => path.join(compiled, entry)),
  outbase: compiled,
  outdir: out,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  define: id ? { ESLINT_PLUGIN_RESTATE_BUILD_ID: JSON.stringify(id) } : {},
  logLevel: "warning",
});
