/**
 * The OpenAPI 3.1 description of the JSON API, served at GET /api/v1/openapi.json,
 * generated as a whole from the route registry (app/http/openapi/registry.ts)
 * and the request and response shapes of app/schemas: nothing in it is written
 * by hand, so it cannot drift from what the routes validate and answer
 * (docs/decisions/015-one-contract.md). tests/integration/openapi.test.ts checks
 * that it describes every route, and the integration client checks every
 * answer against it.
 */
import { z } from "zod";
import { requestComponents, responseComponents } from "#app/schemas/components.ts";
import { ErrorBody } from "#app/schemas/errors.ts";
import {
  type ErrorStatus,
  type HeaderContract,
  type HttpMethod,
  json,
  type MediaBody,
  type OperationContract,
  type ResponseContract,
} from "#app/http/openapi/contract.ts";
import { API_TAGS, PATH_PARAMETERS, ROUTES } from "#app/http/openapi/registry.ts";
import { IDEMPOTENCY_KEY_HEADER } from "#app/services/idempotency.server.ts";
import { SESSION_COOKIE } from "#app/services/session.server.ts";

type JsonSchema = Record<string, unknown>;

const componentRef = (kind: "schemas" | "responses", name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** Formats say it all: zod's regular expressions for them, and its safe-integer bounds, are noise to a reader. */
const FORMATS_WITHOUT_PATTERN = new Set(["date-time", "date", "email", "uri"]);
function tidy({ jsonSchema }: { jsonSchema: JsonSchema }) {
  if (typeof jsonSchema.format === "string" && FORMATS_WITHOUT_PATTERN.has(jsonSchema.format)) delete jsonSchema.pattern;
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
}

/** Requests as a client may send them (defaults optional, text coerced); responses as the server writes them. */
const SIDES = { input: requestComponents, output: responseComponents } as const;
type Side = keyof typeof SIDES;

function conversionOptions(io: Side) {
  return { io, target: "draft-2020-12", unrepresentable: "any", override: tidy } as const;
}

function withoutSchemaKeywords(schema: JsonSchema): JsonSchema {
  const { $schema: _, $id: __, ...rest } = schema;
  return rest;
}

/** Every registered shape, by name; a name registered on both sides must mean the same schema. */
function componentSchemas(): Record<string, JsonSchema> {
  const merged: Record<string, JsonSchema> = {};
  for (const io of Object.keys(SIDES) as Side[]) {
    const { schemas } = z.toJSONSchema(SIDES[io], { ...conversionOptions(io), uri: (id) => `#/components/schemas/${id}` });
    for (const [name, schema] of Object.entries(schemas)) {
      const cleaned = withoutSchemaKeywords(schema as JsonSchema);
      if (Object.hasOwn(merged, name) && JSON.stringify(merged[name]) !== JSON.stringify(cleaned)) {
        throw new Error(`OpenAPI: "${name}" names a request shape and a different response shape.`);
      }
      merged[name] = cleaned;
    }
  }
  return merged;
}

/** A $ref to a registered shape; every body is a named public shape. */
function namedRef(schema: z.ZodType, io: Side, where: string) {
  const name = SIDES[io].get(schema)?.id;
  if (!name) {
    const side = io === "input" ? "request" : "response";
    throw new Error(`OpenAPI: the ${side} body of ${where} is not a named shape (register it in app/schemas).`);
  }
  return componentRef("schemas", name);
}

/** A schema that is not a component (query parameters, multipart fields), converted where it is used. */
function inlineSchema(schema: z.ZodType, io: Side): JsonSchema {
  return withoutSchemaKeywords(z.toJSONSchema(schema, conversionOptions(io)) as JsonSchema);
}

const SHARED_ERRORS: Record<ErrorStatus, [name: string, description: string]> = {
  400: ["BadRequest", "Bad input: `details` points at the field (nothing was changed)."],
  401: ["Unauthorized", "No credentials, or a bad, expired or revoked token."],
  403: [
    "Forbidden",
    "Authenticated but not allowed (for example not a lead), or a cookie-authenticated write without a same-origin Origin header.",
  ],
  404: ["NotFound", "It does not exist, or the caller may not know that it exists."],
  409: [
    "Conflict",
    "Conflicts with the current state, which `details` describes; for a POST, also a request with the same Idempotency-Key still being answered (with Retry-After) or carried out with its answer lost.",
  ],
  413: ["PayloadTooLarge", "The body is too large (JSON bodies: at most 1 MiB)."],
  415: ["UnsupportedMediaType", "The body is not of a type this endpoint takes (JSON: application/json)."],
  422: [
    "Unprocessable",
    "Well-formed, but impossible in the current state; for a POST, also an Idempotency-Key already used for a different request.",
  ],
  429: ["TooManyRequests", "Rate limited: wait the number of seconds in Retry-After."],
};

const RETRY_AFTER: Record<string, HeaderContract> = {
  "Retry-After": { description: "Seconds to wait.", required: true, schema: z.int().min(1) },
};

function headersObject(headers: Record<string, HeaderContract>) {
  return Object.fromEntries(
    Object.entries(headers).map(([name, h]) => [
      name,
      { description: h.description, ...(h.required ? { required: true } : {}), schema: inlineSchema(h.schema ?? z.string(), "output") },
    ]),
  );
}

function responseObject(response: ResponseContract, where: string) {
  const headers = "headers" in response && response.headers ? { headers: headersObject(response.headers) } : {};
  if ("json" in response) {
    return {
      description: response.description,
      ...headers,
      content: { "application/json": { schema: namedRef(response.json, "output", where) } },
    };
  }
  if ("media" in response) {
    const schema = response.binary ? { type: "string", format: "binary" } : { type: "string" };
    return { description: response.description, ...headers, content: { [response.media]: { schema } } };
  }
  return { description: response.description };
}

function sharedErrorResponses() {
  return Object.fromEntries(
    (Object.entries(SHARED_ERRORS) as unknown as [ErrorStatus, [string, string]][]).map(([status, [name, description]]) => [
      name,
      responseObject(json(description, ErrorBody, Number(status) === 429 ? RETRY_AFTER : undefined), `the ${name} response`),
    ]),
  );
}

const isMediaBody = (body: OperationContract["body"]): body is MediaBody => !!body && "media" in body && !(body instanceof z.ZodType);

function requestBody(op: OperationContract, where: string) {
  if (!op.body) return {};
  if (isMediaBody(op.body)) {
    const content = Object.fromEntries(
      Object.entries(op.body.media).map(([type, schema]) => [type, { schema: inlineSchema(schema, "input") }]),
    );
    return { requestBody: { required: op.body.required ?? true, content } };
  }
  return {
    requestBody: { required: op.bodyRequired ?? true, content: { "application/json": { schema: namedRef(op.body, "input", where) } } },
  };
}

function queryParameters(query: z.ZodObject) {
  const generated = inlineSchema(query, "input");
  const properties = (generated.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((generated.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({ name, in: "query", required: required.has(name), schema }));
}

/** A POST with a caller may be sent again with the same Idempotency-Key (docs/decisions/014-idempotency-keys.md). */
const takesIdempotencyKey = (method: HttpMethod, op: OperationContract) => method === "post" && (op.auth ?? "caller") === "caller";

const IDEMPOTENCY_KEY_PARAMETER = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: "header",
  required: false,
  description:
    "Send the same key (1–255 visible ASCII characters, e.g. a UUID) with a resent request: it is carried out at most once, and a repeat gets the first answer again, marked Idempotent-Replayed: true. The same key with a different request: 422; while the first is still being answered: 409.",
  schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,255}$" },
};

const REPLAYED: Record<string, HeaderContract> = {
  "Idempotent-Replayed": {
    description: "true when this is the stored answer of an earlier request with the same Idempotency-Key.",
    schema: z.literal("true"),
  },
};

/** The statuses every route of its kind may answer, besides those it lists. */
function impliedErrors(method: HttpMethod, op: OperationContract): ErrorStatus[] {
  const implied: ErrorStatus[] = [];
  if ((op.auth ?? "caller") !== "public") implied.push(401);
  // The cross-site guard refuses any write that carries the session cookie without a same-origin Origin.
  if (method !== "get") implied.push(403);
  if (op.body) implied.push(400, 413, 415);
  // A malformed key, a key still being answered (or whose answer was lost), a key used for another request.
  if (takesIdempotencyKey(method, op)) implied.push(400, 409, 422);
  return implied;
}

function parameters(method: HttpMethod, op: OperationContract) {
  const list = [...(op.query ? queryParameters(op.query) : []), ...(takesIdempotencyKey(method, op) ? [IDEMPOTENCY_KEY_PARAMETER] : [])];
  return list.length ? { parameters: list } : {};
}

function operationObject(method: HttpMethod, path: string, op: OperationContract, ownErrors: Record<string, unknown>) {
  const where = `${method.toUpperCase()} ${path}`;
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(op.responses) as [string, ResponseContract][]) {
    if (Number(status) < 400) {
      const replayable = takesIdempotencyKey(method, op)
        ? { headers: { ...REPLAYED, ...("headers" in response ? response.headers : {}) } }
        : {};
      responses[status] = responseObject({ ...response, ...replayable }, where);
      continue;
    }
    // An error with a body of its own is a named response too, so every error is a $ref (one description per name).
    if (!("json" in response)) throw new Error(`OpenAPI: ${where} ${status} needs a JSON body.`);
    const name = responseComponents.get(response.json)?.id;
    if (!name) throw new Error(`OpenAPI: the ${status} body of ${where} is not a named shape.`);
    const object = responseObject(response, where);
    if (Object.hasOwn(ownErrors, name) && JSON.stringify(ownErrors[name]) !== JSON.stringify(object)) {
      throw new Error(`OpenAPI: the response "${name}" is described differently by two routes.`);
    }
    ownErrors[name] = object;
    responses[status] = componentRef("responses", name);
  }
  for (const status of [...impliedErrors(method, op), ...(op.errors ?? [])]) {
    if (!Object.hasOwn(responses, String(status))) responses[String(status)] = componentRef("responses", SHARED_ERRORS[status][0]);
  }
  const auth = op.auth ?? "caller";
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    ...(auth === "public" ? { security: [] } : auth === "bearer" ? { security: [{ bearerAuth: [] }] } : {}),
    ...parameters(method, op),
    ...requestBody(op, where),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
  };
}

function pathItem(path: string, methods: Partial<Record<HttpMethod, OperationContract>>, ownErrors: Record<string, unknown>) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const undescribed = names.filter((name) => !PATH_PARAMETERS[name]);
  if (undescribed.length) throw new Error(`OpenAPI: no area describes the path parameters ${undescribed.join(", ")} of ${path}.`);
  return {
    ...(names.length
      ? {
          parameters: names.map((name) => ({
            name,
            in: "path",
            required: true,
            description: PATH_PARAMETERS[name],
            schema: { type: "string" },
          })),
        }
      : {}),
    ...Object.fromEntries(
      (Object.entries(methods) as [HttpMethod, OperationContract][]).map(([method, op]) => [
        method,
        operationObject(method, path, op, ownErrors),
      ]),
    ),
  };
}

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document (built once per process). */
export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const ownErrors: Record<string, unknown> = {};
  const paths = Object.fromEntries(Object.entries(ROUTES).map(([path, methods]) => [path, pathItem(path, methods, ownErrors)]));
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
    tags: API_TAGS,
    paths,
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
      schemas: componentSchemas(),
      responses: { ...sharedErrorResponses(), ...ownErrors },
    },
  };
  return cached;
}
