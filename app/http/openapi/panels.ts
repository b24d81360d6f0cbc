/** Biomarker panels: the data dictionary, its biomarkers, versions and CSV form. */
import { z } from "zod";
import { DICTIONARY_COLUMNS, DICTIONARY_MAX_BYTES } from "#app/domain/dictionary-columns.ts";
import {
  AddBiomarkerInput,
  BaseVersion,
  BiomarkerChangeJson,
  CreatePanelInput,
  DictionaryImportJson,
  ImportDictionaryQuery,
  PanelConflictJson,
  PanelJson,
  PanelListJson,
  PanelVersionJson,
  PanelVersionListJson,
  PanelVersionsQuery,
  UpdateBiomarkerInput,
  UpdatePanelInput,
} from "#app/schemas/panels.ts";
import { PANEL_IMPORT_MAX_BYTES } from "#app/domain/panel-proposal.ts";
import { REDCAP_COLUMNS } from "#app/domain/redcap-dictionary.ts";
import { ImportPanelOptions, PanelImportJson, PanelImportProposalJson } from "#app/schemas/panel-import.ts";
import { type ApiArea, attachment, fileField, json, media, noContent } from "#app/http/openapi/contract.ts";

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

/** Every panel edit is refused the same way when its baseVersion is stale. */
const staleBase = json("baseVersion is not the panel's current version; nothing was saved.", PanelConflictJson);

