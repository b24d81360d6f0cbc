/** Workspace search. */
import { SearchQuery, SearchResultListJson } from "#app/schemas/search.ts";
import { type ApiArea, json } from "#app/http/openapi/contract.ts";

export const searchArea: ApiArea = {
  tags: [{ name: "search", description: "Finding protocols, comments, studies, datasets, biomarkers, profiles and goals in a workspace" }],
  pathParameters: {},
  paths: {
    "/api/v1/workspaces/{ws}/search": {
      get: {
        operationId: "searchWorkspace",
        summary: "Search one workspace",
        description:
          "Every word must match (accents and case do not matter; the last word also matches the start of a word). Titles rank above text. 400 for an empty query, one over 200 characters, or one without a letter or digit.",
        tag: "search",
        query: SearchQuery,
        responses: { 200: json("Matches, best first, a page at a time.", SearchResultListJson) },
        errors: [400, 404],
      },
    },
  },
};
