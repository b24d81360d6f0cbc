/**
 * The rules for a category biomarker's categories (decision 026), wherever
 * they arrive: a JSON list from the API, rows of the page form, a CSV cell or
 * a form field in REDCap's text form. The limits and reserved characters are
 * app/domain/categories.ts's, which the migration of the old `Choices:` lines
 * applies too.
 */
import { z } from "zod";
import {
  CATEGORIES_MAX,
  CATEGORY_CODE_MAX,
  CATEGORY_LABEL_MAX,
  type Category,
  parseCategories,
  RESERVED_IN_CATEGORY_CODES,
  RESERVED_IN_CATEGORY_LABELS,
} from "#app/domain/categories.ts";

/** One coded answer; `|` and line breaks end a category in the text form, and a code ends at its comma. */
export const CategoryInput = z.object({
  code: z
    .string({ error: "A category's code is text." })
    .trim()
    .min(1, "A category's code cannot be empty.")
    .max(CATEGORY_CODE_MAX, `A category's code has at most ${CATEGORY_CODE_MAX} characters.`)
    .refine((v) => !RESERVED_IN_CATEGORY_CODES.test(v), "A category's code cannot contain a comma, | or a line break."),
  label: z
    .string({ error: "A category's label is text." })
    .trim()
    .min(1, "A category's label cannot be empty.")
    .max(CATEGORY_LABEL_MAX, `A category's label has at most ${CATEGORY_LABEL_MAX} characters.`)
    .refine((v) => !RESERVED_IN_CATEGORY_LABELS.test(v), "A category's label cannot contain | or a line break."),
});

export const CategoriesInput = z.array(CategoryInput).max(CATEGORIES_MAX, `A biomarker has at most ${CATEGORIES_MAX} categories.`);

export const CategoryJson = z.object({ code: z.string(), label: z.string() });

/** The text form read as categories, or the problem as a sentence that says how to write them. */
export function readCategoriesText(text: string): { ok: true; value: Category[] } | { ok: false; message: string } {
  const parsed = parseCategories(text);
  if (parsed.ok) return parsed;
  const message = parsed.message.charAt(0).toUpperCase() + parsed.message.slice(1);
  return { ok: false, message: `${message}: write code, label pairs separated by |, as in “1, Male | 2, Female”.` };
}

/** Rules across fields: only category biomarkers have categories, and a code names one category. */
export function checkCategories(b: { valueType: string; categories: { code: string }[] }, ctx: z.RefinementCtx) {
  if (b.valueType !== "category" && b.categories.length > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["categories"],
      message: `Only category biomarkers have categories; this one is ${b.valueType}.`,
    });
  }
  const codes = new Map<string, number>();
  b.categories.forEach((c, i) => {
    const earlier = codes.get(c.code);
    if (earlier !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["categories", i, "code"],
        message: `The category code “${c.code}” is already used by category ${earlier + 1}; codes are unique in a biomarker.`,
      });
    else codes.set(c.code, i);
  });
}