export const panelsArea: ApiArea = {
  tags: [{ name: "panels", description: "Biomarker panels: the consortium's data dictionary, versioned" }],
  pathParameters: {
    panelId: "The biomarker panel id.",
    biomarkerId: "The biomarker id (stable while its code stays the same).",
    version: "A version number (1, 2, …).",
  },
  paths: {
    "/api/v1/workspaces/{ws}/panels": {
      get: {
        operationId: "listPanels",
        summary: "List the workspace's biomarker panels",
        tag: "panels",
        responses: { 200: json("The panels.", PanelListJson) },
        errors: [404],
      },
      post: {
        operationId: "createPanel",
        summary: "Create a panel, empty or from the default immuno-metabolic panel (contributor or lead)",
        tag: "panels",
        body: CreatePanelInput,
        responses: { 201: json("The new panel, at version 1.", PanelJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/panels/import": {
      post: {
        operationId: "importPanel",
        summary: "A new panel from a REDCap data dictionary CSV or CDISC ODM 1.3 XML (contributor or lead)",
        description: [
          `The file as the multipart field \`file\` or the raw body (text/csv, application/xml); at most ${PANEL_IMPORT_MAX_BYTES / 1024 / 1024} MiB (413).`,
          `REDCap: the data dictionary export (${REDCAP_COLUMNS.slice(0, 5).join(", ")}, …), comma- or semicolon-separated, with or without a byte-order mark. Numeric fields (text validated as number/integer/number_Ndp…, calc, slider) become biomarkers, with the unit read from the label's trailing brackets or the field note and checked with UCUM, and validation min/max as the plausible range; radio, dropdown, checkbox, yesno and truefalse fields become categories with their choices. The first field (the record id), descriptive, date, free-text, file, SQL and identifier fields are skipped, each with its reason.`,
          "ODM: ItemDefs with DataType integer/float become biomarkers (MeasurementUnitRef as the unit, RangeChecks as the range, an Alias of Context LOINC as the LOINC code); ItemDefs with a CodeListRef become categories. A file that declares a DOCTYPE or entities is refused (400).",
          "`?dryRun=1` answers 200 with the proposal — every field with what it would become, every skipped field with its reason, and the workspace's biomarkers a field can be mapped to — and saves nothing. Otherwise 201 with the new panel and the same lists. `mapping` (JSON) chooses per field: `new`, `skip`, or an existing biomarker's id. A file that is not a dictionary at all answers 400 naming the row; a mapping that cannot apply answers 400 naming the field; a file with no importable field answers 422.",
        ].join("\n\n"),
        tag: "panels",
        query: ImportPanelOptions,
        body: {
          media: {
            "multipart/form-data": z.object({ file: fileField, name: z.string().optional(), mapping: z.string().optional() }),
            "text/csv": z.string(),
            "application/xml": z.string(),
          },
        },
        responses: {
          200: json("A dry run: the proposal; nothing was saved.", PanelImportProposalJson),
          201: json("The new panel, with the fields imported and those skipped.", PanelImportJson),
        },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/redcap-dictionary.csv": {
      get: {
        operationId: "exportPanelRedcapDictionary",
        summary: "The panel as a REDCap data dictionary (to build a REDCap project that collects it)",
        description:
          "REDCap's 18 columns; a record_id field first; numeric biomarkers as text fields validated as number or integer with the unit in the label and field note and the plausible range as validation min/max; categories with their choices as dropdowns; the LOINC code in the field annotation. Importing it through `panels/import` gives back the same codes, labels, units, value types, ranges, LOINC codes and choices.",
        tag: "panels",
        responses: {
          200: media("The CSV file.", "text/csv", { headers: attachment("<panel>-v<version>-redcap-dictionary.csv") }),
        },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}": {
      get: {
        operationId: "getPanel",
        summary: "A panel with its biomarkers",
        tag: "panels",
        responses: { 200: json("The panel.", PanelJson) },
        errors: [404],
      },
      patch: {
        operationId: "updatePanel",
        summary: "Rename a panel or change its description (contributor or lead)",
        description:
          "409 when baseVersion is not the current version; `details[0].currentVersion` and `details[0].current` give the panel as it is.",
        tag: "panels",
        body: UpdatePanelInput,
        responses: { 200: json("The panel as changed (a new version when anything changed).", PanelJson), 409: staleBase },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/biomarkers": {
      post: {
        operationId: "addBiomarker",
        summary: "Add a biomarker (contributor or lead)",
        description:
          "The unit is checked with UCUM and stored as UCUM spells it (µIU/mL → u[IU]/mL); a unit UCUM does not know answers 400 with `details[].field` = `unit` and UCUM's suggestion in the message. 409 when baseVersion is stale.",
        tag: "panels",
        body: AddBiomarkerInput,
        // A POST's 409 may also be its Idempotency-Key's, so it is the shared Conflict (the generator adds it).
        responses: { 201: json("The biomarker, with the panel's new version.", BiomarkerChangeJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/biomarkers/{biomarkerId}": {
      patch: {
        operationId: "updateBiomarker",
        summary: "Edit a biomarker (contributor or lead)",
        description: "Fields not sent keep their value; the result is checked as a whole biomarker. 409 when baseVersion is stale.",
        tag: "panels",
        body: UpdateBiomarkerInput,
        responses: { 200: json("The biomarker as changed, with the panel's version.", BiomarkerChangeJson), 409: staleBase },
        errors: [404],
      },
      delete: {
        operationId: "removeBiomarker",
        summary: "Remove a biomarker (contributor or lead)",
        description: "The base version comes as `?baseVersion=` (or a JSON body `{baseVersion}`). 409 when it is stale.",
        tag: "panels",
        query: z.object({ baseVersion: BaseVersion }),
        responses: { 204: noContent("Removed; the panel has a new version."), 409: staleBase },
        errors: [400, 404, 415],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/versions": {
      get: {
        operationId: "listPanelVersions",
        summary: "The panel's version history, newest first",
        tag: "panels",
        query: PanelVersionsQuery,
        responses: { 200: json("One entry per version.", PanelVersionListJson) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/versions/{version}": {
      get: {
        operationId: "getPanelVersion",
        summary: "The panel as it was at one version",
        tag: "panels",
        responses: { 200: json("The snapshot.", PanelVersionJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/dictionary.csv": {
      get: {
        operationId: "exportPanelDictionary",
        summary: "The panel's data dictionary as CSV",
        description: DICTIONARY_FORMAT,
        tag: "panels",
        responses: {
          200: media("The CSV file, one row per biomarker.", "text/csv", { headers: attachment("<panel>-v<version>-dictionary.csv") }),
        },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/panels/{panelId}/dictionary": {
      post: {
        operationId: "importPanelDictionary",
        summary: "Import a data dictionary CSV into the panel (contributor or lead)",
        description: [
          `Send the file as the raw body (Content-Type: text/csv) or as the multipart field \`file\`; at most ${
            DICTIONARY_MAX_BYTES / 1024
          } KiB (413), CSV only (415).`,
          "All or nothing: a file with any problem answers 400 with one `details` entry per problem, each with `row`, `column` and `message` (“row 4, column unit: “mg/dl/x” is not a UCUM unit”), and the panel is unchanged.",
          "`mode=replace` (default): the file becomes the panel's whole list, in the file's order. `mode=merge`: rows update the biomarkers with the same code and add new ones; others stay. A biomarker keeps its id while its code stays the same.",
          "409 when baseVersion is stale. A file that matches the panel already makes no new version (`changed: false`).",
          DICTIONARY_FORMAT,
        ].join("\n\n"),
        tag: "panels",
        query: ImportDictionaryQuery,
        body: {
          media: {
            "text/csv": z.string(),
            "multipart/form-data": z.object({ file: fileField }),
          },
        },
        responses: { 200: json("What the import changed, and the panel as it now is.", DictionaryImportJson) },
        errors: [404],
      },
    },
  },
};
