/** Patient profiles, result-to-profile mappings and the comparison (matrix, cell, exports). */
import {
  ComparisonCellJson,
  ComparisonCellQuery,
  ComparisonJson,
  ComparisonQuery,
  WithinTrialJson,
  WithinTrialQuery,
} from "#app/schemas/comparison.ts";
import {
  CreateProfileInput,
  MapResultInput,
  ProfileConflictJson,
  ProfileCountsJson,
  ProfileJson,
  ProfileListJson,
  ProfileVersionListJson,
  ResultProfileMappingJson,
  UpdateProfileInput,
} from "#app/schemas/profiles.ts";
import { type ApiArea, attachment, json, media } from "#app/http/openapi/contract.ts";

export const comparisonArea: ApiArea = {
  tags: [
    { name: "profiles", description: "Patient profiles: criteria over panel biomarkers (with units) and participant attributes" },
    {
      name: "comparison",
      description: "Interventions × patient profiles, pooled as metafor pools them, with forest-plot data and exports",
    },
  ],
  pathParameters: { profileId: "The patient profile id." },
  paths: {
    "/api/v1/workspaces/{ws}/profiles": {
      get: {
        operationId: "listProfiles",
        summary: "List the workspace's patient profiles",
        tag: "profiles",
        responses: { 200: json("The profiles.", ProfileListJson) },
        errors: [404],
      },
      post: {
        operationId: "createProfile",
        summary: "Create a patient profile (contributor or lead)",
        description:
          "Biomarker criteria must name a biomarker of one of the workspace's panels, in a unit convertible to the panel's (400 otherwise).",
        tag: "profiles",
        body: CreateProfileInput,
        responses: { 201: json("The new profile.", ProfileJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/profiles/{profileId}": {
      get: {
        operationId: "getProfile",
        summary: "A patient profile",
        tag: "profiles",
        responses: { 200: json("The profile.", ProfileJson) },
        errors: [404],
      },
      patch: {
        operationId: "updateProfile",
        summary: "Edit a patient profile (contributor or lead)",
        description: "Send baseVersion; a stale one gets 409 with the current profile.",
        tag: "profiles",
        body: UpdateProfileInput,
        responses: {
          200: json("The profile after the edit.", ProfileJson),
          409: json("The profile changed since baseVersion.", ProfileConflictJson),
        },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/profiles/{profileId}/versions": {
      get: {
        operationId: "listProfileVersions",
        summary: "Every version of a profile",
        tag: "profiles",
        responses: { 200: json("The versions.", ProfileVersionListJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/profiles/{profileId}/counts": {
      get: {
        operationId: "getProfileCounts",
        summary: "Participants matching the profile, per dataset and arm, and the datasets that cannot be evaluated and why",
        tag: "profiles",
        responses: { 200: json("The counts.", ProfileCountsJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/results/{resultId}/profile": {
      get: {
        operationId: "getResultProfile",
        summary: "The profile a result is mapped to",
        tag: "profiles",
        responses: { 200: json("The mapping (profileId null when unmapped).", ResultProfileMappingJson) },
        errors: [404],
      },
      put: {
        operationId: "mapResultToProfile",
        summary: "Map a summary-level result to a profile, or unmap it with null (contributor or lead)",
        tag: "profiles",
        body: MapResultInput,
        responses: { 200: json("The mapping, with how the subgroup's cut-offs differ from the profile's.", ResultProfileMappingJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/comparison": {
      get: {
        operationId: "getComparison",
        summary: "The interventions × profiles matrix with pooled cells (the numbers the page shows)",
        description:
          "Defaults: the outcome most studies give data for, SMD (continuous) or OR (binary), REML, participant-level data preferred when a study has both kinds for a cell. exclude takes study ids (comma-separated or repeated).",
        tag: "comparison",
        query: ComparisonQuery,
        responses: { 200: json("The matrix and its inputs.", ComparisonJson) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/comparison/cell": {
      get: {
        operationId: "getComparisonCell",
        summary:
          "A cell's (or with no profile, a row's) forest plot: studies with weights, a pooled estimate per profile, the overall model and the test for subgroup differences",
        tag: "comparison",
        query: ComparisonCellQuery,
        responses: { 200: json("The forest plot's numbers.", ComparisonCellJson) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/comparison.csv": {
      get: {
        operationId: "exportComparisonCsv",
        summary: "The matrix as CSV, a line per cell",
        tag: "comparison",
        query: ComparisonQuery,
        responses: { 200: media("CSV.", "text/csv", { headers: attachment("comparison.csv") }) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/comparison/inputs.csv": {
      get: {
        operationId: "exportComparisonInputsCsv",
        summary: "Every per-study input of the comparison as CSV, with provenance (dataset version, result, conversions) and yi/vi",
        tag: "comparison",
        query: ComparisonQuery,
        responses: { 200: media("CSV.", "text/csv", { headers: attachment("comparison-inputs.csv") }) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/comparison/within-trial": {
      get: {
        operationId: "getWithinTrialDifference",
        summary: "Within-trial subgroup differences for one row: each trial's effect in profile a minus in profile b, pooled",
        description:
          "Participant-level trials are dichotomised by the two profiles; trials that shared only subgroup results contribute their published " +
          "results mapped to the profiles. Both sides of a trial must come from the same kind of source. Choose profiles that do not overlap " +
          "(variances are added as for independent subgroups). 400 for an unknown or repeated profile; 404 for an unknown row.",
        tag: "comparison",
        query: WithinTrialQuery,
        responses: { 200: json("The differences and their pooled estimate.", WithinTrialJson) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/comparison/within-trial.csv": {
      get: {
        operationId: "exportWithinTrialCsv",
        summary: "The within-trial differences of one row as CSV: a line per trial (and per unpaired trial), then the pooled difference",
        tag: "comparison",
        query: WithinTrialQuery,
        responses: { 200: media("CSV.", "text/csv", { headers: attachment("within-trial.csv") }) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/comparison/within-trial.R": {
      get: {
        operationId: "exportWithinTrialR",
        summary: "An R script using metafor that recomputes the within-trial differences from comparison/inputs.csv and checks them",
        tag: "comparison",
        query: WithinTrialQuery,
        responses: { 200: media("An R script.", "text/x-r", { headers: attachment("within-trial-<row>-<a>-<b>.R") }) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/comparison/cell.R": {
      get: {
        operationId: "exportComparisonCellR",
        summary: "An R script using metafor that recomputes the cell's numbers from comparison/inputs.csv and checks them",
        tag: "comparison",
        query: ComparisonCellQuery,
        responses: { 200: media("An R script.", "text/x-r", { headers: attachment("<row>-<profile>.R") }) },
        errors: [400, 404],
      },
    },
  },
};
