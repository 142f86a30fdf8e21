import type { FileModel, ImportRef } from "../model/types.js";
import { emptyFileModel } from "../model/empty-model.js";
import { nameRecord } from "../model/records.js";
import { ID, PUNCT, STR, type Token } from "../model/sketch-tokens.js";
import { tokenize } from "./sketch.js";

/**
 * The model of a file that only re-exports (`export * from "./a.js"`, `export { a as b } from
 * "./b.js"`, `export * as ns from "./c.js"`), read off its tokens: what the parser-based frontend
 * would find, with no parse. Null for any other file, or any statement it does not know, which
 * is then parsed. Package entry barrels are the most common such file, and resolving a name
 * through them is all the analysis reads of them.
 */
export function reexportsOnlyModel(file: string, text: string): FileModel | null {
  const toks = tokenize(text);
  const reexports = nameRecord<ImportRef>();
  const starExports: string[] = [];
  let j = 0;
  while (j < toks.length) {
    if (toks[j]!.v === ";" && toks[j]!.k === PUNCT) {
      j++;
      continue;
    }
    if (!isWord(toks[j], "export")) return null;
    j++;
    if (isWord(toks[j], "type") && toks[j + 1]?.v === "{") j++;
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
      if (alias === null) starExports.push(source);
      else reexports[alias] = { source, imported: "*" };
      j += 3;
      continue;
    }
    if (toks[j]?.v !== "{" || toks[j]!.k !== PUNCT) return null;
    const specs: [string, string][] = [];
    j++;
    while (toks[j] && toks[j]!.v !== "}") {
      // `type A` (a type-only specifier) re-exports like any other.
      if (isWord(toks[j], "type") && toks[j + 1] && toks[j + 1]!.k !== PUNCT && !isWord(toks[j + 1], "as")) j++;
      const local = toks[j];
      if (!local || local.k === PUNCT) return null;
      let exported = local.v;
      j++;
      if (isWord(toks[j], "as")) {
        const name = toks[j + 1];
        if (!name || name.k === PUNCT) return null;
        exported = name.v;
        j += 2;
      }
      specs.push([exported, local.v]);
      if (toks[j]?.v === ",") j++;
      else if (toks[j]?.v !== "}") return null;
    }
    const source = sourceAt(toks, j + 1);
    if (source === null) return null;
    for (const [exported, imported] of specs) reexports[exported] = { source, imported };
    j += 3;
  }
  return { ...emptyFileModel(file), reexports, starExports, constants: nameRecord() };
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
