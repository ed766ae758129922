// Why: process types, formations and config vars are keyed by names users choose; a plain object
// answers `'constructor' in {}` and ignores `o['__proto__'] = …`, so name-keyed maps have no prototype.

/** A name-keyed record without a prototype, optionally filled from entries or another record. */
export function dict<T>(from?: Iterable<readonly [string, T]> | Record<string, T>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (!from) return out;
  const entries = typeof (from as Iterable<unknown>)[Symbol.iterator] === 'function' ? from as Iterable<readonly [string, T]> : Object.entries(from);
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** True when the record itself has `key` (never an inherited property such as 'constructor'). */
export function has(record: object, key: string): boolean {
  return Object.hasOwn(record, key);
}

/** The record's own value for `key`, or undefined. */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
