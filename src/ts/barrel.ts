import type { ConstValue, FileModel, ImportRef } from "../model/types.js";
import { emptyFileModel } from "../model/empty-model.js";
import { nameRecord } from "../model/records.js";
import { ID, PUNCT, STR, type Token } from "../model/sketch-tokens.js";
import { tokenize } from "./sketch.js";
import { restateModuleOf } from "./imports.js";

/**
 * The model of a package's entry or barrel, read off its tokens: what the parser-based frontend
 * would find, with no parse. It takes files made only of
 * - re-exports: `export * from "./a.js"`, `export { a as b } from "./b.js"`, `export * as ns from "./c.js"`;
 * - imports of other modules than Restate's: `import { a, b as c } from "./a.js"`, `import d, * as ns from "./d.js"`,
 *   type-only ones (which bind no value);
 * - exports of what it declares or imports: `export { a, c as e }`;
 * - lists of what it imported: `export const services = [a, c];`.
 * Null for any other file, or any statement it does not know, which is then parsed. Resolving a
 * name through such a file is all the analysis reads of it.
 */
export function reexportsOnlyModel(file: string, text: string): FileModel | null {
  const toks = tokenize(text);
  const model: FileModel = { ...emptyFileModel(file), constants: nameRecord<ConstValue>() };
  let j = 0;
  while (j < toks.length) {
    let next: number | null = null;
    if (toks[j]!.v === ";" && toks[j]!.k === PUNCT) next = j + 1;
    else if (isWord(toks[j], "import")) next = importAt(toks, j + 1, model.imports);
    else if (isWord(toks[j], "export")) next = exportAt(toks, j + 1, model);
    if (next === null) return null;
    j = next;
  }
  return model;
}

/** After `import`: the bindings it makes (none for a type-only one); the token after it, or null when it is not read here. */
function importAt(toks: readonly Token[], at: number, imports: Record<string, ImportRef>): number | null {
  let j = at;
  // `import "./polyfill.js"`: binds nothing.
  if (toks[j]?.k === STR) return toks[j]!.v.includes("\\") || restateModuleOf(toks[j]!.v) ? null : j + 1;
  const typeOnly = isWord(toks[j], "type") && toks[j + 1]?.v !== "," && !isWord(toks[j + 1], "from");
  if (typeOnly) j++;
  const bindings: [string, string][] = [];
  if (toks[j]?.k === ID && !isWord(toks[j], "from")) {
    bindings.push([toks[j]!.v, "default"]);
    j++;
    if (toks[j]?.v === ",") j++;
    else if (!isWord(toks[j], "from")) return null;
  }
  if (toks[j]?.v === "*" && toks[j]!.k === PUNCT) {
    if (!isWord(toks[j + 1], "as") || toks[j + 2]?.k !== ID) return null;
    bindings.push([toks[j + 2]!.v, "*"]);
    j += 3;
  } else if (toks[j]?.v === "{" && toks[j]!.k === PUNCT) {
    const specs = specifiersAt(toks, j + 1);
    if (!specs) return null;
    for (const [imported, local, type] of specs.list) if (!type) bindings.push([local, imported]);
    j = specs.next;
  }
  const source = sourceAt(toks, j);
  if (source === null || restateModuleOf(source)) return null;
  if (!typeOnly) for (const [local, imported] of bindings) imports[local] = { source, imported };
  return j + 2;
}

/** After `export`: what it exports into `model`; the token after it, or null when it is not read here. */
function exportAt(toks: readonly Token[], at: number, model: FileModel): number | null {
  let j = at;
  const typeOnly = isWord(toks[j], "type") && toks[j + 1]?.v === "{";
  if (typeOnly) j++;
  if (toks[j]?.v === "*" && toks[j]!.k === PUNCT) {
    let alias: string | null = null;
    if (isWord(toks[j + 1], "as")) {
      const name = toks[j + 2];
      if (!name || name.k === PUNCT) return null;
      alias = name.v;
      j += 2;
    }
    const source = sourceAt(toks, j + 1);
    if (source === null) return null;
    if (alias === null) model.starExports.push(source);
    else model.reexports[alias] = { source, imported: "*" };
    return j + 3;
  }
  if (isWord(toks[j], "const") && !typeOnly) return listAt(toks, j + 1, model);
  if (toks[j]?.v !== "{" || toks[j]!.k !== PUNCT) return null;
  const specs = specifiersAt(toks, j + 1);
  if (!specs) return null;
  if (isWord(toks[specs.next], "from")) {
    const source = sourceAt(toks, specs.next);
    if (source === null) return null;
    // `type A` (a type-only specifier) re-exports like any other.
    for (const [imported, exported] of specs.list) model.reexports[exported] = { source, imported };
    return specs.next + 2;
  }
  // `export { a, b as c }` of the file's own bindings, types included (as the parser has them).
  for (const [local, exported] of specs.list) model.exports[exported] = local;
  return specs.next;
}

/** After `export const`: `services = [a, b, c]`, a list of identifiers; the token after it, or null for any other value. */
function listAt(toks: readonly Token[], at: number, model: FileModel): number | null {
  const name = toks[at];
  if (name?.k !== ID || toks[at + 1]?.v !== "=" || toks[at + 2]?.v !== "[") return null;
  let j = at + 3;
  while (toks[j]?.v !== "]") {
    if (toks[j]?.k !== ID) return null;
    j++;
    if (toks[j]?.v === ",") j++;
    else if (toks[j]?.v !== "]") return null;
  }
  const after = toks[j + 1];
  if (after && after.v !== ";" && !isWord(after, "export") && !isWord(after, "import")) return null;
  model.exports[name.v] = name.v;
  return j + 1;
}

/**
 * The specifiers of a `{ … }` list from `at` (after its `{`): `[first, second, typeOnly]` for each
 * `first as second` (`a` alone: `a`, `a`); the token after the `}`. Null when one is not written so.
 */
function specifiersAt(toks: readonly Token[], at: number): { list: [string, string, boolean][]; next: number } | null {
  const list: [string, string, boolean][] = [];
  let j = at;
  while (toks[j] && toks[j]!.v !== "}") {
    let type = false;
    if (isWord(toks[j], "type") && toks[j + 1] && toks[j + 1]!.k !== PUNCT && !isWord(toks[j + 1], "as")) {
      type = true;
      j++;
    }
    const first = toks[j];
    if (!first || first.k === PUNCT) return null;
    let second = first.v;
    j++;
    if (isWord(toks[j], "as")) {
      const name = toks[j + 1];
      if (!name || name.k === PUNCT) return null;
      second = name.v;
      j += 2;
    }
    list.push([first.v, second, type]);
    if (toks[j]?.v === ",") j++;
    else if (toks[j]?.v !== "}") return null;
  }
  return toks[j] ? { list, next: j + 1 } : null;
}

/** The module of `from "…"` at `at`; null when it is not written so, or holds an escape the tokens keep raw. */
function sourceAt(toks: readonly Token[], at: number): string | null {
  const source = toks[at + 1];
  if (!isWord(toks[at], "from") || source?.k !== STR || source.v.includes("\\")) return null;
  return source.v;
}

function isWord(tok: Token | undefined, word: string): boolean {
  return tok?.k === ID && tok.v === word;
}
