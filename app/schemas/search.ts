/** Workspace search: the query and the answer. */
import { z } from "zod";
import { MAX_QUERY_LENGTH, SEARCH_KINDS } from "#app/domain/search-text.ts";
import { responseShape } from "./components.ts";
import { Count, Id } from "./json.ts";
import { Paged } from "./paging.ts";

export const SearchQuery = z.object({
  q: z
    .string({ error: "Type something to search for (q)." })
    .trim()
    .min(1, "Type something to search for.")
    .max(MAX_QUERY_LENGTH, `A search is at most ${MAX_QUERY_LENGTH} characters.`)
    .describe("The words to find; the last one also matches as the start of a word."),
  kind: z.enum(SEARCH_KINDS, { error: `kind is one of: ${SEARCH_KINDS.join(", ")}.` }).optional(),
  offset: z.coerce.number({ error: "offset must be a number." }).int().min(0).max(10_000).default(0),
  limit: z.coerce.number({ error: "limit must be a number." }).int().min(1).max(50).default(20),
});
export type SearchQueryInput = z.output<typeof SearchQuery>;

const TextRangeJson = z.object({
  start: Count.describe("Where the matching word starts, in UTF-16 code units."),
  length: Count,
});

export const SearchResultJson = responseShape(
  "SearchResult",
  z.object({
    kind: z.enum(SEARCH_KINDS),
    id: Id,
    liveDraft: z
      .boolean()
      .describe("True for the text of a protocol's live draft not yet saved as a version; `url` is then the draft's page."),
    title: z.string(),
    snippet: z.string().describe("Plain text around the first match; no markup."),
    url: z.string().describe("The page (and section, comment or column) where the match is, as a path of this server."),
    highlights: z
      .object({ title: z.array(TextRangeJson), snippet: z.array(TextRangeJson) })
      .describe("The matching words of title and snippet, as ranges of those strings."),
  }),
);

export const SearchResultListJson = responseShape(
  "SearchResultList",
  Paged(SearchResultJson)
    .extend({
      counts: z
        .partialRecord(z.enum(SEARCH_KINDS), Count)
        .describe("How many things of each kind match, in this workspace; kinds without a match are left out."),
    })
    .describe("Matches in this workspace, best first."),
);
