import type { IndexFrontend } from "../project/frontends.js";
import { extractGoModel } from "./extract.js";
import { SDK_PATH } from "./imports.js";
import { parseGo } from "./parser.js";
import { sketchGo } from "./sketch.js";

/** How the project index reads Go files it is not linting: only files that import the SDK are parsed. */
export const goFrontend: IndexFrontend = {
  name: "go",
  extensions: [".go"],
  mayMatter: (text) => text.includes(SDK_PATH),
  sketch: sketchGo,
  model(file, text) {
    const { root, error } = parseGo(text);
    if (error) throw new SyntaxError(`${file}:${error.line}:${error.column}: ${error.message}`);
    return extractGoModel(root, file);
  },
};
