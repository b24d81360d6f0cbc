/** The study page's forms as the services want them: numbers where numbers belong, the site summary's file parsed. */
import { validationFailed } from "#app/services/errors.server.ts";
import { numberField } from "./form-data.ts";

/** Form fields arrive as text; the result schema wants numbers where numbers belong. */
export function resultInput(input: Record<string, unknown>) {
  const data = (input.data ?? {}) as Record<string, unknown>;
  const arm = (value: unknown) =>
    Object.fromEntries(Object.entries((value ?? {}) as Record<string, string>).map(([k, v]) => [k, numberField(v)]));
  return {
    ...input,
    data: {
      ...data,
      ...(data.type === "estimate"
        ? { estimate: numberField(data.estimate), ciLower: numberField(data.ciLower), ciUpper: numberField(data.ciUpper) }
        : { intervention: arm(data.intervention), comparator: arm(data.comparator) }),
    },
  };
}

const MAX_SITE_SUMMARY_BYTES = 8 * 1024 * 1024;

/** The uploaded site-summary.json, parsed; what is wrong with the file, said plainly. */
export async function siteSummaryFile(file: FormDataEntryValue | null): Promise<unknown> {
  const fail = (message: string): never => {
    throw validationFailed(`file: ${message}`, [{ field: "file", message }]);
  };
  if (!file || typeof file === "string" || file.size === 0) return fail("Choose the site-summary.json the site sent you.");
  if (file.size > MAX_SITE_SUMMARY_BYTES) return fail("A site summary is at most 8 MiB; is this the right file?");
  try {
    return JSON.parse(await file.text());
  } catch {
    return fail("This file is not JSON: choose the site-summary.json that consilience-site.mjs wrote.");
  }
}
