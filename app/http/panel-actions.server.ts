/**
 * The panel page's form actions: edit the panel, add/edit/remove a biomarker,
 * import a data dictionary. Refusals become what the forms show; two need
 * more than a field message and are answered here: a stale version (409)
 * carries the current version, and a refused dictionary lists every problem.
 */
import { json, redirect } from "@remix-run/node";
import { DICTIONARY_MAX_BYTES } from "#app/domain/dictionary-columns.ts";
import type { PublicUser } from "#app/services/accounts.server.ts";
import { isServiceError, validationFailed } from "#app/services/errors.server.ts";
import { addBiomarker, removeBiomarker, updateBiomarker } from "#app/services/panel-biomarkers.server.ts";
import { importDictionary } from "#app/services/panel-dictionary.server.ts";
import { updatePanel } from "#app/services/panels.server.ts";
import { readCsvUpload } from "./csv-upload.server.ts";
import { nestFormData } from "./form-data.ts";
import { handleFormAction } from "./form.server.ts";

export interface ConflictFailure {
  ok: false;
  intent: string;
  conflict: { currentVersion: number };
  formError: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
}

export interface ImportFailure {
  ok: false;
  intent: "import";
  formError: string;
  fieldErrors: Record<string, string>;
  problems: { row?: number; column?: string; message: string }[];
  values: Record<string, string>;
}

export interface ImportSuccess {
  ok: true;
  intent: "import";
  changed: boolean;
  version: number;
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
}

export async function panelPageAction(request: Request, user: PublicUser, workspaceId: string, panelId: string) {
  const isUpload = /^multipart\/form-data\b/i.test(request.headers.get("content-type") ?? "");
  if (isUpload) return importAction(request, user, workspaceId, panelId);

  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  const page = `/workspaces/${workspaceId}/panels/${panelId}`;
  return handleFormAction(
    () =>
      answeringConflicts(intent, form, async () => {
        switch (intent) {
          case "update-panel": {
            const panel = await updatePanel(user, workspaceId, panelId, form);
            return { ok: true as const, intent, version: panel.version, message: "Panel details saved." };
          }
          case "add-biomarker": {
            const { biomarker, panel } = await addBiomarker(user, workspaceId, panelId, withCategories(form));
            return { ok: true as const, intent, version: panel.version, message: `Added ${biomarker.code} (${biomarker.label}).` };
          }
          case "update-biomarker":
            await updateBiomarker(user, workspaceId, panelId, String(form.biomarkerId), withoutControls(withCategories(form)));
            throw redirect(page);
          case "remove-biomarker": {
            const panel = await removeBiomarker(user, workspaceId, panelId, String(form.biomarkerId), form);
            return { ok: true as const, intent, version: panel.version, message: `Removed ${String(form.code ?? "the biomarker")}.` };
          }
          default:
            throw validationFailed("Unknown action.");
        }
      }),
    intent,
    form,
  );
}

async function importAction(request: Request, user: PublicUser, workspaceId: string, panelId: string) {
  return handleFormAction(async () => {
    const upload = await readCsvUpload(request, DICTIONARY_MAX_BYTES);
    return answeringConflicts("import", upload.fields, async () => {
      try {
        const result = await importDictionary(user, workspaceId, panelId, { csv: upload.text, query: upload.fields });
        const success: ImportSuccess = {
          ok: true,
          intent: "import",
          changed: result.changed,
          version: result.panel.version,
          added: result.added,
          updated: result.updated,
          removed: result.removed,
          unchanged: result.unchanged,
        };
        return success;
      } catch (error) {
        const rows = isServiceError(error) && error.status === 400 ? error.details.filter((d) => "row" in d) : [];
        if (!rows.length) throw error;
        const failure: ImportFailure = {
          ok: false,
          intent: "import",
          formError: `The file has ${rows.length === 1 ? "a problem" : `${rows.length} problems`}, so nothing was imported. Fix ${rows.length === 1 ? "it" : "them"} and import the file again.`,
          fieldErrors: {},
          problems: rows.map((d) => ({ row: d.row as number, column: d.column as string, message: String(d.message) })),
          values: {},
        };
        return json(failure, { status: 400 });
      }
    });
  }, "import");
}

/** A stale version answers with the current one, so the page can say what happened. */
async function answeringConflicts<T>(intent: string, submitted: Record<string, FormDataEntryValue>, work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (!isServiceError(error) || error.status !== 409) throw error;
    const currentVersion = Number((error.details[0] as { currentVersion?: number } | undefined)?.currentVersion);
    const values = Object.fromEntries(Object.entries(submitted).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    const failure: ConflictFailure = {
      ok: false,
      intent,
      conflict: { currentVersion },
      formError: `Someone else changed this panel while you were editing: it is now at version ${currentVersion}. Nothing was saved. Check the current panel; your entries are still in the form, so you can save them again on top of version ${currentVersion}.`,
      fieldErrors: {},
      values,
    };
    return json(failure, { status: 409 });
  }
}

/**
 * The biomarker form posts its categories as rows (categories[0].code, …); they
 * become one list. The form always shows the whole list, so no rows is no categories.
 */
function withCategories(form: Record<string, FormDataEntryValue>): Record<string, unknown> {
  const isRow = (name: string) => name.startsWith("categories[");
  const rows = nestFormData(Object.entries(form).filter(([name]) => isRow(name))).categories;
  const fields = Object.fromEntries(Object.entries(form).filter(([name]) => !isRow(name) && name !== "categories"));
  return { ...fields, categories: Array.isArray(rows) ? rows : [] };
}

/** The form's own controls are not biomarker fields. */
function withoutControls(form: Record<string, unknown>) {
  const { intent: _intent, biomarkerId: _id, ...fields } = form;
  return fields;
}
