/** Datasets: upload (CSV/XLSX), read, rows, per-column summary and CSV export. */
import { COLUMN_ROLES, DATASET_KINDS } from "#app/domain/datasets.ts";
import { DatasetRowsQuery } from "#app/schemas/datasets.ts";
import { XLSX_TYPE } from "#app/domain/dataset-files.ts";
import { type ApiSection, dateTime, id, ref } from "#app/http/openapi/builder.ts";
import { z } from "zod";

const nullable = (type: string, description?: string) => ({ type: [type, "null"], ...(description ? { description } : {}) });

const column = {
  type: "object",
  required: ["name", "role", "biomarker", "unit", "convertedFrom", "valueType", "flaggedCount"],
  properties: {
    name: { type: "string", description: "The column's name in the uploaded file." },
    role: { type: "string", enum: COLUMN_ROLES.filter((r) => r !== "ignore") },
    biomarker: nullable("string", "The panel biomarker's code, when the column was matched to one."),
    unit: nullable("string", "The unit of the stored values (the panel's unit for a biomarker)."),
    convertedFrom: nullable("string", "The file's unit, when values were converted from it (e.g. mg/dL)."),
    factor: nullable("number"),
    conversion: nullable("string", "The conversion in words."),
    valueType: { type: "string", enum: ["numeric", "text"] },
    plausibleMin: nullable("number"),
    plausibleMax: nullable("number"),
    flaggedCount: { type: "integer", description: "Values outside the plausible range (kept, flagged)." },
  },
};

const warning = {
  type: "object",
  required: ["message"],
  properties: { message: { type: "string" }, column: { type: "string" }, rows: { type: "array", items: { type: "integer" } } },
};

const mappingDescription =
  'Column mapping as JSON, e.g. {"CRP_mgdl": {"biomarker": "hs_crp", "unit": "mg/dL"}, "id": {"role": "participant_id"}, "arm": {"role": "arm"}}. ' +
  `Roles: ${COLUMN_ROLES.join(", ")}.`;

const uploadFields = {
  name: { type: "string", description: "The dataset's name; re-uploading under the same name adds a version. Default: the file name." },
  kind: { type: "string", enum: [...DATASET_KINDS], default: "participant" },
  mapping: { type: "string", description: mappingDescription },
};

export const datasetsSection: ApiSection = {
  tags: [{ name: "datasets", description: "Participant- or summary-level tables of a study, harmonised to its biomarker panel" }],
  pathParameters: { datasetId: "The dataset id (one version of a dataset)." },
  responseSchemas: () => ({
    DatasetColumn: column,
    Dataset: {
      type: "object",
      required: ["id", "studyId", "name", "kind", "version", "rowCount", "columns", "warnings", "createdAt", "uploadedBy"],
      properties: {
        id: id(),
        studyId: id(),
        name: { type: "string" },
        kind: { type: "string", enum: [...DATASET_KINDS] },
        version: { type: "integer" },
        rowCount: { type: "integer" },
        columns: { type: "array", items: ref("DatasetColumn") },
        warnings: { type: "array", items: warning },
        source: {
          type: "object",
          properties: { fileName: { type: "string" }, format: { type: "string", enum: ["csv", "xlsx"] }, bytes: { type: "integer" }, sha256: { type: "string" } },
        },
        uploadedBy: id("The uploader's user id."),
        createdAt: dateTime(),
      },
    },
    DatasetProposal: {
      type: "object",
      description: "A dry run: the proposed column matching, and the problem an import would meet (null if none).",
      required: ["dryRun", "rowCount", "columns", "warnings", "problem"],
      properties: {
        dryRun: { const: true },
        fileName: { type: "string" },
        format: { type: "string", enum: ["csv", "xlsx"] },
        kind: { type: "string", enum: [...DATASET_KINDS] },
        rowCount: { type: "integer" },
        columns: { type: "array", items: ref("DatasetColumn") },
        warnings: { type: "array", items: warning },
        problem: { type: ["object", "null"], properties: { status: { type: "integer" }, message: { type: "string" }, details: { type: "array" } } },
      },
    },
    DatasetRows: {
      type: "object",
      required: ["items", "nextCursor", "total", "offset"],
      properties: {
        items: {
          type: "array",
          items: {
            type: "object",
            required: ["rowIndex", "participantId", "arm", "values"],
            properties: {
              rowIndex: { type: "integer" },
              participantId: nullable("string"),
              arm: nullable("string"),
              values: { type: "array", description: "Aligned with the dataset's columns.", items: { type: ["number", "string", "null"] } },
            },
          },
        },
        total: { type: "integer" },
        offset: { type: "integer" },
        nextCursor: nullable("string", "The offset of the next page; null on the last page."),
      },
    },
    DatasetSummary: {
      type: "object",
      required: ["datasetId", "rowCount", "columns"],
      properties: {
        datasetId: id(),
        rowCount: { type: "integer" },
        columns: {
          type: "array",
          items: {
            type: "object",
            description: "numeric: n, missing, mean, sd, min, max, histogram {min, max, counts}; text: n, missing, distinct, top.",
            required: ["column", "valueType", "n", "missing"],
            additionalProperties: true,
          },
        },
      },
    },
  }),
  paths: {
    "/api/v1/workspaces/{ws}/studies/{studyId}/datasets": {
      post: {
        operationId: "uploadDataset",
        summary: "Upload a dataset to a study (contributor or lead)",
        description:
          "CSV (UTF-8, comma-separated, dot decimals) or XLSX, at most 10 MB, as the multipart field `file` or as the raw body. " +
          "`name`, `kind` and `mapping` come as form fields or query parameters. With `?dryRun=1` nothing is saved and the answer " +
          "is the proposed column matching (200). A file that cannot be imported is refused as a whole with a message naming the row and column.",
        tag: "datasets",
        bodyContent: {
          "multipart/form-data": {
            schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary" }, ...uploadFields } },
          },
          "text/csv": { schema: { type: "string" } },
          [XLSX_TYPE]: { schema: { type: "string", format: "binary" } },
        },
        query: z.object({ dryRun: z.enum(["1", "0", "true", "false"]).optional(), name: z.string().optional(), kind: z.enum(DATASET_KINDS).optional(), mapping: z.string().optional() }),
        success: { status: 201, description: "The imported dataset (200 with a DatasetProposal for a dry run).", schema: "Dataset" },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/datasets/{datasetId}": {
      get: {
        operationId: "getDataset",
        summary: "One dataset version: columns with units and conversions, warnings",
        tag: "datasets",
        success: { status: 200, description: "The dataset.", schema: "Dataset" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/datasets/{datasetId}/rows": {
      get: {
        operationId: "listDatasetRows",
        summary: "The dataset's harmonised rows, a page at a time",
        tag: "datasets",
        query: DatasetRowsQuery,
        success: { status: 200, description: "A page of rows.", schema: "DatasetRows" },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/datasets/{datasetId}/summary": {
      get: {
        operationId: "getDatasetSummary",
        summary: "Per-column summary: n, missing, mean, SD, min, max, histogram",
        tag: "datasets",
        success: { status: 200, description: "The summary.", schema: "DatasetSummary" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/datasets/{datasetId}/export.csv": {
      get: {
        operationId: "exportDatasetCsv",
        summary: "The harmonised dataset as CSV (cells guarded against formula injection)",
        tag: "datasets",
        success: { status: 200, description: "CSV, biomarker columns headed by code and unit.", content: { "text/csv": { schema: { type: "string" } } } },
        errors: [404],
      },
    },
  },
};
