/** Datasets: input rules for uploads and reads, and the API's answers. */
import { z } from "zod";
import { isPrototypeKey } from "#app/domain/object-keys.ts";
import { REPEAT_RULES } from "#app/domain/clinical-records.ts";
import { COLUMN_ROLES, DATASET_KINDS, SOURCE_FORMATS } from "#app/domain/datasets.ts";
import { UPLOAD_ID } from "#app/domain/dataset-import-progress.ts";
import { responseShape } from "./components.ts";
import { Count, Id, IsoTime } from "./json.ts";

export const ColumnMappingEntryInput = z
  .object({
    role: z.enum(COLUMN_ROLES, { error: `A column's role is one of: ${COLUMN_ROLES.join(", ")}.` }).optional(),
    biomarker: z.string().trim().min(1).max(64).optional(),
    unit: z.string().trim().max(64).optional(),
    visits: z
      .record(
        z.string().max(200),
        z.string().trim().min(1, "A visit label cannot be empty.").max(64, "A visit label has at most 64 characters."),
        {
          error: 'A visit column\'s labels are a JSON object: {"baseline_arm_1": "baseline", "week_12_arm_1": "week 12"}.',
        },
      )
      .optional()
      .describe("For the visit column: the label of each value in the file (a REDCap event name → baseline, week 12, …)."),
  })
  .strict();

const MappingRecord = z.record(z.string().max(500), ColumnMappingEntryInput, {
  error: 'The mapping is a JSON object: {"column name": {"biomarker": "hs_crp", "unit": "mg/dL"}, "id": {"role": "participant_id"}}.',
});

/**
 * `mapping` arrives as JSON text in a form field or the query string, or as an object.
 * Its keys are column names chosen by the sender; one that would reach a prototype
 * (`__proto__`, `constructor`, `prototype`) is refused rather than silently dropped.
 */
export const ColumnMappingInput = z.preprocess(
  (value) => {
    if (typeof value !== "string") return value;
    if (value.trim() === "") return {};
    try {
      return JSON.parse(value);
    } catch {
      return value; // the object check below then explains what is wrong
    }
  },
  z
    .unknown()
    .superRefine((value, ctx) => {
      if (!value || typeof value !== "object") return;
      for (const name of Object.keys(value).filter(isPrototypeKey)) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `“${name}” cannot be a column name in a mapping: rename the column in the file.`,
        });
      }
      // A visit column's labels are keyed by values from the file: checked here, before the record parse would drop such a key.
      for (const [name, entry] of Object.entries(value)) {
        const visits = entry && typeof entry === "object" ? (entry as { visits?: unknown }).visits : undefined;
        if (!visits || typeof visits !== "object") continue;
        for (const key of Object.keys(visits).filter(isPrototypeKey)) {
          ctx.addIssue({ code: "custom", path: [name, "visits", key], message: `“${key}” cannot be a visit in a mapping.` });
        }
      }
    })
    .pipe(MappingRecord),
);

export const UploadDatasetInput = z.object({
  name: z
    .string()
    .trim()
    .max(200, "A dataset name has at most 200 characters.")
    .optional()
    .transform((v) => (v ? v : undefined)),
  kind: z.enum(DATASET_KINDS, { error: "A dataset is participant-level (participant) or summary-level (summary)." }).default("participant"),
  mapping: ColumnMappingInput.default({}),
  /**
   * What the file is: a plain table (the default for CSV/XLSX), a REDCap records export (also recognised
   * by its header), or CDISC ODM clinical data (an XML file).
   */
  format: z
    .enum(["table", "redcap", "odm"], { error: "format is table, redcap or odm." })
    .optional()
    .transform((v) => (v === "table" ? undefined : v)),
  repeats: z
    .enum(REPEAT_RULES, { error: `repeats is one of: ${REPEAT_RULES.join(", ")} (keep repeated instruments as rows, or reduce them).` })
    .default("rows"),
  /** Names this upload in the progress the uploader's live connection receives (`dataset:import-progress`). */
  uploadId: z.string().regex(UPLOAD_ID, "An upload id is 8–64 letters, digits, “-” or “_”.").optional(),
});

export const DatasetRowsQuery = z.object({
  offset: z.coerce
    .number({ error: "offset is a whole number ≥ 0." })
    .int("offset is a whole number ≥ 0.")
    .min(0, "offset is a whole number ≥ 0.")
    .default(0),
  limit: z.coerce
    .number({ error: "limit is a whole number from 1 to 5000." })
    .int("limit is a whole number from 1 to 5000.")
    .min(1, "limit is a whole number from 1 to 5000.")
    .max(5000, "limit is a whole number from 1 to 5000.")
    .default(100),
});

// Answers

