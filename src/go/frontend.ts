import type { FileModel } from "../model/types.js";
import type { IndexFrontend } from "../project/frontends.js";
import { extractGoModel } from "./extract.js";
import { SDK_PATH } from "./imports.js";
import { GO_PARSER_ID, parseGo } from "./parser.js";
import { sketchGo } from "./sketch.js";
import { nameRecord } from "../model/records.js";

/** How the project index reads Go files it is not linting: only files that may lie on a cycle are parsed. */
export const goFrontend: IndexFrontend = {
  name: "go",
  cacheKey: GO_PARSER_ID && `go@${GO_PARSER_ID}`,
  extensions: [".go"],
  // Besides the SDK's users, files of string constants: a package's calls may name services through them.
  mayMatter: (text) => text.includes(SDK_PATH) || /=\s*"/.test(text),
  sketch: sketchGo,
  model(file, text) {
    // A file of constants only (no SDK import) defines and calls nothing: no need to parse it.
    if (!text.includes(SDK_PATH)) return noRestate(file);
    const { root, error } = parseGo(text);
    if (error) throw new SyntaxError(`${file}:${error.line}:${error.column}: ${error.message}`);
    return extractGoModel(root, file);
  },
};

function noRestate(file: string): FileModel {
  return { file, usesRestate: false, services: [], descriptors: [], calls: [], sleeps: [], imports: nameRecord(), exports: nameRecord(), reexports: nameRecord(), starExports: [] };
}
