import path from "node:path";
import { parse, version as typescriptEstree } from "@typescript-eslint/typescript-estree";
import type { FileModel, FileSketch } from "../model/types.js";
import { extractFileModel } from "../ts/extract.js";
import { mayImportRestate } from "../ts/imports.js";
import { reexportsOnlyModel } from "../ts/barrel.js";
import { mayExportNames, sketchTypeScript } from "../ts/sketch.js";

/**
 * How the project index reads a file it is not linting: each language frontend says which
 * files it takes, which can matter at all (a cheap text test that skips parsing), and how to
 * build their model. The model is the same for every language, so one graph spans them.
 */
export interface IndexFrontend {
  name: string;
  /**
   * The frontend and what parses its files, as the disk cache keys the sketches and models it
   * made: another parser release makes them anew (the plugin's build id covers only its own code).
   * Null when the parser cannot be told: nothing of the frontend's is kept.
   */
  cacheKey: string | null;
  extensions: readonly string[];
  mayMatter(text: string): boolean;
  /** What the file may define and wait on, from its text alone (for files that may matter). */
  sketch(text: string): FileSketch;
  /** Throws on a syntax error (the file then contributes nothing until it changes). */
  model(file: string, text: string): FileModel<unknown>;
  /** The model of a file that only re-exports, without parsing it; null for any other file. */
  reexportsOnly?(file: string, text: string): FileModel | null;
}

const typescript: IndexFrontend = {
  name: "typescript",
  cacheKey: `typescript@${typescriptEstree}`,
  extensions: [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"],
  // Restate code imports the SDK; a barrel re-exports it; a file of constants may name its services.
  mayMatter: (text) => mayImportRestate(text) || /\bexport\s*(?:\*|\{[^}]*\})\s*from\b/.test(text) || mayExportNames(text),
  sketch: sketchTypeScript,
  model(file, text) {
    const ext = path.extname(file);
    const program = parse(text, { loc: true, range: true, jsx: ext === ".tsx" || ext === ".jsx" });
    return extractFileModel(program, file, text);
  },
  reexportsOnly: reexportsOnlyModel,
};

const frontends: IndexFrontend[] = [typescript];

/** Adds a language (e.g. Go) to the project index. */
export function registerFrontend(frontend: IndexFrontend): void {
  if (!frontends.includes(frontend)) frontends.push(frontend);
  extensions = frontends.flatMap((f) => f.extensions);
}

export function frontendFor(file: string): IndexFrontend | undefined {
  const ext = path.extname(file);
  return frontends.find((f) => f.extensions.includes(ext));
}

let extensions: readonly string[] = frontends.flatMap((f) => f.extensions);

export function indexedExtensions(): readonly string[] {
  return extensions;
}
