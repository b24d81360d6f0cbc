/** Patient profiles, result-to-profile mappings and the comparison (matrix, cell, exports). */
import { CRITERION_OPERATORS } from "#app/domain/profiles.ts";
import { ComparisonCellQuery, ComparisonQuery } from "#app/schemas/comparison.ts";
import { CreateProfileInput, MapResultInput, UpdateProfileInput } from "#app/schemas/profiles.ts";
import { type ApiSection, dateTime, id, type JsonSchema, listOf, ref, requestSchema } from "#app/http/openapi/builder.ts";

const number = { type: ["number", "null"] };

/** The criteria are recursive: point at the hand-written CriteriaGroup rather than the generator's local $defs. */
function withCriteriaRef(schema: JsonSchema): JsonSchema {
  const { $defs: _, ...rest } = schema as JsonSchema & { $defs?: unknown };
  const properties = { ...(rest.properties as Record<string, JsonSchema>), criteria: ref("CriteriaGroup") };
  return { ...rest, properties };
}
const csv = { "text/csv": { schema: { type: "string" } } };

const pooled = {
  type: "object",
  description: "A pooled estimate. estimate, CI and prediction interval are on the measure's scale (ratios as ratios); yi and se on the analysis scale (log for ratios); i2 in percent.",
  properties: {
    k: { type: "integer" },
    n: { type: ["integer", "null"], description: "Participants; null when a summary result gave no N." },
    estimate: number,
    ciLower: number,
    ciUpper: number,
    piLower: number,
    piUpper: number,
    yi: number,
    se: number,
    tau2: number,
    i2: number,
    q: number,
    qP: number,
    pval: number,
  },
};

