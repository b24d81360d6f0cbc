/** The foundation of the API: accounts, workspaces, members and invitations, the audit trail, and operations. */
import {
  AccessTokenListJson,
  ChangeNameInput,
  CreateTokenInput,
  IssuedAccessTokenJson,
  IssueTokenInput,
  RegisteredUserJson,
  RegisterInput,
  UserJson,
} from "#app/schemas/accounts.ts";
import { HealthJson, OpenApiDocumentJson } from "#app/schemas/operations.ts";
import {
  AcceptedInvitationJson,
  ChangeRoleInput,
  CreatedInvitationJson,
  CreateInvitationInput,
  CreateWorkspaceInput,
  EventListJson,
  EventsQuery,
  InvitationListJson,
  MemberJson,
  MemberListJson,
  UpdateWorkspaceInput,
  WorkspaceJson,
  WorkspaceListJson,
} from "#app/schemas/workspaces.ts";
import { type ApiArea, attachment, json, media, noContent } from "#app/http/openapi/contract.ts";

export const accountsArea: ApiArea = {
  tags: [
    { name: "accounts", description: "Sign-up, the caller, personal access tokens" },
    { name: "workspaces", description: "Workspaces" },
    { name: "members", description: "Members, roles and invitations" },
    { name: "audit", description: "The audit trail" },
    { name: "operations", description: "Health check and this document" },
  ],
  pathParameters: {
    ws: "The workspace id.",
    userId: "The member's user id.",
    invitationId: "The invitation id (not its token).",
    token: "The invitation token from the link a lead shared.",
    tokenId: "The access token's id (not the secret).",
  },
  paths: {
    "/healthz": {
      get: {
        operationId: "health",
        summary: "Health check",
        description: "200 once the server accepts requests (the database is migrated). Served outside /api/v1.",
        tag: "operations",
        auth: "public",
        responses: { 200: json("The server is up.", HealthJson) },
      },
    },
    "/api/v1/openapi.json": {
      get: {
        operationId: "openApiDocument",
        summary: "This document",
        tag: "operations",
        auth: "public",
        responses: { 200: json("The OpenAPI 3.1 description of the API.", OpenApiDocumentJson) },
      },
    },
    "/api/v1/auth/register": {
      post: {
        operationId: "register",
        summary: "Create an account",
        description: "The email is trimmed and lower-cased. 403 when registration is closed on this server.",
        tag: "accounts",
        auth: "public",
        body: RegisterInput,
        responses: { 201: json("The new account.", RegisteredUserJson) },
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
        body: IssueTokenInput,
        responses: { 201: json("The token, shown this once.", IssuedAccessTokenJson) },
        errors: [401, 429],
      },
      delete: {
        operationId: "revokeCurrentToken",
        summary: "Revoke the token this request is authenticated with",
        description: "400 when the request is authenticated by a session cookie instead of a token.",
        tag: "accounts",
        auth: "bearer",
        responses: { 204: noContent("Revoked.") },
        errors: [400],
      },
    },
    "/api/v1/me": {
      get: {
        operationId: "getMe",
        summary: "The caller",
        tag: "accounts",
        responses: { 200: json("The caller's account.", UserJson) },
      },
      patch: {
        operationId: "changeMyName",
        summary: "Change the caller's display name",
        tag: "accounts",
        body: ChangeNameInput,
        responses: { 200: json("The account as changed.", UserJson) },
      },
    },
    "/api/v1/me/tokens": {
      get: {
        operationId: "listMyTokens",
        summary: "The caller's personal access tokens",
        tag: "accounts",
        responses: { 200: json("Tokens, without their secrets.", AccessTokenListJson) },
      },
      post: {
        operationId: "createMyToken",
        summary: "Create a personal access token",
        tag: "accounts",
        body: CreateTokenInput,
        bodyRequired: false,
        responses: { 201: json("The token, shown this once.", IssuedAccessTokenJson) },
      },
    },
    "/api/v1/me/tokens/{tokenId}": {
      delete: {
        operationId: "revokeMyToken",
        summary: "Revoke one of the caller's tokens",
        description: "Revoking a revoked token again is not an error.",
        tag: "accounts",
        responses: { 204: noContent("Revoked.") },
        errors: [404],
      },
    },
    "/api/v1/workspaces": {
      get: {
        operationId: "listWorkspaces",
        summary: "The caller's workspaces",
        tag: "workspaces",
        responses: { 200: json("Workspaces with the caller's role in each.", WorkspaceListJson) },
      },
      post: {
        operationId: "createWorkspace",
        summary: "Create a workspace; the caller becomes its lead",
        tag: "workspaces",
        body: CreateWorkspaceInput,
        responses: { 201: json("The new workspace (role: lead).", WorkspaceJson) },
      },
    },
    "/api/v1/workspaces/{ws}": {
      get: {
        operationId: "getWorkspace",
        summary: "A workspace",
        tag: "workspaces",
        responses: { 200: json("The workspace, with the caller's role.", WorkspaceJson) },
        errors: [404],
      },
      patch: {
        operationId: "updateWorkspace",
        summary: "Change a workspace's name or description (lead only)",
        tag: "workspaces",
        body: UpdateWorkspaceInput,
        responses: { 200: json("The workspace as changed.", WorkspaceJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/members": {
      get: {
        operationId: "listMembers",
        summary: "The members of a workspace",
        tag: "members",
        responses: { 200: json("Members with their roles.", MemberListJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/members/{userId}": {
      patch: {
        operationId: "changeMemberRole",
        summary: "Change a member's role (lead only)",
        description: "422 when it would leave the workspace without a lead.",
        tag: "members",
        body: ChangeRoleInput,
        responses: { 200: json("The member as changed.", MemberJson) },
        errors: [404, 422],
      },
      delete: {
        operationId: "removeMember",
        summary: "Remove a member (lead only)",
        description: "Their live connections leave the workspace at once. 422 when it would leave the workspace without a lead.",
        tag: "members",
        responses: { 204: noContent("Removed.") },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/invitations": {
      get: {
        operationId: "listInvitations",
        summary: "Pending invitations (lead only)",
        tag: "members",
        responses: { 200: json("Invitations that can still be accepted.", InvitationListJson) },
        errors: [403, 404],
      },
      post: {
        operationId: "createInvitation",
        summary: "Create an invitation link for a role (lead only)",
        description: "The link works once and for seven days.",
        tag: "members",
        body: CreateInvitationInput,
        responses: { 201: json("The invitation, with its token shown this once.", CreatedInvitationJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/invitations/{invitationId}": {
      delete: {
        operationId: "revokeInvitation",
        summary: "Withdraw an invitation (lead only)",
        tag: "members",
        responses: { 204: noContent("Withdrawn (also when it was already used or withdrawn).") },
        errors: [404],
      },
    },
    "/api/v1/invitations/{token}/accept": {
      post: {
        operationId: "acceptInvitation",
        summary: "Join a workspace with an invitation token",
        description: "409 when the caller is already a member; 422 when the invitation expired, was used or was withdrawn.",
        tag: "members",
        responses: { 200: json("The workspace joined and the role given.", AcceptedInvitationJson) },
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
        responses: { 200: json("A page of events.", EventListJson) },
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
        responses: {
          200: media(
            "CSV with a header row: id, time, actor_id, actor_name, type, description, target_type, target_id, payload.",
            "text/csv",
            { headers: attachment("audit-trail-<ws>-<date>.csv") },
          ),
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
        responses: { 200: media("A ZIP archive.", "application/zip", { binary: true, headers: attachment("<workspace>-<date>.zip") }) },
        errors: [403, 404],
      },
    },
  },
};
