import { isPrototypeKey, userKeyedRecord } from "#app/domain/object-keys.ts";

/** The largest list index a form field may name ("arms[99]"): no form of ours has more rows. */
const MAX_FORM_INDEX = 999;

/**
 * Turns flat form fields with paths in their names ("arms[0].name",
 * "data.intervention.mean") into the nested object the zod schemas expect.
 * Empty strings are kept: the schemas decide what an empty field means.
 *
 * Field names are the sender's to choose, so a path that steps through
 * `__proto__`, `prototype` or `constructor`, or names a list index no form
 * has, is dropped: such a field is no field of ours, and writing it would
 * change objects all over the process (prototype pollution) or allocate a
 * huge list.
 */
export function nestFormData(entries: Iterable<[string, FormDataEntryValue]>): Record<string, unknown> {
  const root = userKeyedRecord<unknown>();
  for (const [name, value] of entries) {
    if (typeof value !== "string") continue;
    // "arms[0][name]", "arms[0].name" and "arms.0.name" are one path.
    const path = name.replace(/\[([^\]]*)\]/g, ".$1").split(".");
    if (!path.every(isUsableKey)) continue;
    let node: Record<string, unknown> = root;
    for (const [i, key] of path.entries()) {
      if (i === path.length - 1) {
        node[key] = value;
        break;
      }
      const existing = node[key];
      if (existing === undefined) node[key] = /^\d+$/.test(path[i + 1]) ? [] : userKeyedRecord<unknown>();
      else if (typeof existing !== "object") break; // "a=1&a.b=2": the plain field wins.
      node = node[key] as Record<string, unknown>;
    }
  }
  return compactArrays(root) as Record<string, unknown>;
}

function isUsableKey(key: string): boolean {
  if (isPrototypeKey(key)) return false;
  return !/^\d+$/.test(key) || Number(key) <= MAX_FORM_INDEX;
}

// Rows removed in the browser leave holes ("arms[0]", "arms[2]"): close them up.
function compactArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compactArrays);
  if (value && typeof value === "object") {
    // Plain objects again for the schemas; Object.fromEntries defines keys, it never assigns through a prototype.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactArrays(v)]));
  }
  return value;
}

/** A form field that should be a number: "" stays missing, anything else is Number()-ed for the schema to judge. */
export function numberField(value: unknown): number | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  return Number(value.trim().replace(",", "."));
}