export const comparisonSection: ApiSection = {
  tags: [
    { name: "profiles", description: "Patient profiles: criteria over panel biomarkers (with units) and participant attributes" },
    { name: "comparison", description: "Interventions × patient profiles, pooled as metafor pools them, with forest-plot data and exports" },
  ],
  pathParameters: { profileId: "The patient profile id." },
  requestBodies: () => ({
    CreateProfileInput: withCriteriaRef(requestSchema(CreateProfileInput)),
    UpdateProfileInput: withCriteriaRef(requestSchema(UpdateProfileInput)),
    MapResultInput: requestSchema(MapResultInput),
    CriteriaGroup: {
      type: "object",
      required: ["op", "items"],
      description: "Criteria joined by and/or; groups nest at most 3 deep, with at most 20 criteria in all.",
      properties: {
        op: { type: "string", enum: ["and", "or"] },
        items: { type: "array", minItems: 1, maxItems: 20, items: { oneOf: [ref("Criterion"), ref("CriteriaGroup")] } },
      },
    },
    Criterion: {
      type: "object",
      required: ["kind", "operator", "value"],
      description: "A panel biomarker {kind: biomarker, code, operator, value, unit} (unit defaults to the panel's), or a dataset column {kind: attribute, name, operator, value, unit?} (text values only with =).",
      properties: {
        kind: { type: "string", enum: ["biomarker", "attribute"] },
        code: { type: "string" },
        name: { type: "string" },
        operator: { type: "string", enum: [...CRITERION_OPERATORS] },
        value: { type: ["number", "string"] },
        unit: { type: "string" },
      },
    },
  }),
  responseSchemas: () => ({
    Profile: {
      type: "object",
      required: ["id", "name", "criteria", "text", "version"],
      properties: {
        id: id(),
        name: { type: "string" },
        description: { type: "string" },
        criteria: {
          type: "object",
          description: `{op: "and"|"or", items: [criterion or group]}; a criterion is {kind: "biomarker", code, operator, value, unit} or {kind: "attribute", name, operator, value, unit?}; operators ${CRITERION_OPERATORS.join(" ")}.`,
        },
        text: { type: "string", description: "The criteria in plain language: “hs-CRP > 3 mg/L and BMI ≥ 30 kg/m2”." },
        version: { type: "integer", description: "Send it back as baseVersion when editing." },
        createdBy: id(),
        createdAt: dateTime(),
        updatedAt: dateTime(),
      },
    },
    ProfileList: listOf("Profile", "The workspace's profiles, in column order."),
    ProfileVersionList: listOf("ProfileVersion", "Every version, newest first."),
    ProfileVersion: {
      type: "object",
      required: ["version", "name", "criteria", "text"],
      properties: { version: { type: "integer" }, name: { type: "string" }, description: { type: "string" }, criteria: { type: "object" }, text: { type: "string" }, authorId: id(), createdAt: dateTime() },
    },
    ProfileCounts: {
      type: "object",
      required: ["profileId", "version", "items"],
      properties: {
        profileId: id(),
        version: { type: "integer" },
        items: {
          type: "array",
          description: "One per participant-level dataset (newest version of each).",
          items: {
            type: "object",
            required: ["studyId", "datasetId", "evaluable", "arms", "problems"],
            properties: {
              studyId: id(),
              studyTitle: { type: "string" },
              datasetId: id(),
              datasetName: { type: "string" },
              version: { type: "integer" },
              evaluable: { type: "boolean" },
              problems: {
                type: "array",
                description: "Why the dataset cannot be evaluated.",
                items: { type: "object", properties: { criterion: { type: "string" }, reason: { type: "string", enum: ["biomarker_missing", "unit_not_convertible", "attribute_missing"] }, message: { type: "string" } } },
              },
              conversions: { type: "array", items: { type: "string" } },
              arms: {
                type: "array",
                items: {
                  type: "object",
                  properties: { arm: { type: "string" }, total: { type: "integer" }, matched: { type: "integer" }, notMatched: { type: "integer" }, missing: { type: "integer", description: "Undecidable: a value the profile needs is missing." } },
                },
              },
            },
          },
        },
      },
    },
    ResultProfileMapping: {
      type: "object",
      required: ["resultId", "profileId"],
      properties: {
        resultId: id(),
        profileId: { type: ["string", "null"] },
        profileName: { type: "string" },
        subgroup: { type: "string" },
        mappedBy: id(),
        mappedAt: dateTime(),
        cutoffMatches: { type: "boolean" },
        cutoffDifferences: { type: "array", items: { type: "string" }, description: "How the result's subgroup differs from the profile: “Cut-off differs: the subgroup is hs-CRP > 5 mg/L, the profile hs-CRP > 3 mg/L.”" },
      },
    },
    Pooled: pooled,
    ComparisonInput: {
      type: "object",
      description: "One study's data for one intervention in one profile, with its provenance.",
      properties: {
        id: id(),
        studyId: id(),
        studyTitle: { type: "string" },
        row: { type: "string" },
        intervention: { type: "string" },
        class: { type: "string" },
        dose: { type: "string" },
        comparator: { type: "string" },
        profileId: id(),
        source: { type: "string", enum: ["participant", "summary"] },
        datasetId: { type: ["string", "null"] },
        datasetVersion: { type: ["integer", "null"] },
        outcomeDefinition: { type: ["string", "null"] },
        conversions: { type: "array", items: { type: "string" } },
        resultId: { type: ["string", "null"] },
        resultVersion: { type: ["integer", "null"] },
        subgroup: { type: ["string", "null"] },
        cutoffDifferences: { type: "array", items: { type: "string" } },
        data: { type: "object", description: "continuous {intervention:{mean,sd,n}, comparator}, binary {intervention:{events,n}, comparator}, or estimate {measure, estimate, ciLower, ciUpper}." },
      },
    },
    Comparison: {
      type: "object",
      required: ["outcome", "measure", "method", "profiles", "rows", "inputs"],
      properties: {
        outcome: { type: ["object", "null"], description: "{key, name, kind, studies, higherIsBetter}" },
        outcomes: { type: "array", items: { type: "object" }, description: "Every outcome a study measures, with how many studies give data for it." },
        measure: { type: "string" },
        measures: { type: "array", items: { type: "string" } },
        method: { type: "string", enum: ["FE", "DL", "REML"] },
        knha: { type: "boolean" },
        prefer: { type: "string", enum: ["participant", "summary"] },
        exclude: { type: "array", items: id() },
        profiles: { type: "array", items: { type: "object", properties: { id: id(), name: { type: "string" }, version: { type: "integer" }, text: { type: "string" } } } },
        rows: {
          type: "array",
          items: {
            type: "object",
            properties: {
              key: { type: "string", description: "class:<class> or intervention:<name>" },
              kind: { type: "string", enum: ["class", "intervention"] },
              class: { type: "string" },
              name: { type: "string" },
              dose: { type: "string" },
              cells: {
                type: "array",
                description: "One per profile, in the profiles' order; k = 0 when no study gives an effect.",
                items: {
                  allOf: [ref("Pooled")],
                  properties: {
                    profileId: id(),
                    sources: { type: "object", properties: { participant: { type: "integer" }, summary: { type: "integer" } } },
                    thin: { type: "boolean" },
                    thinReasons: { type: "array", items: { type: "string" } },
                    studyIds: { type: "array", items: id() },
                    inputIds: { type: "array", items: id() },
                  },
                },
              },
            },
          },
        },
        inputs: { type: "array", items: ref("ComparisonInput") },
        setAside: { type: "array", items: { type: "object", properties: { input: ref("ComparisonInput"), usedInstead: id() } } },
      },
    },
    ComparisonCell: {
      type: "object",
      required: ["row", "profiles", "inputs", "forest"],
      properties: {
        row: { type: "object" },
        outcome: { type: ["object", "null"] },
        measure: { type: "string" },
        method: { type: "string" },
        profiles: { type: "array", items: { type: "object" } },
        inputs: { type: "array", items: ref("ComparisonInput") },
        forest: {
          type: "object",
          properties: {
            groups: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  profileId: id(),
                  pooled: { oneOf: [ref("Pooled"), { type: "null" }] },
                  studies: { type: "array", items: { type: "object", description: "inputId, studyId, studyTitle, source, excluded, estimate, ciLower, ciUpper, yi, vi, n, weight (percent of the profile's weight), reason" } },
                },
              },
            },
            overall: { oneOf: [ref("Pooled"), { type: "null" }] },
            subgroupTest: { type: ["object", "null"], description: "{q, df, p}: the test for subgroup differences." },
          },
        },
      },
    },
  }),
  paths: {
    "/api/v1/workspaces/{ws}/profiles": {
      get: { operationId: "listProfiles", summary: "List the workspace's patient profiles", tag: "profiles", success: { status: 200, description: "The profiles.", schema: "ProfileList" }, errors: [404] },
      post: {
        operationId: "createProfile",
        summary: "Create a patient profile (contributor or lead)",
        description: "Biomarker criteria must name a biomarker of one of the workspace's panels, in a unit convertible to the panel's (400 otherwise).",
        tag: "profiles",
        body: "CreateProfileInput",
        success: { status: 201, description: "The new profile.", schema: "Profile" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/profiles/{profileId}": {
      get: { operationId: "getProfile", summary: "A patient profile", tag: "profiles", success: { status: 200, description: "The profile.", schema: "Profile" }, errors: [404] },
      patch: {
        operationId: "updateProfile",
        summary: "Edit a patient profile (contributor or lead)",
        description: "Send baseVersion; a stale one gets 409 with the current profile.",
        tag: "profiles",
        body: "UpdateProfileInput",
        success: { status: 200, description: "The profile after the edit.", schema: "Profile" },
        errors: [404, 409],
      },
    },
    "/api/v1/workspaces/{ws}/profiles/{profileId}/versions": {
      get: { operationId: "listProfileVersions", summary: "Every version of a profile", tag: "profiles", success: { status: 200, description: "The versions.", schema: "ProfileVersionList" }, errors: [404] },
    },
    "/api/v1/workspaces/{ws}/profiles/{profileId}/counts": {
      get: {
        operationId: "getProfileCounts",
        summary: "Participants matching the profile, per dataset and arm, and the datasets that cannot be evaluated and why",
        tag: "profiles",
        success: { status: 200, description: "The counts.", schema: "ProfileCounts" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/results/{resultId}/profile": {
      get: { operationId: "getResultProfile", summary: "The profile a result is mapped to", tag: "profiles", success: { status: 200, description: "The mapping (profileId null when unmapped).", schema: "ResultProfileMapping" }, errors: [404] },
      put: {
        operationId: "mapResultToProfile",
        summary: "Map a summary-level result to a profile, or unmap it with null (contributor or lead)",
        tag: "profiles",
        body: "MapResultInput",
        success: { status: 200, description: "The mapping, with how the subgroup's cut-offs differ from the profile's.", schema: "ResultProfileMapping" },
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
        success: { status: 200, description: "The matrix and its inputs.", schema: "Comparison" },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/comparison/cell": {
      get: {
        operationId: "getComparisonCell",
        summary: "A cell's (or with no profile, a row's) forest plot: studies with weights, a pooled estimate per profile, the overall model and the test for subgroup differences",
        tag: "comparison",
        query: ComparisonCellQuery,
        success: { status: 200, description: "The forest plot's numbers.", schema: "ComparisonCell" },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/comparison.csv": {
      get: { operationId: "exportComparisonCsv", summary: "The matrix as CSV, a line per cell", tag: "comparison", query: ComparisonQuery, success: { status: 200, description: "CSV.", content: csv }, errors: [400, 404] },
    },
    "/api/v1/workspaces/{ws}/comparison/inputs.csv": {
      get: {
        operationId: "exportComparisonInputsCsv",
        summary: "Every per-study input of the comparison as CSV, with provenance (dataset version, result, conversions) and yi/vi",
        tag: "comparison",
        query: ComparisonQuery,
        success: { status: 200, description: "CSV.", content: csv },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/comparison/cell.R": {
      get: {
        operationId: "exportComparisonCellR",
        summary: "An R script using metafor that recomputes the cell's numbers from comparison/inputs.csv and checks them",
        tag: "comparison",
        query: ComparisonCellQuery,
        success: { status: 200, description: "An R script.", content: { "text/x-r": { schema: { type: "string" } } } },
        errors: [400, 404],
      },
    },
  },
};
