import type { z } from "zod";
import { validationFailed } from "./errors.server.ts";

/**
 * Validates input against a schema, or throws a 400 whose details point at
 * each offending field and whose message is the first problem in words.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    field: issue.path.join(".") || undefined,
    message: issue.message,
  }));
  const first = details[0];
  const message = first?.field ? `${first.field}: ${first.message}` : (first?.message ?? "The input is not valid.");
  throw validationFailed(message, details);
}
