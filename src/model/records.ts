/**
 * Records keyed by names taken from the code (imports, exports, handlers). A name such as
 * `toString` or `constructor` must not find `Object.prototype`'s member: such records are made
 * without a prototype and read with `own`, which also holds for records that lost their missing
 * prototype in a JSON round trip. Without a prototype V8 also keeps them as dictionaries instead
 * of making a hidden class for every set of names a file happens to use.
 */
export function nameRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** `record[key]`, only if there is a record and it holds the key itself. */
export function own<V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Adds `value` to the list `key` holds in `map`, starting the list if need be. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
