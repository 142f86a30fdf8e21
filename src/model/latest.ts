/**
 * A cache that keeps the value of one key only: the file being linted. ESLint lints one file at a
 * time and every rule asks about the same tree, so one slot is enough. A module-level WeakMap
 * would do the same job but lives in the old generation: each entry it holds for a young tree
 * keeps that whole tree (text, tokens, nodes) alive through every young-generation GC until the
 * next full GC, which in a run over a thousand files costs more than the rules themselves.
 */
export function latestOnly<K extends object, V>(): { get(key: K): V | undefined; set(key: K, value: V): void } {
  let slotKey: K | null = null;
  let slotValue: V | undefined;
  return {
    get: (key) => (key === slotKey ? slotValue : undefined),
    set(key, value) {
      slotKey = key;
      slotValue = value;
    },
  };
}
