/**
 * The panel import page's one form, sent twice: "review" answers the
 * proposal (a dry run), "accept" sends the same file with the reviewer's
 * choice per field (`map.<field>` selects) and goes to the new panel.
 * Nothing is kept on the server between the two.
 */
import { json, redirect } from "@remix-run/node";
import { PANEL_IMPORT_MAX_BYTES } from "#app/domain/panel-proposal.ts";
import { panelImportProposalJson } from "#app/public-shapes/panel-import.ts";
import type { PublicUser } from "#app/services/accounts.server.ts";
import { isServiceError, validationFailed } from "#app/services/errors.server.ts";
import { importPanelFile, requirePanelImporter } from "#app/services/panel-import.server.ts";
import { CSV_OR_XML, readCsvUpload } from "./csv-upload.server.ts";

export interface PanelImportRefusal {
  ok: false;
  message: string;
  /** Problems by field (`mapping.crp`, `file`) or row. */
  details: { field?: string; row?: number; message: string }[];
}

export async function panelImportAction(request: Request, user: PublicUser, workspaceId: string) {
  try {
    await requirePanelImporter(user, workspaceId);
    // The page's form is always multipart; anything else has no file to read.
    if (!/^multipart\/form-data\b/i.test(request.headers.get("content-type") ?? "")) {
      throw validationFailed("Choose a dictionary file to import.", [{ field: "file", message: "Choose a dictionary file to import." }]);
    }
    const upload = await readCsvUpload(request, PANEL_IMPORT_MAX_BYTES, CSV_OR_XML);
    const { intent, name, ...rest } = upload.fields;
    const mapping = Object.fromEntries(
      Object.entries(rest)
        .filter(([key]) => key.startsWith("map."))
        .map(([key, value]) => [key.slice(4), value]),
    );
    const result = await importPanelFile(user, workspaceId, {
      text: upload.text,
      fileName: upload.filename,
      options: { dryRun: intent !== "accept", name, mapping: JSON.stringify(mapping) },
    });
    if (!result.dryRun) throw redirect(`/workspaces/${workspaceId}/panels/${result.panel.id}`);
    return json({ ok: true as const, proposal: panelImportProposalJson(result) });
  } catch (error) {
    if (!isServiceError(error) || error.status >= 500) throw error;
    const details = (error.details as Record<string, unknown>[]).map((d) => ({
      ...(typeof d.field === "string" ? { field: d.field } : {}),
      ...(typeof d.row === "number" ? { row: d.row } : {}),
      message: String(d.message ?? ""),
    }));
    const refusal: PanelImportRefusal = { ok: false, message: error.message, details };
    return json(refusal, { status: error.status });
  }
}
