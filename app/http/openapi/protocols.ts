/** Protocols: versioned markdown documents, their versions, diffs and forks. */
import {
  CreateProtocolInput,
  DiffQuery,
  ForkProtocolInput,
  ProtocolConflictJson,
  ProtocolDiffJson,
  ProtocolJson,
  ProtocolListJson,
  ProtocolListQuery,
  ProtocolVersionJson,
  ProtocolVersionListJson,
  SaveDraftVersionInput,
  SaveVersionInput,
  UpdateProtocolInput,
  VersionsQuery,
} from "#app/schemas/protocols.ts";
import { type ApiArea, json } from "#app/http/openapi/contract.ts";

/** A stale edit of a protocol is refused with the current text, whichever edit it was. */
const staleBase = json("baseVersion is not the current version; nothing was saved.", ProtocolConflictJson);

export const protocolsArea: ApiArea = {
  tags: [{ name: "protocols", description: "Versioned protocols: every save is a new version; stale edits get 409" }],
  pathParameters: { protocolId: "The protocol id.", version: "A version number (1, 2, …)." },
  paths: {
    "/api/v1/workspaces/{ws}/protocols": {
      get: {
        operationId: "listProtocols",
        summary: "List the workspace's protocols",
        tag: "protocols",
        query: ProtocolListQuery,
        responses: { 200: json("The protocols, by title.", ProtocolListJson) },
        errors: [400, 404],
      },
      post: {
        operationId: "createProtocol",
        summary: "Create a protocol (contributor or lead); its text becomes version 1",
        tag: "protocols",
        body: CreateProtocolInput,
        responses: { 201: json("The new protocol, a draft.", ProtocolJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/protocols/{protocolId}": {
      get: {
        operationId: "getProtocol",
        summary: "A protocol with its current version, rendered",
        tag: "protocols",
        responses: { 200: json("The protocol.", ProtocolJson) },
        errors: [404],
      },
      patch: {
        operationId: "updateProtocol",
        summary: "Rename a protocol (contributor or lead) or change its status (lead only)",
        description:
          "`baseVersion` must be the current version, so a lead approves exactly the text they read (else 409). Status changes: draft → approved or superseded; approved → superseded or back to draft; superseded → draft (else 422).",
        tag: "protocols",
        body: UpdateProtocolInput,
        responses: { 200: json("The protocol after the change.", ProtocolJson), 409: staleBase },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/protocols/{protocolId}/versions": {
      get: {
        operationId: "listProtocolVersions",
        summary: "The protocol's versions, newest first",
        tag: "protocols",
        query: VersionsQuery,
        responses: { 200: json("A page of versions.", ProtocolVersionListJson) },
        errors: [400, 404],
      },
      post: {
        operationId: "saveProtocolVersion",
        summary: "Save a new version of the text (contributor or lead)",
        description:
          "409 when `baseVersion` is not the current version: nothing is written, and `details[0]` carries `currentVersion` and `current` (with its body) to merge with. 422 when the text is unchanged or the protocol is superseded. A new version of an approved protocol is a draft again. The text is merged into the live draft as an edit made on `baseVersion`, so what others typed there since stays; the new version is the merged text (the text sent, when nobody else was editing).",
        tag: "protocols",
        body: SaveVersionInput,
        // A POST's 409 may also be its Idempotency-Key's, so it is the shared Conflict (the generator adds it).
        responses: { 201: json("The new version.", ProtocolVersionJson) },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/protocols/{protocolId}/draft/versions": {
      post: {
        operationId: "saveDraftVersion",
        summary: "Save the live draft as the next version (contributor or lead)",
        description:
          "The new version is the live draft's text as the server holds it (the protocol's `draft`). 422 when it is the current version's text or the protocol is superseded. A new version of an approved protocol is a draft again.",
        tag: "protocols",
        body: SaveDraftVersionInput,
        responses: { 201: json("The new version.", ProtocolVersionJson) },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/protocols/{protocolId}/versions/{version}": {
      get: {
        operationId: "getProtocolVersion",
        summary: "One version of the protocol, rendered",
        tag: "protocols",
        responses: { 200: json("The version.", ProtocolVersionJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/protocols/{protocolId}/diff": {
      get: {
        operationId: "diffProtocolVersions",
        summary: "Line-by-line differences between two versions",
        tag: "protocols",
        query: DiffQuery,
        responses: { 200: json("The differences from `from` to `to`.", ProtocolDiffJson) },
        errors: [400, 404],
      },
    },
    "/api/v1/workspaces/{ws}/protocols/{protocolId}/fork": {
      post: {
        operationId: "forkProtocol",
        summary: "Fork the protocol into another workspace where the caller is a contributor or lead",
        description:
          "The fork starts as a draft whose version 1 is the chosen version's text, and remembers its origin in `forkedFrom`. 404 when the caller is not a member of the target workspace, 403 when only an observer there.",
        tag: "protocols",
        body: ForkProtocolInput,
        responses: { 201: json("The fork, in the target workspace.", ProtocolJson) },
        errors: [404],
      },
    },
  },
};
