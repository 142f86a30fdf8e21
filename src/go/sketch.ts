import type { FileSketch } from "../model/types.js";

const WORDS = /"(?:[^"\\\n]|\\.)*"|`[^`]*`|[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * Go files are always parsed when the index looks for cycles (a package's definitions and
 * names span its files); the sketch only links them to the TypeScript files of a mixed system,
 * as coarsely as it can: every identifier and string of the file is a handle and a wait.
 */
export function sketchGo(text: string): FileSketch {
  const words = new Set<string>();
  for (const m of text.matchAll(WORDS)) {
    const w = m[0];
    words.add(w.startsWith('"') || w.startsWith("`") ? w.slice(1, -1) : w);
  }
  const all = [...words];
  return { handles: all, handleRefs: [], waits: all, aliases: [], imports: [], passThrough: false, alwaysParse: true };
}
