/** Studies with their arms and outcome measures. */
import { ARM_CLASSES, OUTCOME_KINDS, STUDY_DESIGNS } from "#app/domain/studies.ts";
import { CreateResultInput, ResultsQuery, UpdateResultInput } from "#app/schemas/results.ts";
import { PageQuery } from "#app/schemas/paging.ts";
import { CreateStudyInput, UpdateStudyInput } from "#app/schemas/studies.ts";
import { type ApiSection, dateTime, id, listOf, requestSchema } from "#app/http/openapi/builder.ts";

const nullableString = { type: ["string", "null"] };

export const studiesSection: ApiSection = {
  tags: [
    { name: "studies", description: "Studies, their arms, outcome measures and datasets" },
    { name: "results", description: "Summary-level results: an arm against a comparator on one outcome, optionally in a subgroup" },
  ],
  pathParameters: { studyId: "The study id.", resultId: "The result id." },
  requestBodies: () => ({
    CreateStudyInput: requestSchema(CreateStudyInput),
    UpdateStudyInput: requestSchema(UpdateStudyInput),
    CreateResultInput: requestSchema(CreateResultInput),
    UpdateResultInput: requestSchema(UpdateResultInput),
  }),
  responseSchemas: () => ({
    StudySummary: {
      type: "object",
      required: ["id", "title", "design", "registryId", "version", "updatedAt"],
      properties: {
        id: id(),
        title: { type: "string" },
        design: { type: ["string", "null"], enum: [...STUDY_DESIGNS, null] },
        registryId: nullableString,
        version: { type: "integer" },
        updatedAt: dateTime(),
      },
    },
    StudyList: listOf("StudySummary", "The workspace's studies, by title."),
    ResultList: listOf("Result", "Results in the order they were added."),
    Result: {
      type: "object",
      required: ["id", "studyId", "outcome", "intervention", "comparator", "subgroup", "data", "version"],
      properties: {
        id: id(),
        studyId: id(),
        studyTitle: { type: "string" },
        outcome: { type: "object", properties: { id: id(), name: { type: "string" }, kind: { type: "string", enum: [...OUTCOME_KINDS] } } },
        intervention: { $ref: "#/components/schemas/ResultArm" },
        comparator: { $ref: "#/components/schemas/ResultArm" },
        subgroup: { type: "string", description: "The subgroup as the study defined it; empty for the whole sample." },
        timepoint: { type: "string" },
        data: {
          description: "continuous: {intervention:{mean,sd,n}, comparator:{mean,sd,n}}; binary: {intervention:{events,n}, comparator:{events,n}}; estimate: {measure, estimate, ciLower, ciUpper} (ratios as ratios).",
          type: "object",
          required: ["type"],
          properties: { type: { type: "string", enum: ["continuous", "binary", "estimate"] } },
        },
        source: { type: "string" },
        notes: { type: "string" },
        version: { type: "integer" },
        createdAt: dateTime(),
        updatedAt: dateTime(),
      },
    },
    ResultArm: {
      type: "object",
      required: ["id", "name", "class", "dose"],
      properties: { id: id(), name: { type: "string" }, class: { type: "string", enum: [...ARM_CLASSES] }, dose: { type: "string" } },
    },
    Study: {
      type: "object",
      required: ["id", "title", "arms", "outcomes", "datasets", "version"],
      properties: {
        id: id(),
        title: { type: "string" },
        design: { type: ["string", "null"], enum: [...STUDY_DESIGNS, null] },
        registryId: nullableString,
        population: { type: "string" },
        protocolId: nullableString,
        panelId: nullableString,
        version: { type: "integer", description: "Send it back as baseVersion when editing." },
        arms: {
          type: "array",
          items: {
            type: "object",
            required: ["id", "name", "class", "dose"],
            properties: { id: id(), name: { type: "string" }, class: { type: "string", enum: [...ARM_CLASSES] }, dose: { type: "string" } },
          },
        },
        outcomes: {
          type: "array",
          items: {
            type: "object",
            required: ["id", "name", "kind", "timepoint"],
            properties: { id: id(), name: { type: "string" }, kind: { type: "string", enum: [...OUTCOME_KINDS] }, timepoint: { type: "string" } },
          },
        },
        datasets: {
          type: "array",
          description: "The newest version of each of the study's datasets.",
          items: {
            type: "object",
            required: ["id", "name", "version", "rowCount"],
            properties: { id: id(), name: { type: "string" }, version: { type: "integer" }, rowCount: { type: "integer" } },
          },
        },
        createdAt: dateTime(),
        updatedAt: dateTime(),
      },
    },
  }),
  paths: {
    "/api/v1/workspaces/{ws}/studies": {
      get: {
        operationId: "listStudies",
        query: PageQuery,
        summary: "List the workspace's studies",
        tag: "studies",
        success: { status: 200, description: "The studies.", schema: "StudyList" },
        errors: [404],
      },
      post: {
        operationId: "createStudy",
        summary: "Create a study (contributor or lead)",
        tag: "studies",
        body: "CreateStudyInput",
        success: { status: 201, description: "The new study.", schema: "Study" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/studies/{studyId}": {
      get: {
        operationId: "getStudy",
        summary: "A study with its arms, outcomes and datasets",
        tag: "studies",
        success: { status: 200, description: "The study.", schema: "Study" },
        errors: [404],
      },
      patch: {
        operationId: "updateStudy",
        summary: "Edit a study (contributor or lead)",
        description:
          "Send baseVersion (the version you edited). Arms and outcomes, when sent, are the whole new list: items with an id are updated, new ones added, missing ones removed (422 if a result still uses one). A stale baseVersion gets 409 with the current study.",
        tag: "studies",
        body: "UpdateStudyInput",
        success: { status: 200, description: "The study after the edit.", schema: "Study" },
        errors: [404, 409, 422],
      },
    },
    "/api/v1/workspaces/{ws}/results": {
      get: {
        operationId: "listResults",
        summary: "List results, optionally of one study",
        tag: "results",
        query: ResultsQuery,
        success: { status: 200, description: "A page of results (nextCursor is the next offset).", schema: "ResultList" },
        errors: [400, 404],
      },
      post: {
        operationId: "createResult",
        summary: "Add a result (contributor or lead)",
        tag: "results",
        body: "CreateResultInput",
        success: { status: 201, description: "The new result.", schema: "Result" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/results/{resultId}": {
      get: {
        operationId: "getResult",
        summary: "A result",
        tag: "results",
        success: { status: 200, description: "The result.", schema: "Result" },
        errors: [404],
      },
      patch: {
        operationId: "updateResult",
        summary: "Edit a result (contributor or lead)",
        description: "Send baseVersion; a stale one gets 409 with the current result.",
        tag: "results",
        body: "UpdateResultInput",
        success: { status: 200, description: "The result after the edit.", schema: "Result" },
        errors: [404, 409],
      },
    },
  },
};
