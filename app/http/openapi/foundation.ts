/**
 * The foundation of the API: accounts, workspaces, members and invitations, the
 * audit trail, and operations (/healthz and the OpenAPI document itself).
 *
 * Request bodies are generated from the zod schemas the services validate with
 * (app/schemas); response shapes are written here by hand, after
 * app/http/serializers.server.ts.
 */
import { EVENT_TYPES } from "#app/domain/events.ts";
import { ROLES } from "#app/domain/roles.ts";
import {
  ChangeNameInput,
  CreateTokenInput,
  IssueTokenInput,
  RegisterInput,
} from "#app/schemas/accounts.ts";
import { TOKEN_LIFETIMES_DAYS } from "#app/domain/access-tokens.ts";
import {
  ChangeRoleInput,
  CreateInvitationInput,
  CreateWorkspaceInput,
  EventsQuery,
  UpdateWorkspaceInput,
} from "#app/schemas/workspaces.ts";
import { type ApiSection, dateTime, id, type JsonSchema, listOf, type PathSpec, ref, requestSchema } from "#app/http/openapi/builder.ts";

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

const PATH_PARAMETERS: Record<string, string> = {
  ws: "The workspace id.",
  userId: "The member's user id.",
  invitationId: "The invitation id (not its token).",
  token: "The invitation token from the link a lead shared.",
  tokenId: "The access token's id (not the secret).",
};

/** The foundation's paths under /api/v1 (one per app/routes/api.v1.*.ts file of these areas), and /healthz. */
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
    "/api/v1/workspaces/{ws}/export.zip": {
      get: {
        operationId: "exportWorkspace",
        summary: "The whole workspace as one ZIP archive (lead only)",
        description:
          "workspace.json (workspace and members), records/<table>.json (every record the workspace owns), audit-trail.csv and datasets/<name>-v<version>.csv. The export is itself recorded as an event (workspace.exported).",
        tag: "workspaces",
        success: {
          status: 200,
          description: "A ZIP archive.",
          headers: { "Content-Disposition": { description: "attachment; filename=\"<workspace>-<date>.zip\"", schema: { type: "string" } } },
          content: { "application/zip": { schema: { type: "string", format: "binary" } } },
        },
        errors: [403, 404],
      },
    },
  };
}

export const foundationSection: ApiSection = {
  tags: [
    { name: "accounts", description: "Sign-up, the caller, personal access tokens" },
    { name: "workspaces", description: "Workspaces" },
    { name: "members", description: "Members, roles and invitations" },
    { name: "audit", description: "The audit trail" },
    { name: "operations", description: "Health check and this document" },
  ],
  paths: pathSpecs(),
  responseSchemas,
  requestBodies: requestBodySchemas,
  pathParameters: PATH_PARAMETERS,
};
