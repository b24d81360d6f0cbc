/** The error body of every refusal (docs/api.md; docs/decisions/004-api-and-errors.md). */
import { z } from "zod";
import { responseShape } from "./components.ts";

export const ERROR_CODES = [
  "validation_failed",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "too_large",
  "unsupported_media_type",
  "unprocessable",
  "rate_limited",
  "internal",
] as const;

/** What an error points at: a field (dotted path), a row or a column; for 409, the current state. */
export const ErrorDetailJson = responseShape(
  "ErrorDetail",
  z
    .looseObject({
      field: z.string().optional(),
      row: z.int().optional(),
      column: z.string().optional(),
      message: z.string().optional(),
    })
    .describe("What the error points at: a field (dotted path), a row or a column with a message; for 409, the current state."),
);

export const ErrorBody = responseShape(
  "Error",
  z
    .object({
      error: z.object({
        code: z.string().meta({ description: "Machine-readable reason.", examples: [...ERROR_CODES] }),
        message: z.string().describe("A sentence for people."),
        details: z.array(ErrorDetailJson),
      }),
    })
    .meta({
      examples: [
        {
          error: {
            code: "validation_failed",
            message: "password: A password needs at least 10 characters.",
            details: [{ field: "password", message: "A password needs at least 10 characters." }],
          },
        },
      ],
    }),
);

/**
 * The 409 of an edit based on a stale version: `details[0]` has the current
 * version and the record as it now is, for the client to merge with and retry.
 */
export function StaleVersionBody<T extends z.ZodType>(current: T) {
  return z.object({
    error: z.object({
      code: z.literal("conflict"),
      message: z.string(),
      details: z.array(z.object({ message: z.string().optional(), currentVersion: z.int(), current })).length(1),
    }),
  });
}
