/** Biomarker panels: the data dictionary, its biomarkers, versions and CSV form. */
import { z } from "zod";
import { VALUE_TYPES } from "#app/domain/panels.ts";
import { DICTIONARY_COLUMNS, DICTIONARY_MAX_BYTES } from "#app/domain/dictionary-columns.ts";
import {
  AddBiomarkerInput,
  BaseVersion,
  CreatePanelInput,
  ImportDictionaryQuery,
  PanelVersionsQuery,
  UpdateBiomarkerInput,
  UpdatePanelInput,
} from "#app/schemas/panels.ts";
import { type ApiSection, dateTime, id, type JsonSchema, listOf, ref, requestSchema } from "#app/http/openapi/builder.ts";

const nullableString = { type: ["string", "null"] };
const nullableNumber = { type: ["number", "null"] };

const COLUMNS_TABLE = [
  "| column | required | holds | example |",
  "| --- | --- | --- | --- |",
  ...DICTIONARY_COLUMNS.map((c) => `| \`${c.name}\` | ${c.required ? "yes" : "no"} | ${c.description} | \`${c.example}\` |`),
].join("\n");

const DICTIONARY_FORMAT = [
  "A data dictionary is a UTF-8 CSV file with a header row and one row per biomarker. Columns (any order, header case ignored; only `code` and `label` are required):",
  COLUMNS_TABLE,
  "Rows are numbered as a spreadsheet shows them: the header is row 1. Cells we export that a spreadsheet would run as a formula are prefixed with `'`; the import takes that quote off again.",
].join("\n\n");

/** Only the fields a client must send are required; the rest have defaults (JSON Schema cannot see zod's preprocessing). */
function withRequired(schema: JsonSchema, required: string[]): JsonSchema {
  return { ...schema, required };
}

const biomarkerProperties = {
  id: id(),
  code: { type: "string", description: "Unique in the panel: lower-case letters, digits and _ (1–40)." },
  label: { type: "string" },
  loinc: nullableString,
  specimen: nullableString,
  unit: { type: "string", description: "UCUM unit as UCUM spells it; empty for unitless values." },
  unitName: { type: "string", description: "UCUM's name of the unit (“milligram per liter”)." },
  valueType: { type: "string", enum: [...VALUE_TYPES] },
  plausibleMin: nullableNumber,
  plausibleMax: nullableNumber,
  cutoffs: {
    type: "array",
    description: "Named cut-offs in the biomarker's unit.",
    items: {
      type: "object",
      required: ["label", "operator", "value"],
      properties: { label: { type: "string" }, operator: { type: "string", enum: ["<", "<=", ">", ">="] }, value: { type: "number" } },
    },
  },
  molarMass: { ...nullableNumber, description: "g/mol, for mass ↔ molar conversion." },
  unitConventions: {
    type: "array",
    description: "Conversions UCUM cannot do: value in the biomarker's unit = value in `unit` × `factor`.",
    items: {
      type: "object",
      required: ["unit", "factor", "note"],
      properties: { unit: { type: "string" }, factor: { type: "number" }, note: { type: "string" } },
    },
  },
  aliases: { type: "array", items: { type: "string" } },
  description: { type: "string" },
  position: { type: "integer", description: "Order in the panel, from 0." },
};
const BIOMARKER_REQUIRED = Object.keys(biomarkerProperties);

const versionEntryProperties = {
  version: { type: "integer" },
  note: { ...nullableString, description: "What changed, in a few words." },
  author: { type: "object", required: ["id", "name"], properties: { id: id(), name: { type: "string" } } },
  createdAt: dateTime(),
};

