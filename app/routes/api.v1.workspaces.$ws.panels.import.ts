import { apiRoute, created, json, requireParam } from "#app/http/api.server.ts";
import { CSV_OR_XML, readCsvUpload } from "#app/http/csv-upload.server.ts";
import { PANEL_IMPORT_MAX_BYTES } from "#app/domain/panel-proposal.ts";
import { panelImportJson, panelImportProposalJson } from "#app/public-shapes/panel-import.ts";
import { importPanelFile, requirePanelImporter } from "#app/services/panel-import.server.ts";

/** A new panel from a REDCap data dictionary CSV or CDISC ODM XML; `?dryRun=1` answers the proposal and saves nothing. */
export const { loader, action } = apiRoute({
  POST: async ({ caller, params, request }) => {
    await requirePanelImporter(caller.user, requireParam(params, "ws"));
    const upload = await readCsvUpload(request, PANEL_IMPORT_MAX_BYTES, CSV_OR_XML);
    const options = { ...upload.fields, ...Object.fromEntries(new URL(request.url).searchParams) };
    const result = await importPanelFile(caller.user, requireParam(params, "ws"), {
      text: upload.text,
      fileName: upload.filename,
      options,
    });
    return result.dryRun ? json(panelImportProposalJson(result)) : created(panelImportJson(result));
  },
});