export const DatasetColumnJson = responseShape(
  "DatasetColumn",
  z.object({
    name: z.string().describe("The column's name in the uploaded file."),
    role: z.enum(COLUMN_ROLES).exclude(["ignore"]),
    biomarker: z.string().nullable().describe("The panel biomarker's code, when the column was matched to one."),
    unit: z.string().nullable().describe("The unit of the stored values (the panel's unit for a biomarker)."),
    convertedFrom: z.string().nullable().describe("The file's unit, when values were converted from it (e.g. mg/dL)."),
    factor: z.number().nullable(),
    conversion: z.string().nullable().describe("The conversion in words."),
    valueType: z.enum(["numeric", "text"]),
    plausibleMin: z.number().nullable(),
    plausibleMax: z.number().nullable(),
    flaggedCount: Count.describe("Values outside the plausible range (kept, flagged)."),
    visits: z
      .array(z.string())
      .optional()
      .describe("In a dataset with a visit column: the visits, in time order, at which this column has a value."),
  }),
);

export const DatasetWarningJson = responseShape(
  "DatasetWarning",
  z.object({ message: z.string(), column: z.string().optional(), rows: z.array(Count).optional() }),
);

export const DatasetJson = responseShape(
  "Dataset",
  z.object({
    id: Id,
    studyId: Id,
    name: z.string(),
    kind: z.enum(DATASET_KINDS),
    version: Count,
    rowCount: Count,
    columns: z.array(DatasetColumnJson),
    warnings: z.array(DatasetWarningJson),
    source: z.object({ fileName: z.string(), format: z.enum(SOURCE_FORMATS), bytes: Count, sha256: z.string() }),
    uploadedBy: Id.describe("The uploader's user id."),
    createdAt: IsoTime,
  }),
);

export const DatasetProposalJson = responseShape(
  "DatasetProposal",
  z
    .object({
      dryRun: z.literal(true),
      fileName: z.string(),
      format: z.enum(SOURCE_FORMATS),
      kind: z.enum(DATASET_KINDS),
      rowCount: Count,
      columns: z.array(
        DatasetColumnJson.extend({
          sourceUnit: z.string().nullable().describe("The unit the file reports, from the header or the mapping."),
          matchedBy: z.enum(["mapping", "code", "label", "alias", "column name"]).nullable(),
          ignored: z.boolean(),
          problem: z.string().nullable().describe("Why this column cannot be imported as planned."),
        }),
      ),
      warnings: z.array(DatasetWarningJson),
      problem: z
        .object({ status: z.int(), message: z.string(), details: z.array(z.record(z.string(), z.unknown())) })
        .nullable()
        .describe("The refusal an import of this file would meet, or null."),
      records: z
        .object({
          source: z.enum(["redcap", "odm"]),
          dictionary: z.enum(["file", "panel", "metadata"]).describe("Where the fields' types, units and codes came from."),
          visitColumn: z.string().nullable(),
          events: z.array(z.object({ event: z.string(), visit: z.string() })).describe("Each event of the file and the visit it becomes."),
          repeatedInstruments: z.array(z.string()),
          repeats: z.enum(REPEAT_RULES),
          notes: z.array(z.string()),
        })
        .nullable()
        .describe("For a REDCap records export or ODM clinical data: how it is read; null for a plain table."),
    })
    .describe("A dry run: the proposed column matching, and the problem an import would meet (null if none)."),
);

export const DatasetRowsJson = responseShape(
  "DatasetRows",
  z.object({
    items: z.array(
      z.object({
        rowIndex: Count,
        participantId: z.string().nullable(),
        arm: z.string().nullable(),
        values: z.array(z.union([z.number(), z.string(), z.null()])).describe("Aligned with the dataset's columns."),
      }),
    ),
    total: Count,
    offset: Count,
    nextCursor: z.string().nullable().describe("The offset of the next page; null on the last page."),
  }),
);

export const DatasetSummaryJson = responseShape(
  "DatasetSummary",
  z.object({
    datasetId: Id,
    rowCount: Count,
    columns: z.array(
      z.discriminatedUnion("valueType", [
        z.object({
          column: z.string(),
          valueType: z.literal("numeric"),
          n: Count,
          missing: Count,
          mean: z.number().nullable(),
          sd: z.number().nullable(),
          min: z.number().nullable(),
          max: z.number().nullable(),
          histogram: z.object({ min: z.number(), max: z.number(), counts: z.array(Count) }).nullable(),
        }),
        z.object({
          column: z.string(),
          valueType: z.literal("text"),
          n: Count,
          missing: Count,
          distinct: Count,
          top: z.array(z.object({ value: z.string(), count: Count })),
        }),
      ]),
    ),
  }),
);
