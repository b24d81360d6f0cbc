/** Datasets: upload (CSV/XLSX), read, rows, per-column summary and CSV export. */
import { z } from "zod";
import { COLUMN_ROLES, DATASET_KINDS } from "#app/domain/datasets.ts";
import { XLSX_TYPE } from "#app/domain/dataset-files.ts";
import { REPEAT_RULES } from "#app/domain/clinical-records.ts";
import { DatasetJson, DatasetProposalJson, DatasetRowsJson, DatasetRowsQuery, DatasetSummaryJson } from "#app/schemas/datasets.ts";
import { type ApiArea, attachment, fileField, json, media } from "#app/http/openapi/contract.ts";

const mappingDescription =
  'Column mapping as JSON, e.g. {"CRP_mgdl": {"biomarker": "hs_crp", "unit": "mg/dL"}, "id": {"role": "participant_id"}, "arm": {"role": "arm"}}. ' +
  `Roles: ${COLUMN_ROLES.join(", ")}. The visit column takes labels for its values: ` +
  '{"visit": {"role": "visit", "visits": {"baseline_arm_1": "baseline", "week_12_arm_1": "week 12"}}}; with a visit column a participant ' +
  "has one row per visit (and repeat instance).";

/** What an upload may name besides the file, as form fields or query parameters. */
const uploadFields = {
  name: z.string().optional().describe("The dataset's name; re-uploading under the same name adds a version. Default: the file name."),
  kind: z.enum(DATASET_KINDS).default("participant"),
  mapping: z.string().optional().describe(mappingDescription),
  format: z
    .enum(["table", "redcap", "odm"])
    .optional()
    .describe(
      "redcap: a REDCap records export (raw CSV; also recognised by a header starting record_id with REDCap's columns); odm: CDISC ODM " +
        "ClinicalData (XML, recognised by its type). Default: a plain table.",
    ),
  repeats: z
    .enum(REPEAT_RULES)
    .default("rows")
    .describe(
      "Repeating instruments (REDCap) or repeated forms (ODM): kept as rows with an instance column, or reduced to the first, last or mean.",
    ),
  uploadId: z
    .string()
    .optional()
    .describe(
      "An id of the client's choosing (8–64 letters, digits, - or _): while the server reads, checks and saves the file, the uploader's " +
        "live connection receives `dataset:import-progress` messages carrying it, with the rows read, checked and written.",
    ),
};

export const datasetsArea: ApiArea = {
  tags: [{ name: "datasets", description: "Participant- or summary-level tables of a study, harmonised to its biomarker panel" }],
  pathParameters: { datasetId: "The dataset id (one version of a dataset)." },
  paths: {
    "/api/v1/workspaces/{ws}/studies/{studyId}/datasets": {
      post: {
        operationId: "uploadDataset",
        summary: "Upload a dataset to a study (contributor or lead)",
        description:
          "CSV (UTF-8, comma-separated, dot decimals) or XLSX, at most 10 MB, as the multipart field `file` or as the raw body; or a REDCap " +
          "records export with its data dictionary (field `dictionary`) or read with the study's panel, or CDISC ODM ClinicalData as XML " +
          "(a DOCTYPE or ENTITY is refused before parsing). Records become rows with participant, visit and instance columns (decision 030). " +
          "`name`, `kind` and `mapping` come as form fields or query parameters. With `?dryRun=1` nothing is saved and the answer " +
          "is the proposed column matching (200). A file that cannot be imported is refused as a whole with a message naming the row and column.",
        tag: "datasets",
        query: z.object({ dryRun: z.enum(["1", "0", "true", "false"]).optional(), ...uploadFields }),
        body: {
          media: {
            "multipart/form-data": z.object({
              file: fileField,
              dictionary: fileField
                .optional()
                .describe("The REDCap data dictionary of a records export; without it, the study's panel is read."),
              ...uploadFields,
            }),
            "application/xml": fileField,
            "text/csv": z.string(),
            [XLSX_TYPE]: fileField,
          },
        },
        responses: {
          200: json("A dry run: the proposed column matching, and the problem an import would meet.", DatasetProposalJson),
          201: json("The imported dataset.", DatasetJson),
        },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/datasets/{datasetId}": {
      get: {
        operationId: "getDataset",
        summary: "One dataset version: columns with units and conversions, warnings",
        tag: "datasets",
        responses: { 200: json("The dataset.", DatasetJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/datasets/{datasetId}/rows": {
      get: {
        operationId: "listDatasetRows",
        summary: "The dataset's harmonised rows, a page at a time",
        tag: "datasets",
        query: DatasetRowsQuery,
        responses: { 200: json("A page of rows.", DatasetRowsJson) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/datasets/{datasetId}/summary": {
      get: {
        operationId: "getDatasetSummary",
        summary: "Per-column summary: n, missing, mean, SD, min, max, histogram",
        tag: "datasets",
        responses: { 200: json("The summary.", DatasetSummaryJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/datasets/{datasetId}/export.csv": {
      get: {
        operationId: "exportDatasetCsv",
        summary: "The harmonised dataset as CSV (cells guarded against formula injection)",
        tag: "datasets",
        responses: {
          200: media("CSV, biomarker columns headed by code and unit.", "text/csv", { headers: attachment("<dataset>-v<version>.csv") }),
        },
        errors: [404],
      },
    },
  },
};
