/** Source text quoted in a message, cut to a length that reads in an editor's hover. */
export function shorten(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** `1 file`, `2 files`; `many` where the plural is not the word plus "s". */
export function plural(n: number, word: string, many?: string): string {
  return `${n} ${n === 1 ? word : (many ?? `${word}s`)}`;
}
