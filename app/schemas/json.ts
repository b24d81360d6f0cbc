/**
 * Building blocks of the response shapes: how the API writes ids, times, days
 * and people (docs/api.md: ids are strings, times ISO 8601 UTC).
 */
import { z } from "zod";
import { responseShape } from "./components.ts";

/** An instant, as `Date.prototype.toISOString()` writes it. */
export const IsoTime = z.iso.datetime();
export const NullableIsoTime = IsoTime.nullable();

/** A calendar day, YYYY-MM-DD. */
export const Day = z.iso.date();

export const Id = z.string();

/** A whole number (versions, counts, positions). */
export const Count = z.int();

/** A member, as shown beside what they did. */
export const PersonJson = responseShape("Person", z.object({ id: Id, name: z.string() }));

/** One entry of a version history (panels and protocols alike). */
export const VersionEntryJson = responseShape(
  "VersionEntry",
  z.object({
    version: Count,
    note: z.string().nullable().describe("What changed, in a few words."),
    author: PersonJson,
    createdAt: IsoTime,
  }),
);

/** Ids as a JSON array, or from a query string or form: repeated (checkboxes), comma-separated, or both. */
export const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    v === undefined
      ? []
      : (Array.isArray(v) ? v : [v])
          .flatMap((s) => s.split(","))
          .map((s) => s.trim())
          .filter(Boolean),
  );
