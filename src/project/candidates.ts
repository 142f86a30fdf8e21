import type { FileSketch } from "../model/types.js";
import { stronglyConnected } from "./graph.js";

export interface SketchedFile {
  file: string;
  sketch: FileSketch;
}

/** Bounds the alias closure of one set of words (aliases chain through renames and constants). */
const MAX_EXPANDED = 10_000;

/**
 * The files that may lie on a cycle of waits, from the sketches alone: file F may wait on file
 * G when a word F writes where it may wait (followed through every alias of the project) is one
 * of G's handles. Names, not module paths, link the files, so barrels and renames need no
 * resolution. Every cycle of the real wait graph lies within these files; many files on no such
 * cycle are left out, and need no parsing to find deadlocks.
 */
export function cycleCandidates(files: Iterable<SketchedFile>): {
  candidates: Set<string>;
  /** Every word some expansion reached (see `sameLinks`). */
  words: Set<string>;
  /** File → the files it may wait on. */
  links: Map<string, Set<string>>;
} {
  const list = [...files];
  const aliasOf = new Map<string, string[]>();
  for (const { sketch } of list) for (const [alias, original] of sketch.aliases) push(aliasOf, alias, original);
  // Every word some expansion reached: a handle or alias outside it links nothing.
  const words = new Set<string>();
  const expand = (start: readonly string[]): Set<string> => {
    const out = new Set(start);
    const stack = [...start];
    while (stack.length > 0 && out.size < MAX_EXPANDED) {
      for (const o of aliasOf.get(stack.pop()!) ?? []) {
        if (out.has(o)) continue;
        out.add(o);
        stack.push(o);
      }
    }
    for (const w of out) words.add(w);
    return out;
  };

  const byHandle = new Map<string, string[]>();
  for (const { file, sketch } of list) {
    const handles = new Set(sketch.handles);
    for (const w of expand(sketch.handleRefs)) handles.add(w);
    for (const h of handles) push(byHandle, h, file);
  }
  const waitsOn = new Map<string, Set<string>>();
  for (const { file, sketch } of list) {
    if (sketch.waits.length === 0) continue;
    const targets = new Set<string>();
    for (const w of expand(sketch.waits)) for (const f of byHandle.get(w) ?? []) targets.add(f);
    waitsOn.set(file, targets);
  }

  const out = new Set<string>();
  const components = stronglyConnected(
    list.map((f) => f.file),
    (f) => waitsOn.get(f) ?? [],
  );
  for (const component of components) {
    const only = component[0]!;
    if (component.length > 1 || waitsOn.get(only)?.has(only)) for (const f of component) out.add(f);
  }
  return { candidates: out, words, links: waitsOn };
}

/**
 * Whether a file's new sketch links it to the same files as its old one, given the words the
 * last `cycleCandidates` reached: a name declared or an alias added that no wait can reach (a
 * local variable typed in an editor) changes nothing.
 */
export function sameLinks(a: FileSketch, b: FileSketch, words: ReadonlySet<string>): boolean {
  if (a.passThrough !== b.passThrough || a.alwaysParse !== b.alwaysParse) return false;
  if (!sameList(a.waits, b.waits) || !sameList(a.handleRefs, b.handleRefs) || !sameList(a.imports, b.imports)) return false;
  const reached = (w: string) => words.has(w);
  if (symmetricDifference(a.handles, b.handles).some(reached)) return false;
  const pairs = (s: FileSketch) => s.aliases.map(([alias, original]) => `${alias}\u0000${original}`);
  return !symmetricDifference(pairs(a), pairs(b)).some((p) => reached(p.slice(0, p.indexOf("\u0000"))));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function symmetricDifference(a: readonly string[], b: readonly string[]): string[] {
  const sa = new Set(a);
  const sb = new Set(b);
  return [...a.filter((x) => !sb.has(x)), ...b.filter((x) => !sa.has(x))];
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
