/** Studies with their arms and outcomes, and their summary-level results. */
import {
  CreateResultInput,
  ResultConflictJson,
  ResultJson,
  ResultListJson,
  ResultsQuery,
  UpdateResultInput,
} from "#app/schemas/results.ts";
import { PageQuery } from "#app/schemas/paging.ts";
import { CreateStudyInput, StudyConflictJson, StudyJson, StudyListJson, UpdateStudyInput } from "#app/schemas/studies.ts";
import { SiteKitJson } from "#app/schemas/site-kit.ts";
import { SiteSummaryJson, SiteSummaryListJson, UploadSiteSummaryInput } from "#app/schemas/site-summaries.ts";
import { type ApiArea, attachment, json } from "#app/http/openapi/contract.ts";

export const studiesArea: ApiArea = {
  tags: [
    { name: "studies", description: "Studies, their arms, outcome measures and datasets" },
    { name: "results", description: "Summary-level results: an arm against a comparator on one outcome, optionally in a subgroup" },
  ],
  pathParameters: { studyId: "The study id.", resultId: "The result id." },
  paths: {
    "/api/v1/workspaces/{ws}/studies": {
      get: {
        operationId: "listStudies",
        summary: "List the workspace's studies",
        tag: "studies",
        query: PageQuery,
        responses: { 200: json("The studies.", StudyListJson) },
        errors: [400, 404],
      },
      post: {
        operationId: "createStudy",
        summary: "Create a study (contributor or lead)",
        tag: "studies",
        body: CreateStudyInput,
        responses: { 201: json("The new study (with no datasets yet).", StudyJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/studies/{studyId}": {
      get: {
        operationId: "getStudy",
        summary: "A study with its arms, outcomes and datasets",
        tag: "studies",
        responses: { 200: json("The study.", StudyJson) },
        errors: [404],
      },
      patch: {
        operationId: "updateStudy",
        summary: "Edit a study (contributor or lead)",
        description:
          "Send baseVersion (the version you edited). Arms and outcomes, when sent, are the whole new list: items with an id are updated, new ones added, missing ones removed (422 if a result still uses one). A stale baseVersion gets 409 with the current study.",
        tag: "studies",
        body: UpdateStudyInput,
        responses: {
          200: json("The study after the edit.", StudyJson),
          409: json("The study changed since baseVersion.", StudyConflictJson),
        },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/studies/{studyId}/site-kit.json": {
      get: {
        operationId: "getSiteKit",
        summary: "The study's site kit, for summarising data that cannot leave a site",
        description:
          "The study's arms, outcomes and panel and the workspace's profiles, with their versions. A partner runs /downloads/consilience-site.mjs with it on its own machine (node consilience-site.mjs summarise data.csv --kit site-kit.json) to write per-arm summaries and interaction estimates, withholding every cell with fewer than minimumCellSize participants.",
        tag: "studies",
        responses: { 200: json("The site kit (saved as site-kit-<studyId>.json).", SiteKitJson, attachment("site-kit-<studyId>.json")) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/studies/{studyId}/site-summaries": {
      get: {
        operationId: "listSiteSummaries",
        summary: "Every version of every site's summary of the study",
        tag: "studies",
        responses: { 200: json("The site summaries, newest version first per site.", SiteSummaryListJson) },
        errors: [404],
      },
      post: {
        operationId: "uploadSiteSummary",
        summary: "Upload a site summary (contributor or lead)",
        description:
          "The site-summary.json that consilience-site.mjs wrote with this study's site kit, as `summary`, and the site's name. Refused (400, naming the field) " +
          "when it was made for another study or workspace, names an arm, outcome or profile the study does not have, or holds a cell of fewer than 5 participants. " +
          "Each upload is a new version of that site's summary; the newest feeds the comparison and the effect-modification view.",
        tag: "studies",
        body: UploadSiteSummaryInput,
        responses: { 201: json("The stored summary.", SiteSummaryJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/results": {
      get: {
        operationId: "listResults",
        summary: "List results, optionally of one study",
        tag: "results",
        query: ResultsQuery,
        responses: { 200: json("A page of results (nextCursor is the next offset).", ResultListJson) },
        errors: [400, 404],
      },
      post: {
        operationId: "createResult",
        summary: "Add a result (contributor or lead)",
        tag: "results",
        body: CreateResultInput,
        responses: { 201: json("The new result.", ResultJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/results/{resultId}": {
      get: {
        operationId: "getResult",
        summary: "A result",
        tag: "results",
        responses: { 200: json("The result.", ResultJson) },
        errors: [404],
      },
      patch: {
        operationId: "updateResult",
        summary: "Edit a result (contributor or lead)",
        description: "Send baseVersion; a stale one gets 409 with the current result.",
        tag: "results",
        body: UpdateResultInput,
        responses: {
          200: json("The result after the edit.", ResultJson),
          409: json("The result changed since baseVersion.", ResultConflictJson),
        },
        errors: [404],
      },
    },
  },
};
