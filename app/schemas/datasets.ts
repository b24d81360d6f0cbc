/** Input rules for dataset uploads and reads. */
import { z } from "zod";
import { COLUMN_ROLES, DATASET_KINDS } from "#db/schema/datasets.ts";

export const ColumnMappingEntryInput = z
  .object({
    role: z.enum(COLUMN_ROLES, { error: `A column's role is one of: ${COLUMN_ROLES.join(", ")}.` }).optional(),
    biomarker: z.string().trim().min(1).max(64).optional(),
    unit: z.string().trim().max(64).optional(),
  })
  .strict();

/** `mapping` arrives as JSON text in a form field or the query string, or as an object. */
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
  z.record(z.string().max(500), ColumnMappingEntryInput, {
    error: 'The mapping is a JSON object: {"column name": {"biomarker": "hs_crp", "unit": "mg/dL"}, "id": {"role": "participant_id"}}.',
  }),
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
});

export const DatasetRowsQuery = z.object({
  offset: z.coerce.number({ error: "offset is a whole number ≥ 0." }).int("offset is a whole number ≥ 0.").min(0, "offset is a whole number ≥ 0.").default(0),
  limit: z.coerce
    .number({ error: "limit is a whole number from 1 to 5000." })
    .int("limit is a whole number from 1 to 5000.")
    .min(1, "limit is a whole number from 1 to 5000.")
    .max(5000, "limit is a whole number from 1 to 5000.")
    .default(100),
});
