/**
 * The coded answers of a categorical biomarker (`1 = Male`, `2 = Female`), and
 * their one text form: REDCap's choice syntax `1, Male | 2, Female`, used in
 * the panel's dictionary CSV, in REDCap dictionaries both ways, and when a
 * form sends them as text. A code runs to the first comma, so a label may hold
 * commas; `|` and line breaks end a category, so neither holds them. The
 * limits are checked where input arrives (app/schemas/panels.ts), and the
 * migration that moved the old `Choices:` description lines into the column
 * (migration 0018 on SQLite, 0008 on PostgreSQL) applies the same ones.
 * Pure, browser-safe.
 */
export interface Category {
  code: string;
  label: string;
}

export const CATEGORY_CODE_MAX = 60;
export const CATEGORY_LABEL_MAX = 300;
/** A country list is some 250; REDCap's longest dropdowns (ICD chapters, drug lists) stay well below this. */
export const CATEGORIES_MAX = 1000;

/** Characters a code or label cannot hold, because the text form uses them. */
export const RESERVED_IN_CATEGORY_CODES = /[,|\r\n]/;
export const RESERVED_IN_CATEGORY_LABELS = /[|\r\n]/;

/**
 * `1, Male | 2, Female` (or one per line) → categories; empty text is no
 * categories. `noun` names one in a message (REDCap calls them choices).
 */
export function parseCategories(text: string, noun = "category"): { ok: true; value: Category[] } | { ok: false; message: string } {
  const parts = text
    .split(/\s*\|\s*|\r?\n|\r/)
    .map((p) => p.trim())
    .filter(Boolean);
  const categories: Category[] = [];
  for (const part of parts) {
    const comma = part.indexOf(",");
    const code = comma < 0 ? "" : part.slice(0, comma).trim();
    const label = comma < 0 ? "" : part.slice(comma + 1).trim();
    if (code === "" || label === "") return { ok: false, message: `the ${noun} “${part}” is not written as “code, label”` };
    if (categories.some((c) => c.code === code)) return { ok: false, message: `the ${noun} code “${code}” appears twice` };
    categories.push({ code, label });
  }
  return { ok: true, value: categories };
}

export const formatCategories = (categories: Category[]): string => categories.map((c) => `${c.code}, ${c.label}`).join(" | ");

const CHOICES = "Choices: ";

/**
 * Before categories had a column, a categorical biomarker kept them as one
 * line of its description, `Choices: 1, Male | 2, Female` (decision 026). This
 * takes the first such line out and answers the categories, or null when there
 * is no line or it does not read as categories within the limits (the
 * description then stays as it is, for a person to fix). A data dictionary
 * exported before the column existed is read through this; the database
 * migration does the same in SQL, line for line: a line starts the text or
 * follows a line feed, and leaves with its own line feed.
 */
export function liftChoicesLine(description: string): { categories: Category[]; description: string } | null {
  const start = description.startsWith(CHOICES) ? 0 : description.indexOf(`\n${CHOICES}`) + 1;
  if (start === 0 && !description.startsWith(CHOICES)) return null;
  const newline = description.indexOf("\n", start);
  const end = newline < 0 ? description.length : newline;
  const parsed = parseCategories(description.slice(start + CHOICES.length, end));
  if (!parsed.ok || parsed.value.length === 0 || !withinLimits(parsed.value)) return null;
  const rest = description.slice(0, start) + description.slice(newline < 0 ? end : end + 1);
  return { categories: parsed.value, description: rest.trim() };
}

function withinLimits(categories: Category[]): boolean {
  return (
    categories.length <= CATEGORIES_MAX &&
    categories.every((c) => c.code.length <= CATEGORY_CODE_MAX && c.label.length <= CATEGORY_LABEL_MAX)
  );
}
