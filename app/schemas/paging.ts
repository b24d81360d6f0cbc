/** Paging of lists that can grow: `offset` and `limit`, answered with `nextCursor` (the next offset, or null). */
import { z } from "zod";

export const PageQuery = z.object({
  offset: z.coerce
    .number({ error: "offset must be a number." })
    .int()
    .min(0)
    .default(0)
    .describe("Where the page starts: the previous page's nextCursor."),
  limit: z.coerce.number({ error: "limit must be a number." }).int().min(1).max(500).default(100),
});

/** A page from rows fetched with limit + 1: the extra row only says whether another page follows. */
export function pageOf<T>(rows: T[], offset: number, limit: number): { items: T[]; nextCursor: string | null } {
  return { items: rows.slice(0, limit), nextCursor: rows.length > limit ? String(offset + limit) : null };
}

/** A list as the API answers it (docs/api.md: `{items, nextCursor}`); nextCursor is null on the last page. */
export function Paged<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe("Where the next page starts; null on the last page."),
  });
}
