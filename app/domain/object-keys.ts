/**
 * Objects whose keys come from the outside world: form field names, query
 * strings, multipart fields, CSV headers, column mappings. Assigning to
 * `__proto__`, or walking through `constructor.prototype`, reaches the
 * prototype every object in the process shares (prototype pollution), so
 * such keys are never used as keys and such objects have no prototype.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "prototype", "constructor"]);

/** A key that must never be taken from user input. */
export function isPrototypeKey(key: string): boolean {
  return PROTOTYPE_KEYS.has(key);
}

/**
 * An empty record for user-named keys. It has no prototype, so a key like
 * "constructor" reads as absent instead of as Object's constructor, and
 * assigning "__proto__" could not change what it inherits.
 */
export function userKeyedRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Sets `key` on a user-keyed record, ignoring keys that reach a prototype. */
export function setUserKey<T>(record: Record<string, T>, key: string, value: T): void {
  if (!isPrototypeKey(key)) record[key] = value;
}
