import type { z } from "zod";
import { validationFailed } from "./errors.server.ts";

/**
 * Validates input against a schema, or throws a 400 whose details point at
 * each offending field and whose message is the first problem in words.
 * Text may not hold a NUL character (U+0000): no reader means one, and
 * PostgreSQL cannot store it, so it is refused the same on both engines.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) {
    const field = pathToNul(result.data, []);
    if (field) {
      const where = field.join(".");
      const message = "Remove the NUL character (U+0000): text cannot hold it.";
      throw validationFailed(where ? `${where}: ${message}` : message, [{ field: where || undefined, message }]);
    }
    return result.data;
  }
  const details = result.error.issues.map((issue) => ({
    field: issue.path.join(".") || undefined,
    message: issue.message,
  }));
  const first = details[0];
  const message = first?.field ? `${first.field}: ${first.message}` : (first?.message ?? "The input is not valid.");
  throw validationFailed(message, details);
}

/** The path of the first string holding U+0000 in a parsed input, or null. */
function pathToNul(value: unknown, path: (string | number)[]): (string | number)[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = pathToNul(item, [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const found = pathToNul(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}
