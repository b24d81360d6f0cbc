/**
 * Turns flat form fields with paths in their names ("arms[0].name",
 * "data.intervention.mean") into the nested object the zod schemas expect.
 * Empty strings are kept: the schemas decide what an empty field means.
 */
export function nestFormData(entries: Iterable<[string, FormDataEntryValue]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of entries) {
    if (typeof value !== "string") continue;
    const path = name.replace(/\[(\d+)\]/g, ".$1").split(".");
    let node: Record<string, unknown> | unknown[] = root;
    path.forEach((key, i) => {
      const last = i === path.length - 1;
      const container = node as Record<string, unknown>;
      if (last) {
        container[key] = value;
        return;
      }
      container[key] ??= /^\d+$/.test(path[i + 1]) ? [] : {};
      node = container[key] as Record<string, unknown>;
    });
  }
  return compactArrays(root) as Record<string, unknown>;
}

// Rows removed in the browser leave holes ("arms[0]", "arms[2]"): close them up.
function compactArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compactArrays);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactArrays(v)]));
  }
  return value;
}

/** A form field that should be a number: "" stays missing, anything else is Number()-ed for the schema to judge. */
export function numberField(value: unknown): number | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  return Number(value.trim().replace(",", "."));
}
