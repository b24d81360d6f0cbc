/** The criteria builder sends its criteria as JSON in one form field. */
import { validationFailed } from "#app/services/errors.server.ts";

export function criteriaField(value: FormDataEntryValue | null): unknown {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw validationFailed("criteria: the criteria could not be read; reload the page and try again.", [
      { field: "criteria", message: "The criteria could not be read; reload the page and try again." },
    ]);
  }
}
