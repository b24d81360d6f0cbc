import { json } from "#app/http/api.server.ts";

/** Any other path under /api/v1: a JSON 404 rather than an HTML page. */
function notFound({ request }: { request: Request }) {
  const path = new URL(request.url).pathname;
  return json({ error: { code: "not_found", message: `No API endpoint at ${path}. See /api/v1/openapi.json.`, details: [] } }, 404);
}

export const loader = notFound;
export const action = notFound;
