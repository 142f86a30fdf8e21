/**
 * What the text sketchers of both frontends (`src/ts/sketch.ts`, `src/go/sketch.ts`) share: their
 * tokens, and the few character classes and bracket matching they read them with.
 */

export const ID = 0;
export const STR = 1;
export const PUNCT = 2;

export interface Token {
  k: typeof ID | typeof STR | typeof PUNCT;
  v: string;
}

/**
 * The index of the bracket closing the one at `open` (any of `(`, `[`, `{`); past `limit`
 * tokens, or at the end of the text, the last one looked at: odd text gives a short scan, never
 * a long one.
 */
export function closingBracket(toks: readonly Token[], open: number, limit: number): number {
  let depth = 0;
  const end = Math.min(toks.length, open + limit);
  for (let m = open; m < end; m++) {
    const t = toks[m]!;
    if (t.k !== PUNCT) continue;
    if (t.v === "(" || t.v === "[" || t.v === "{") depth++;
    else if (t.v === ")" || t.v === "]" || t.v === "}") {
      depth--;
      if (depth === 0) return m;
    }
  }
  return Math.max(open, end - 1);
}

/** A character before `=` that makes it part of an operator (`!=`, `<=`, `+=`, `??=`…), not an assignment. */
export function isOperatorBefore(c: number): boolean {
  // ! < > + - * / % & | ^ ?
  return c === 33 || c === 60 || c === 62 || c === 43 || c === 45 || c === 42 || c === 47 || c === 37 || c === 38 || c === 124 || c === 94 || c === 63;
}

/** ASCII letters, `_`, anything non-ASCII; `$` too where the language allows it. */
export function isIdentStart(c: number, dollar: boolean): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127 || (dollar && c === 36);
}

export function isIdentPart(c: number, dollar: boolean): boolean {
  return isIdentStart(c, dollar) || (c >= 48 && c <= 57);
}
