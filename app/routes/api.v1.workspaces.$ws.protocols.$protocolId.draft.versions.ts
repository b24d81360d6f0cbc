import { apiRoute, created, readJsonBody, requireParam } from "#app/http/api.server.ts";
import { versionJson } from "#app/public-shapes/protocols.ts";
import { cutVersionFromDraft } from "#app/services/protocol-drafts.server.ts";

export const { loader, action } = apiRoute({
  POST: async ({ caller, params, request }) =>
    created(
      versionJson(
        await cutVersionFromDraft(caller.user, requireParam(params, "ws"), requireParam(params, "protocolId"), await readJsonBody(request)),
      ),
    ),
});
