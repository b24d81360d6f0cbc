/** Input rules for dataset uploads and reads. */
import { z } from "zod";
import { isPrototypeKey } from "#app/domain/object-keys.ts";
import { COLUMN_ROLES, DATASET_KINDS } from "#app/domain/datasets.ts";

export const ColumnMappingEntryInput = z
  .object({
    role: z.enum(COLUMN_ROLES, { error: `A column's role is one of: ${COLUMN_ROLES.join(", ")}.` }).optional(),
    biomarker: z.string().trim().min(1).max(64).optional(),
    unit: z.string().trim().max(64).optional(),
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
        ctx.addIssue({ code: "custom", path: [name], message: `“${name}” cannot be a column name in a mapping: rename the column in the file.` });
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
