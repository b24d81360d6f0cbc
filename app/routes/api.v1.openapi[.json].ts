import { publicApiRoute } from "#app/http/api.server.ts";
import { openApiDocument } from "#app/http/openapi.server.ts";

/** The OpenAPI 3.1 description of this API (no authentication needed). */
export const { loader, action } = publicApiRoute({
  GET: () => openApiDocument(),
});
