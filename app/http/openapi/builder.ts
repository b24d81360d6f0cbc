/**
 * The generic pieces of the OpenAPI document (app/http/openapi.server.ts): schema
 * helpers, the operation and path-item builders, the shared error responses,
 * and the ApiSection shape every API area describes itself with.
 */
import { z } from "zod";

export type JsonSchema = Record<string, unknown>;
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** The JSON Schema (2020-12, as OpenAPI 3.1 uses) of what a client may send for `schema`. */
export function requestSchema(schema: z.ZodType): JsonSchema {
  const generated = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12", unrepresentable: "any" }) as JsonSchema;
  delete generated.$schema;
  return generated;
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const dateTime = (description?: string) => ({ type: "string", format: "date-time", ...(description ? { description } : {}) });
export const id = (description?: string) => ({ type: "string", ...(description ? { description } : {}) });
export const listOf = (item: string, description: string): JsonSchema => ({
  type: "object",
  description,
  required: ["items", "nextCursor"],
  properties: {
    items: { type: "array", items: ref(item) },
    nextCursor: {
      type: ["string", "null"],
      description: "Where the next page starts; null on the last page.",
    },
  },
});

/** The error body every error response carries (see ERROR_RESPONSES), shared by all sections. */
export function errorSchemas(): Record<string, JsonSchema> {
  return {
    Error: {
      type: "object",
      required: ["error"],
      properties: {
        error: {
          type: "object",
          required: ["code", "message", "details"],
          properties: {
            code: {
              type: "string",
              description: "Machine-readable reason.",
              examples: [
                "validation_failed",
                "unauthorized",
                "forbidden",
                "not_found",
                "method_not_allowed",
                "conflict",
                "too_large",
                "unsupported_media_type",
                "unprocessable",
                "rate_limited",
              ],
            },
            message: { type: "string", description: "A sentence for people." },
            details: { type: "array", items: ref("ErrorDetail") },
          },
        },
      },
      examples: [
        {
          error: {
            code: "validation_failed",
            message: "password: A password needs at least 10 characters.",
            details: [{ field: "password", message: "A password needs at least 10 characters." }],
          },
        },
      ],
    },
    ErrorDetail: {
      type: "object",
      description:
        "What the error points at: a field (dotted path), a row or a column with a message; for 409, the current state.",
      properties: {
        field: { type: "string" },
        row: { type: "integer" },
        column: { type: "string" },
        message: { type: "string" },
      },
      additionalProperties: true,
    },
  };
}

const ERROR_RESPONSES: Record<number, [name: string, description: string]> = {
  400: ["BadRequest", "Bad input: `details` points at the field (nothing was changed)."],
  401: ["Unauthorized", "No credentials, or a bad, expired or revoked token."],
  403: [
    "Forbidden",
    "Authenticated but not allowed (for example not a lead), or a cookie-authenticated write without a same-origin Origin header.",
  ],
  404: ["NotFound", "It does not exist, or the caller may not know that it exists."],
  409: ["Conflict", "Conflicts with the current state, which `details` describes."],
  413: ["PayloadTooLarge", "The body is too large (JSON bodies: at most 1 MiB)."],
  415: ["UnsupportedMediaType", "The body is not of a type this endpoint takes (JSON: application/json)."],
  422: ["Unprocessable", "Well-formed, but impossible in the current state."],
  429: ["TooManyRequests", "Rate limited: wait the number of seconds in Retry-After."],
};

export function errorResponses(): Record<string, unknown> {
  return Object.fromEntries(
    Object.values(ERROR_RESPONSES).map(([name, description]) => [
      name,
      {
        description,
        content: { "application/json": { schema: ref("Error") } },
        ...(name === "TooManyRequests"
          ? { headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer", minimum: 1 } } } }
          : {}),
      },
    ]),
  );
}

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** "caller": bearer token or session cookie (the default); "public": none; "bearer": a token only. */
  auth?: "caller" | "public" | "bearer";
  /** Component schema name of the JSON request body. */
  body?: string;
  /** A request body that is not JSON (file uploads): its content by media type. */
  bodyContent?: Record<string, unknown>;
  bodyRequired?: boolean;
  /** A zod schema whose (input) properties are the query parameters. */
  query?: z.ZodObject;
  success: { status: 200 | 201 | 204; description: string; schema?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> };
  /** Error statuses besides those implied: 401 with auth, 403 for writes, 400/413/415 with a body. */
  errors?: number[];
}

export function queryParameters(schema: z.ZodObject) {
  const generated = requestSchema(schema);
  const properties = (generated.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((generated.required ?? []) as string[]);
  return Object.entries(properties).map(([name, propertySchema]) => ({
    name,
    in: "query",
    required: required.has(name),
    schema: propertySchema,
  }));
}

export function operation(method: HttpMethod, op: Operation) {
  const auth = op.auth ?? "caller";
  const statuses = new Set(op.errors ?? []);
  if (auth !== "public") statuses.add(401);
  // The cross-site guard refuses any write that carries the session cookie without a same-origin Origin.
  if (method !== "get") statuses.add(403);
  if (op.body || op.bodyContent) [400, 413, 415].forEach((s) => statuses.add(s));
  const { success } = op;
  const successResponse =
    success.status === 204
      ? { description: success.description }
      : {
          description: success.description,
          ...(success.headers ? { headers: success.headers } : {}),
          content: success.content ?? { "application/json": { schema: ref(success.schema!) } },
        };
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    ...(auth === "public" ? { security: [] } : auth === "bearer" ? { security: [{ bearerAuth: [] }] } : {}),
    ...(op.query ? { parameters: queryParameters(op.query) } : {}),
    ...(op.body || op.bodyContent
      ? {
          requestBody: {
            required: op.bodyRequired ?? true,
            content: op.bodyContent ?? { "application/json": { schema: ref(op.body!) } },
          },
        }
      : {}),
    responses: {
      [String(success.status)]: successResponse,
      ...Object.fromEntries(
        [...statuses]
          .sort((a, b) => a - b)
          .map((status) => [String(status), { $ref: `#/components/responses/${ERROR_RESPONSES[status][0]}` }]),
      ),
    },
  };
}

export type PathSpec = Partial<Record<HttpMethod, Operation>>;

/**
 * One path's item: its path parameters, described from `pathParameters` (the merged
 * descriptions of every section), and its operations.
 */
export function pathItem(path: string, spec: PathSpec, pathParameters: Record<string, string>) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  return {
    ...(names.length > 0
      ? {
          parameters: names.map((name) => ({
            name,
            in: "path",
            required: true,
            description: pathParameters[name],
            schema: { type: "string" },
          })),
        }
      : {}),
    ...Object.fromEntries(
      Object.entries(spec).map(([method, op]) => [method, operation(method as HttpMethod, op as Operation)]),
    ),
  };
}

/**
 * One API area's part of the document. openapi.server.ts merges the sections:
 * tags in order, paths and schema names must be unique across sections, and
 * path-parameter descriptions are shared (the same name must mean the same thing).
 */
export interface ApiSection {
  tags: { name: string; description: string }[];
  /** Path → operations by method; every path the area's route files answer. */
  paths: Record<string, PathSpec>;
  /** Response shapes, by component schema name. */
  responseSchemas?: () => Record<string, JsonSchema>;
  /** Request bodies, by component schema name (generated from app/schemas with requestSchema). */
  requestBodies?: () => Record<string, JsonSchema>;
  /** Descriptions of the `{name}` path parameters the area's paths use. */
  pathParameters?: Record<string, string>;
}