export const panelsSection: ApiSection = {
  tags: [{ name: "panels", description: "Biomarker panels: the consortium's data dictionary, versioned" }],
  pathParameters: {
    panelId: "The biomarker panel id.",
    biomarkerId: "The biomarker id (stable while its code stays the same).",
    version: "A version number (1, 2, …).",
  },
  requestBodies: () => ({
    CreatePanelInput: requestSchema(CreatePanelInput),
    UpdatePanelInput: requestSchema(UpdatePanelInput),
    AddBiomarkerInput: withRequired(requestSchema(AddBiomarkerInput), ["code", "label", "baseVersion"]),
    UpdateBiomarkerInput: withRequired(requestSchema(UpdateBiomarkerInput), ["baseVersion"]),
  }),
  responseSchemas: () => ({
    Biomarker: { type: "object", required: BIOMARKER_REQUIRED, properties: biomarkerProperties },
    BiomarkerChange: {
      type: "object",
      description: "The biomarker as saved, and the panel version the change made (send it as the next baseVersion).",
      required: [...BIOMARKER_REQUIRED, "panelVersion"],
      properties: { ...biomarkerProperties, panelVersion: { type: "integer" } },
    },
    PanelSummary: {
      type: "object",
      required: ["id", "name", "description", "version", "biomarkerCount", "updatedAt"],
      properties: {
        id: id(),
        name: { type: "string" },
        description: { type: "string" },
        version: { type: "integer" },
        biomarkerCount: { type: "integer" },
        updatedAt: dateTime(),
      },
    },
    PanelList: listOf("PanelSummary", "The workspace's panels, by name."),
    Panel: {
      type: "object",
      required: ["id", "name", "description", "version", "createdBy", "createdAt", "updatedAt", "biomarkers"],
      properties: {
        id: id(),
        name: { type: "string" },
        description: { type: "string" },
        version: { type: "integer", description: "Send it back as baseVersion when editing; a stale one answers 409." },
        createdBy: id("The user who created the panel."),
        createdAt: dateTime(),
        updatedAt: dateTime(),
        biomarkers: { type: "array", items: ref("Biomarker") },
      },
    },
    PanelVersionEntry: { type: "object", required: Object.keys(versionEntryProperties), properties: versionEntryProperties },
    PanelVersionList: listOf("PanelVersionEntry", "The panel's versions, newest first."),
    PanelVersion: {
      type: "object",
      description: "The panel as it was at one version.",
      required: [...Object.keys(versionEntryProperties), "panelId", "name", "description", "biomarkers"],
      properties: {
        ...versionEntryProperties,
        panelId: id(),
        name: { type: "string" },
        description: { type: "string" },
        biomarkers: { type: "array", items: ref("Biomarker") },
      },
    },
    DictionaryImport: {
      type: "object",
      required: ["mode", "changed", "added", "updated", "removed", "unchanged", "panel"],
      properties: {
        mode: { type: "string", enum: ["replace", "merge"] },
        changed: { type: "boolean", description: "False when the file matched the panel already; no version was made." },
        added: { type: "array", items: { type: "string" }, description: "Codes added." },
        updated: { type: "array", items: { type: "string" }, description: "Codes whose definition changed." },
        removed: { type: "array", items: { type: "string" }, description: "Codes removed (replace mode)." },
        unchanged: { type: "integer" },
        panel: ref("Panel"),
      },
    },
  }),
  paths: {
    "/api/v1/workspaces/{ws}/panels": {
      get: {
        operationId: "listPanels",
        summary: "List the workspace's biomarker panels",
        tag: "panels",
        success: { status: 200, description: "The panels.", schema: "PanelList" },
        errors: [404],
      },
      post: {
        operationId: "createPanel",
        summary: "Create a panel, empty or from the default immuno-metabolic panel (contributor or lead)",
        tag: "panels",
        body: "CreatePanelInput",
        success: { status: 201, description: "The new panel, at version 1.", schema: "Panel" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}": {
      get: {
        operationId: "getPanel",
        summary: "A panel with its biomarkers",
        tag: "panels",
        success: { status: 200, description: "The panel.", schema: "Panel" },
        errors: [404],
      },
      patch: {
        operationId: "updatePanel",
        summary: "Rename a panel or change its description (contributor or lead)",
        description: "409 when baseVersion is not the current version; `details[0].currentVersion` and `details[0].current` give the panel as it is.",
        tag: "panels",
        body: "UpdatePanelInput",
        success: { status: 200, description: "The panel as changed (a new version when anything changed).", schema: "Panel" },
        errors: [404, 409],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/biomarkers": {
      post: {
        operationId: "addBiomarker",
        summary: "Add a biomarker (contributor or lead)",
        description:
          "The unit is checked with UCUM and stored as UCUM spells it (µIU/mL → u[IU]/mL); a unit UCUM does not know answers 400 with `details[].field` = `unit` and UCUM's suggestion in the message. 409 when baseVersion is stale.",
        tag: "panels",
        body: "AddBiomarkerInput",
        success: { status: 201, description: "The biomarker, with the panel's new version.", schema: "BiomarkerChange" },
        errors: [404, 409],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/biomarkers/{biomarkerId}": {
      patch: {
        operationId: "updateBiomarker",
        summary: "Edit a biomarker (contributor or lead)",
        description: "Fields not sent keep their value; the result is checked as a whole biomarker. 409 when baseVersion is stale.",
        tag: "panels",
        body: "UpdateBiomarkerInput",
        success: { status: 200, description: "The biomarker as changed, with the panel's version.", schema: "BiomarkerChange" },
        errors: [404, 409],
      },
      delete: {
        operationId: "removeBiomarker",
        summary: "Remove a biomarker (contributor or lead)",
        description: "The base version comes as `?baseVersion=` (or a JSON body `{baseVersion}`). 409 when it is stale.",
        tag: "panels",
        query: z.object({ baseVersion: BaseVersion }),
        success: { status: 204, description: "Removed; the panel has a new version." },
        errors: [400, 404, 409, 415],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/versions": {
      get: {
        operationId: "listPanelVersions",
        summary: "The panel's version history, newest first",
        tag: "panels",
        query: PanelVersionsQuery,
        success: { status: 200, description: "One entry per version.", schema: "PanelVersionList" },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/versions/{version}": {
      get: {
        operationId: "getPanelVersion",
        summary: "The panel as it was at one version",
        tag: "panels",
        success: { status: 200, description: "The snapshot.", schema: "PanelVersion" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/dictionary.csv": {
      get: {
        operationId: "exportPanelDictionary",
        summary: "The panel's data dictionary as CSV",
        description: DICTIONARY_FORMAT,
        tag: "panels",
        success: {
          status: 200,
          description: "The CSV file, one row per biomarker.",
          content: { "text/csv": { schema: { type: "string" } } },
          headers: { "Content-Disposition": { description: "attachment; the file name names the panel and its version.", schema: { type: "string" } } },
        },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/dictionary": {
      post: {
        operationId: "importPanelDictionary",
        summary: "Import a data dictionary CSV into the panel (contributor or lead)",
        description: [
          `Send the file as the raw body (Content-Type: text/csv) or as the multipart field \`file\`; at most ${DICTIONARY_MAX_BYTES / 1024} KiB (413), CSV only (415).`,
          "All or nothing: a file with any problem answers 400 with one `details` entry per problem, each with `row`, `column` and `message` (“row 4, column unit: “mg/dl/x” is not a UCUM unit”), and the panel is unchanged.",
          "`mode=replace` (default): the file becomes the panel's whole list, in the file's order. `mode=merge`: rows update the biomarkers with the same code and add new ones; others stay. A biomarker keeps its id while its code stays the same.",
          "409 when baseVersion is stale. A file that matches the panel already makes no new version (`changed: false`).",
          DICTIONARY_FORMAT,
        ].join("\n\n"),
        tag: "panels",
        query: ImportDictionaryQuery,
        bodyContent: {
          "text/csv": { schema: { type: "string" } },
          "multipart/form-data": {
            schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary" } } },
          },
        },
        success: { status: 200, description: "What the import changed, and the panel as it now is.", schema: "DictionaryImport" },
        errors: [404, 409],
      },
    },
  },
};
