import type { FileModel } from "./types.js";
import { nameRecord } from "./records.js";

/** The model of a file that defines, calls and exports nothing: what a frontend fills in. */
export function emptyFileModel<N = unknown>(file: string): FileModel<N> {
  return {
    file,
    usesRestate: false,
    services: [],
    descriptors: [],
    calls: [],
    sleeps: [],
    imports: nameRecord(),
    exports: nameRecord(),
    reexports: nameRecord(),
    starExports: [],
  };
}
