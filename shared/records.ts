/**
 * Records keyed by package, source or arch names. Those names come from files and users, and
 * `constructor`, `toString` or `__proto__` are valid package names: on a plain object they
 * read inherited members (or, for `__proto__`, set the prototype). A record made here has no
 * prototype, and `own` reads only own keys, so such a name is just a name.
 */

/** An empty record with no prototype, optionally filled from entries. */
export function nameRecord<T>(entries?: Iterable<readonly [string, T]>): Record<string, T> {
  const rec = Object.create(null) as Record<string, T>;
  if (entries) for (const [k, v] of entries) rec[k] = v;
  return rec;
}

/** The value of `key` when it is the record's own key; undefined otherwise (never an inherited member). */
export function own<T>(rec: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return rec != null && Object.hasOwn(rec, key) ? rec[key] : undefined;
}

/** True when `key` is the record's own key. */
export function hasName(rec: Readonly<Record<string, unknown>> | null | undefined, key: string): boolean {
  return rec != null && Object.hasOwn(rec, key);
}

/** A copy of a record (plain or not) as a null-prototype record, so later writes of any name are safe. */
export function copyRecord<T>(rec: Readonly<Record<string, T>> | null | undefined): Record<string, T> {
  return nameRecord(rec ? Object.entries(rec) : []);
}
