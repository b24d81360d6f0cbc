import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { readCsvUpload } from "#app/http/csv-upload.server.ts";
import { dictionaryImportJson } from "#app/public-shapes/panels.ts";
import { DICTIONARY_MAX_BYTES } from "#app/domain/dictionary-columns.ts";
import { importDictionary } from "#app/services/panel-dictionary.server.ts";

export const { loader, action } = apiRoute({
  POST: async ({ caller, params, request }) => {
    const upload = await readCsvUpload(request, DICTIONARY_MAX_BYTES);
    // baseVersion and mode come as query parameters (a multipart form may carry them as fields instead).
    const query = { ...upload.fields, ...Object.fromEntries(new URL(request.url).searchParams) };
    const result = await importDictionary(caller.user, requireParam(params, "ws"), requireParam(params, "panelId"), {
      csv: upload.text,
      query,
    });
    return dictionaryImportJson(result);
  },
});
