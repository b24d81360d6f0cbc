import { apiRoute, readJsonBody } from "#app/http/api.server.ts";
import { effectModificationJson } from "#app/public-shapes/effect-modification.ts";
import { runEffectModification } from "#app/services/effect-modification.server.ts";

/** Participant rows are many: up to 250,000 of them fit in 16 MiB of JSON. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export const { loader, action } = apiRoute({
  /** The within-trial treatment × covariate interaction per trial (lm or logistic glm), pooled as metafor's rma(). */
  POST: async ({ request }) => effectModificationJson(runEffectModification(await readJsonBody(request, { maxBytes: MAX_BODY_BYTES }))),
});
