// Ships the Go grammar (WebAssembly, from the tree-sitter-go dev dependency) and its licence in
// dist/grammars: Go users then install only web-tree-sitter, and nobody runs tree-sitter-go's
// native install script.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(repo, "package.json"));
const wasm = require.resolve("tree-sitter-go/tree-sitter-go.wasm");
const out = path.join(repo, "dist/grammars");
mkdirSync(out, { recursive: true });
copyFileSync(wasm, path.join(out, "tree-sitter-go.wasm"));
copyFileSync(path.join(path.dirname(wasm), "LICENSE"), path.join(out, "tree-sitter-go.LICENSE"));
