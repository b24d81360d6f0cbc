/**
 * The OpenAPI 3.1 description of the JSON API, served at GET /api/v1/openapi.json.
 *
 * Request bodies and query parameters are generated from the same zod schemas
 * the services validate with (app/schemas), so the documentation cannot drift
 * from validation. Response shapes are written by hand in the section files
 * (app/http/openapi/), after app/http/serializers.server.ts.
 * tests/integration/openapi.test.ts checks that every route file is described
 * here and that the methods described are the methods served.
 */
import { type ApiSection, errorResponses, errorSchemas, type JsonSchema, type PathSpec, pathItem } from "#app/http/openapi/builder.ts";
import { foundationSection } from "#app/http/openapi/foundation.ts";
import { metaAnalysisSection } from "#app/http/openapi/meta-analysis.ts";
import { datasetsSection } from "#app/http/openapi/datasets.ts";
import { panelsSection } from "#app/http/openapi/panels.ts";
import { goalsSection } from "#app/http/openapi/goals.ts";
import { protocolsSection } from "#app/http/openapi/protocols.ts";
import { studiesSection } from "#app/http/openapi/studies.ts";
import { commentsSection } from "#app/http/openapi/comments.ts";
import { comparisonSection } from "#app/http/openapi/comparison.ts";
import { SESSION_COOKIE } from "#app/services/session.server.ts";

/**
 * The API areas, in document order. A new API area adds its section file in
 * app/http/openapi/ (exporting an ApiSection) and one line here.
 */
const SECTIONS: ApiSection[] = [
  foundationSection,
  panelsSection,
  studiesSection,
  commentsSection,
  metaAnalysisSection,
  datasetsSection,
  goalsSection,
  protocolsSection,
  comparisonSection,
];

function addUnique<T>(target: Record<string, T>, entries: Record<string, T>, what: string) {
  for (const [name, value] of Object.entries(entries)) {
    if (Object.hasOwn(target, name)) throw new Error(`OpenAPI: ${what} "${name}" is defined by two sections.`);
    target[name] = value;
  }
}

/** The sections merged; throws when two sections define the same tag, path or schema name. */
function mergeSections(sections: ApiSection[]) {
  const tags: ApiSection["tags"] = [];
  const paths: Record<string, PathSpec> = {};
  const schemas: Record<string, JsonSchema> = { ...errorSchemas() };
  const pathParameters: Record<string, string> = {};
  for (const section of sections) {
    for (const tag of section.tags) {
      if (tags.some((t) => t.name === tag.name)) throw new Error(`OpenAPI: tag "${tag.name}" is defined by two sections.`);
      tags.push(tag);
    }
    addUnique(paths, section.paths, "path");
    addUnique(schemas, section.responseSchemas?.() ?? {}, "schema");
    addUnique(schemas, section.requestBodies?.() ?? {}, "schema");
    // Sections share parameter names ({ws} above all); the same name must be described the same way.
    for (const [name, description] of Object.entries(section.pathParameters ?? {})) {
      if (Object.hasOwn(pathParameters, name) && pathParameters[name] !== description) {
        throw new Error(`OpenAPI: path parameter "${name}" is described differently by two sections.`);
      }
      pathParameters[name] = description;
    }
  }
  return { tags, paths, schemas, pathParameters };
}

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document (built once per process). */
export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const merged = mergeSections(SECTIONS);
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Consilience API",
      version: "1",
      description: [
        "The JSON API of Consilience: JSON in and out, ids as strings, times as ISO 8601 UTC.",
        "Lists are `{items, nextCursor}`. Errors are `{error: {code, message, details}}`; a rejected request changes nothing.",
        "Authenticate with `Authorization: Bearer <personal access token>` (POST /api/v1/auth/token issues one).",
        "The browser session cookie also works, but a state-changing request with it must carry a same-origin Origin header (else 403).",
        "A method a path does not list answers 405 with an Allow header.",
      ].join("\n\n"),
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    tags: merged.tags,
    paths: Object.fromEntries(
      Object.entries(merged.paths).map(([path, spec]) => [path, pathItem(path, spec, merged.pathParameters)]),
    ),
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "A personal access token (cns_…), from POST /api/v1/auth/token or POST /api/v1/me/tokens.",
        },
        cookieAuth: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: "The browser session. Writes must come with a same-origin Origin header.",
        },
      },
      schemas: merged.schemas,
      responses: errorResponses(),
    },
  };
  return cached;
}
