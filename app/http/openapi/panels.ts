/** Biomarker panels (creation only, so far). */
import { CreatePanelInput } from "#app/schemas/panels.ts";
import { type ApiSection, dateTime, id, requestSchema } from "#app/http/openapi/builder.ts";

export const panelsSection: ApiSection = {
  tags: [{ name: "panels", description: "Biomarker panels: the workspace's data dictionary" }],
  requestBodies: () => ({ CreatePanelInput: requestSchema(CreatePanelInput) }),
  responseSchemas: () => ({
    Panel: {
      type: "object",
      required: ["id", "name", "version", "biomarkers"],
      properties: {
        id: id(),
        name: { type: "string" },
        description: { type: "string" },
        version: { type: "integer" },
        biomarkers: {
          type: "array",
          items: { type: "object", properties: { code: { type: "string" }, label: { type: "string" }, unit: { type: "string" } } },
        },
        createdAt: dateTime(),
      },
    },
  }),
  paths: {
    "/api/v1/workspaces/{ws}/panels": {
      post: {
        operationId: "createPanel",
        summary: "Create a biomarker panel (contributor or lead), optionally from the default panel",
        tag: "panels",
        body: "CreatePanelInput",
        success: { status: 201, description: "The new panel.", schema: "Panel" },
        errors: [404],
      },
    },
  },
};
