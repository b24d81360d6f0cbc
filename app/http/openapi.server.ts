/**
 * The OpenAPI 3.1 description of the JSON API, served at GET /api/v1/openapi.json.
 *
 * Request bodies and query parameters are generated from the same zod schemas
 * the services validate with (app/schemas), so the documentation cannot drift
 * from validation. Response shapes are written here by hand, after
 * app/http/serializers.server.ts. tests/integration/openapi.test.ts checks that
 * every route file is described here and that the methods described are the
 * methods served.
 */
import { z } from "zod";
import { EVENT_TYPES } from "#app/domain/events.ts";
import { ROLES } from "#app/domain/roles.ts";
import {
  ChangeNameInput,
  CreateTokenInput,
  IssueTokenInput,
  RegisterInput,
  TOKEN_LIFETIMES_DAYS,
} from "#app/schemas/accounts.ts";
import {
  ChangeRoleInput,
  CreateInvitationInput,
  CreateWorkspaceInput,
  EventsQuery,
  UpdateWorkspaceInput,
} from "#app/schemas/workspaces.ts";
import { SESSION_COOKIE } from "#app/services/session.server.ts";

type JsonSchema = Record<string, unknown>;
type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** The JSON Schema (2020-12, as OpenAPI 3.1 uses) of what a client may send for `schema`. */
export function requestSchema(schema: z.ZodType): JsonSchema {
  const generated = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12", unrepresentable: "any" }) as JsonSchema;
  delete generated.$schema;
  return generated;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const dateTime = (description?: string) => ({ type: "string", format: "date-time", ...(description ? { description } : {}) });
const id = (description?: string) => ({ type: "string", ...(description ? { description } : {}) });
const listOf = (item: string, description: string): JsonSchema => ({
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

/** Request bodies: generated from app/schemas, by the name the schema is exported under. */
function requestBodySchemas(): Record<string, JsonSchema> {
  const issueToken = requestSchema(IssueTokenInput);
  const createToken = requestSchema(CreateTokenInput);
  // The lifetime is a refine() (a fixed list of days), which JSON Schema output cannot see; say it here.
  for (const body of [issueToken, createToken]) {
    const days = (body.properties as Record<string, JsonSchema>).expiresInDays;
    days.enum = [...TOKEN_LIFETIMES_DAYS];
    days.description = `How long the token lasts, in days: one of ${TOKEN_LIFETIMES_DAYS.join(", ")}.`;
  }
  return {
    RegisterInput: requestSchema(RegisterInput),
    IssueTokenInput: issueToken,
    CreateTokenInput: createToken,
    ChangeNameInput: requestSchema(ChangeNameInput),
    CreateWorkspaceInput: requestSchema(CreateWorkspaceInput),
    UpdateWorkspaceInput: requestSchema(UpdateWorkspaceInput),
    CreateInvitationInput: requestSchema(CreateInvitationInput),
    ChangeRoleInput: requestSchema(ChangeRoleInput),
  };
}

/** Response shapes, after app/http/serializers.server.ts and the route files. */
function responseSchemas(): Record<string, JsonSchema> {
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
    Role: {
      type: "string",
      enum: [...ROLES],
      description: "observer reads and comments; contributor also creates and edits; lead also manages members and settings.",
    },
    User: {
      type: "object",
      required: ["id", "email", "name"],
      properties: { id: id(), email: { type: "string", format: "email" }, name: { type: "string" } },
    },
    RegisteredUser: {
      type: "object",
      required: ["user"],
      properties: { user: ref("User") },
    },
    Workspace: {
      type: "object",
      required: ["id", "name", "description", "role", "createdAt"],
      properties: {
        id: id(),
        name: { type: "string" },
        description: { type: "string" },
        role: { ...ref("Role"), description: "The caller's role in this workspace." },
        createdAt: dateTime(),
      },
    },
    WorkspaceList: listOf("Workspace", "The caller's workspaces, by name."),
    Member: {
      type: "object",
      required: ["userId", "name", "email", "role", "joinedAt"],
      properties: {
        userId: id(),
        name: { type: "string" },
        email: { type: "string", format: "email" },
        role: ref("Role"),
        joinedAt: dateTime(),
      },
    },
    MemberList: listOf("Member", "The members of the workspace, by name."),
    Invitation: {
      type: "object",
      description: "A pending invitation. Its token is shown only once, when it is created.",
      required: ["id", "role", "createdBy", "createdAt", "expiresAt"],
      properties: {
        id: id(),
        role: ref("Role"),
        createdBy: { type: "string", description: "The name of the lead who created it." },
        createdAt: dateTime(),
        expiresAt: dateTime(),
      },
    },
    InvitationList: listOf("Invitation", "Invitations that can still be accepted, newest first."),
    CreatedInvitation: {
      type: "object",
      required: ["id", "token", "url", "role", "expiresAt"],
      properties: {
        id: id(),
        token: { type: "string", description: "Shown once; the invitee accepts with it." },
        url: { type: "string", format: "uri", description: "The link to share." },
        role: ref("Role"),
        expiresAt: dateTime(),
      },
    },
    AcceptedInvitation: {
      type: "object",
      required: ["workspaceId", "role"],
      properties: { workspaceId: id(), role: ref("Role") },
    },
    AccessToken: {
      type: "object",
      description: "A personal access token as listed: the secret itself is never shown again.",
      required: ["id", "label", "createdAt", "expiresAt", "lastUsedAt", "revokedAt"],
      properties: {
        id: id(),
        label: { type: "string" },
        createdAt: dateTime(),
        expiresAt: dateTime(),
        lastUsedAt: { type: ["string", "null"], format: "date-time", description: "Refreshed at most once a minute." },
        revokedAt: { type: ["string", "null"], format: "date-time" },
      },
    },
    AccessTokenList: listOf("AccessToken", "The caller's tokens, newest first, revoked and expired ones included."),
    IssuedAccessToken: {
      type: "object",
      required: ["token", "id", "label", "expiresAt"],
      properties: {
        token: { type: "string", description: "The secret, shown this once. Send it as Authorization: Bearer <token>." },
        id: id(),
        label: { type: "string" },
        expiresAt: dateTime(),
      },
    },
    Event: {
      type: "object",
      description: "One entry of the audit trail; the live channel carries the same events with the same ids.",
      required: ["id", "workspaceId", "type", "actor", "target", "payload", "createdAt"],
      properties: {
        id: { type: "string", pattern: "^\\d+$", description: "Increasing; use it as `after` to read on." },
        workspaceId: { type: ["string", "null"] },
        type: { type: "string", enum: Object.keys(EVENT_TYPES) },
        actor: {
          type: "object",
          required: ["id", "name"],
          properties: { id: id(), name: { type: "string" } },
        },
        target: {
          type: "object",
          required: ["type", "id"],
          properties: { type: { type: "string" }, id: id() },
        },
        payload: { type: "object", additionalProperties: true },
        createdAt: dateTime(),
      },
    },
    EventList: listOf("Event", "Events in id order; nextCursor is the `after` for the next page."),
    Health: {
      type: "object",
      required: ["status"],
      properties: { status: { type: "string", const: "ok" } },
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

function errorResponses(): Record<string, unknown> {
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

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** "caller": bearer token or session cookie (the default); "public": none; "bearer": a token only. */
  auth?: "caller" | "public" | "bearer";
  /** Component schema name of the JSON request body. */
  body?: string;
  bodyRequired?: boolean;
  /** A zod schema whose (input) properties are the query parameters. */
  query?: z.ZodObject;
  success: { status: 200 | 201 | 204; description: string; schema?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> };
  /** Error statuses besides those implied: 401 with auth, 403 for writes, 400/413/415 with a body. */
  errors?: number[];
}

function queryParameters(schema: z.ZodObject) {
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

function operation(method: HttpMethod, op: Operation) {
  const auth = op.auth ?? "caller";
  const statuses = new Set(op.errors ?? []);
  if (auth !== "public") statuses.add(401);
  // The cross-site guard refuses any write that carries the session cookie without a same-origin Origin.
  if (method !== "get") statuses.add(403);
  if (op.body) [400, 413, 415].forEach((s) => statuses.add(s));
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
    ...(op.body
      ? {
          requestBody: {
            required: op.bodyRequired ?? true,
            content: { "application/json": { schema: ref(op.body) } },
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

const PATH_PARAMETERS: Record<string, string> = {
  ws: "The workspace id.",
  userId: "The member's user id.",
  invitationId: "The invitation id (not its token).",
  token: "The invitation token from the link a lead shared.",
  tokenId: "The access token's id (not the secret).",
};

type PathSpec = Partial<Record<HttpMethod, Operation>>;

/** Every path the server answers under /api/v1 (one per app/routes/api.v1.*.ts file), and /healthz. */
function pathSpecs(): Record<string, PathSpec> {
  return {
    "/healthz": {
      get: {
        operationId: "health",
        summary: "Health check",
        description: "200 once the server accepts requests (the database is migrated). Served outside /api/v1.",
        tag: "operations",
        auth: "public",
        success: { status: 200, description: "The server is up.", schema: "Health" },
      },
    },
    "/api/v1/openapi.json": {
      get: {
        operationId: "openApiDocument",
        summary: "This document",
        tag: "operations",
        auth: "public",
        success: {
          status: 200,
          description: "The OpenAPI 3.1 description of the API.",
          content: { "application/json": { schema: { type: "object" } } },
        },
      },
    },
    "/api/v1/auth/register": {
      post: {
        operationId: "register",
        summary: "Create an account",
        description: "The email is trimmed and lower-cased. 403 when registration is closed on this server.",
        tag: "accounts",
        auth: "public",
        body: "RegisterInput",
        success: { status: 201, description: "The new account.", schema: "RegisteredUser" },
        errors: [403, 409],
      },
    },
    "/api/v1/auth/token": {
      post: {
        operationId: "issueToken",
        summary: "Exchange email and password for a personal access token",
        description: "Rate limited per account (failed attempts) and per client IP (all attempts).",
        tag: "accounts",
        auth: "public",
        body: "IssueTokenInput",
        success: { status: 201, description: "The token, shown this once.", schema: "IssuedAccessToken" },
        errors: [401, 429],
      },
      delete: {
        operationId: "revokeCurrentToken",
        summary: "Revoke the token this request is authenticated with",
        description: "400 when the request is authenticated by a session cookie instead of a token.",
        tag: "accounts",
        auth: "bearer",
        success: { status: 204, description: "Revoked." },
        errors: [400],
      },
    },
    "/api/v1/me": {
      get: {
        operationId: "getMe",
        summary: "The caller",
        tag: "accounts",
        success: { status: 200, description: "The caller's account.", schema: "User" },
      },
      patch: {
        operationId: "changeMyName",
        summary: "Change the caller's display name",
        tag: "accounts",
        body: "ChangeNameInput",
        success: { status: 200, description: "The account as changed.", schema: "User" },
      },
    },
    "/api/v1/me/tokens": {
      get: {
        operationId: "listMyTokens",
        summary: "The caller's personal access tokens",
        tag: "accounts",
        success: { status: 200, description: "Tokens, without their secrets.", schema: "AccessTokenList" },
      },
      post: {
        operationId: "createMyToken",
        summary: "Create a personal access token",
        tag: "accounts",
        body: "CreateTokenInput",
        bodyRequired: false,
        success: { status: 201, description: "The token, shown this once.", schema: "IssuedAccessToken" },
      },
    },
    "/api/v1/me/tokens/{tokenId}": {
      delete: {
        operationId: "revokeMyToken",
        summary: "Revoke one of the caller's tokens",
        description: "Revoking a revoked token again is not an error.",
        tag: "accounts",
        success: { status: 204, description: "Revoked." },
        errors: [404],
      },
    },
    "/api/v1/workspaces": {
      get: {
        operationId: "listWorkspaces",
        summary: "The caller's workspaces",
        tag: "workspaces",
        success: { status: 200, description: "Workspaces with the caller's role in each.", schema: "WorkspaceList" },
      },
      post: {
        operationId: "createWorkspace",
        summary: "Create a workspace; the caller becomes its lead",
        tag: "workspaces",
        body: "CreateWorkspaceInput",
        success: { status: 201, description: "The new workspace (role: lead).", schema: "Workspace" },
      },
    },
    "/api/v1/workspaces/{ws}": {
      get: {
        operationId: "getWorkspace",
        summary: "A workspace",
        tag: "workspaces",
        success: { status: 200, description: "The workspace, with the caller's role.", schema: "Workspace" },
        errors: [404],
      },
      patch: {
        operationId: "updateWorkspace",
        summary: "Change a workspace's name or description (lead only)",
        tag: "workspaces",
        body: "UpdateWorkspaceInput",
        success: { status: 200, description: "The workspace as changed.", schema: "Workspace" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/members": {
      get: {
        operationId: "listMembers",
        summary: "The members of a workspace",
        tag: "members",
        success: { status: 200, description: "Members with their roles.", schema: "MemberList" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/members/{userId}": {
      patch: {
        operationId: "changeMemberRole",
        summary: "Change a member's role (lead only)",
        description: "422 when it would leave the workspace without a lead.",
        tag: "members",
        body: "ChangeRoleInput",
        success: { status: 200, description: "The member as changed.", schema: "Member" },
        errors: [404, 422],
      },
      delete: {
        operationId: "removeMember",
        summary: "Remove a member (lead only)",
        description: "Their live connections leave the workspace at once. 422 when it would leave the workspace without a lead.",
        tag: "members",
        success: { status: 204, description: "Removed." },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/invitations": {
      get: {
        operationId: "listInvitations",
        summary: "Pending invitations (lead only)",
        tag: "members",
        success: { status: 200, description: "Invitations that can still be accepted.", schema: "InvitationList" },
        errors: [403, 404],
      },
      post: {
        operationId: "createInvitation",
        summary: "Create an invitation link for a role (lead only)",
        description: "The link works once and for seven days.",
        tag: "members",
        body: "CreateInvitationInput",
        success: { status: 201, description: "The invitation, with its token shown this once.", schema: "CreatedInvitation" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/invitations/{invitationId}": {
      delete: {
        operationId: "revokeInvitation",
        summary: "Withdraw an invitation (lead only)",
        tag: "members",
        success: { status: 204, description: "Withdrawn (also when it was already used or withdrawn)." },
        errors: [404],
      },
    },
    "/api/v1/invitations/{token}/accept": {
      post: {
        operationId: "acceptInvitation",
        summary: "Join a workspace with an invitation token",
        description: "409 when the caller is already a member; 422 when the invitation expired, was used or was withdrawn.",
        tag: "members",
        success: { status: 200, description: "The workspace joined and the role given.", schema: "AcceptedInvitation" },
        errors: [404, 409, 422],
      },
    },
    "/api/v1/workspaces/{ws}/events": {
      get: {
        operationId: "listEvents",
        summary: "The audit trail, in id order",
        description: "Page with `after` = the previous page's nextCursor.",
        tag: "audit",
        query: EventsQuery,
        success: { status: 200, description: "A page of events.", schema: "EventList" },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/events.csv": {
      get: {
        operationId: "exportEventsCsv",
        summary: "The whole audit trail as CSV",
        description:
          "The export is itself recorded as an event (audit.exported), which the file includes. Cells that a spreadsheet would run as a formula are prefixed with a quote.",
        tag: "audit",
        success: {
          status: 200,
          description: "CSV with a header row: id, time, actor_id, actor_name, type, description, target_type, target_id, payload.",
          headers: {
            "Content-Disposition": { description: "attachment; filename=\"audit-trail-<ws>-<date>.csv\"", schema: { type: "string" } },
          },
          content: { "text/csv": { schema: { type: "string" } } },
        },
        errors: [404],
      },
    },
  };
}

function pathItem(path: string, spec: PathSpec) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  return {
    ...(names.length > 0
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
      Object.entries(spec).map(([method, op]) => [method, operation(method as HttpMethod, op as Operation)]),
    ),
  };
}

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document (built once per process). */
export function openApiDocument(): Record<string, unknown> {
  cached ??= {
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
    tags: [
      { name: "accounts", description: "Sign-up, the caller, personal access tokens" },
      { name: "workspaces", description: "Workspaces" },
      { name: "members", description: "Members, roles and invitations" },
      { name: "audit", description: "The audit trail" },
      { name: "operations", description: "Health check and this document" },
    ],
    paths: Object.fromEntries(Object.entries(pathSpecs()).map(([path, spec]) => [path, pathItem(path, spec)])),
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
      schemas: { ...responseSchemas(), ...requestBodySchemas() },
      responses: errorResponses(),
    },
  };
  return cached;
}
