/** Studies with their arms and outcome measures. */
import { ARM_CLASSES, OUTCOME_KINDS, STUDY_DESIGNS } from "#db/schema/studies.ts";
import { CreateStudyInput } from "#app/schemas/studies.ts";
import { type ApiSection, dateTime, id, listOf, requestSchema } from "#app/http/openapi/builder.ts";

const nullableString = { type: ["string", "null"] };

export const studiesSection: ApiSection = {
  tags: [{ name: "studies", description: "Studies, their arms, outcome measures and datasets" }],
  pathParameters: { studyId: "The study id." },
  requestBodies: () => ({ CreateStudyInput: requestSchema(CreateStudyInput) }),
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
    },
  },
};
