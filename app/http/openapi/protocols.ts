/** Protocols: versioned markdown documents, their versions, diffs and forks. */
import { PROTOCOL_STATUSES } from "#app/domain/protocol-status.ts";
import {
  CreateProtocolInput,
  DiffQuery,
  ForkProtocolInput,
  ProtocolListQuery,
  SaveVersionInput,
  UpdateProtocolInput,
  VersionsQuery,
} from "#app/schemas/protocols.ts";
import { type ApiSection, dateTime, id, listOf, ref, requestSchema } from "#app/http/openapi/builder.ts";

const person = { type: "object", required: ["id", "name"], properties: { id: id(), name: { type: "string" } } };
const nullableString = { type: ["string", "null"] };
const status = { type: "string", enum: [...PROTOCOL_STATUSES] };

const summaryProperties = {
  id: id(),
  title: { type: "string" },
  status,
  version: { type: "integer", description: "The current version; send it back as baseVersion when editing." },
  approvedVersion: { type: ["integer", "null"], description: "The version a lead approved last." },
  forkedFrom: {
    oneOf: [{ type: "null" }, ref("ForkOrigin")],
    description: "Where this protocol was forked from, or null.",
  },
  updatedAt: dateTime(),
};

const versionSummaryProperties = {
  version: { type: "integer" },
  note: nullableString,
  author: person,
  createdAt: dateTime(),
};

const rendered = {
  body: { type: "string", description: "The markdown as written." },
  html: { type: "string", description: "The markdown rendered to sanitised HTML; headings carry their anchor ids." },
  headings: { type: "array", items: ref("ProtocolHeading") },
};

export const protocolsSection: ApiSection = {
  tags: [{ name: "protocols", description: "Versioned protocols: every save is a new version; stale edits get 409" }],
  pathParameters: { protocolId: "The protocol id.", version: "A version number (1, 2, …)." },
  requestBodies: () => ({
    CreateProtocolInput: requestSchema(CreateProtocolInput),
    UpdateProtocolInput: requestSchema(UpdateProtocolInput),
    SaveVersionInput: requestSchema(SaveVersionInput),
    ForkProtocolInput: requestSchema(ForkProtocolInput),
  }),
  responseSchemas: () => ({
    ForkOrigin: {
      type: "object",
      required: ["protocolId", "workspaceId", "version"],
      properties: { protocolId: id(), workspaceId: id(), version: { type: "integer" } },
    },
    ProtocolHeading: {
      type: "object",
      description: "A section: its anchor id (stable across versions while the heading keeps its text), text and level.",
      required: ["id", "text", "level"],
      properties: { id: { type: "string" }, text: { type: "string" }, level: { type: "integer", minimum: 1, maximum: 6 } },
    },
    ProtocolSummary: { type: "object", required: Object.keys(summaryProperties), properties: summaryProperties },
    ProtocolList: listOf("ProtocolSummary", "The workspace's protocols, by title."),
    ProtocolVersionSummary: { type: "object", required: Object.keys(versionSummaryProperties), properties: versionSummaryProperties },
    ProtocolVersionList: listOf("ProtocolVersionSummary", "Versions, newest first; nextCursor is the `before` for the next page."),
    ProtocolVersion: {
      type: "object",
      required: ["protocolId", ...Object.keys(versionSummaryProperties), ...Object.keys(rendered)],
      properties: { protocolId: id(), ...versionSummaryProperties, ...rendered },
    },
    Protocol: {
      type: "object",
      required: [...Object.keys(summaryProperties), "workspaceId", "body", "html", "headings", "currentVersion", "createdBy", "createdAt"],
      properties: {
        ...summaryProperties,
        workspaceId: id(),
        ...rendered,
        currentVersion: ref("ProtocolVersionSummary"),
        approvedBy: { oneOf: [{ type: "null" }, person] },
        approvedAt: { type: ["string", "null"], format: "date-time" },
        createdBy: person,
        createdAt: dateTime(),
      },
      description:
        "A protocol with its current version. A 409 on an edit carries `details[0].currentVersion` and `details[0].current` ({version, title, status, body, note, author, createdAt}).",
    },
    ProtocolDiff: {
      type: "object",
      required: ["from", "to", "added", "removed", "lines"],
      properties: {
        from: ref("ProtocolVersionSummary"),
        to: ref("ProtocolVersionSummary"),
        added: { type: "integer", description: "Lines added." },
        removed: { type: "integer", description: "Lines removed." },
        lines: {
          type: "array",
          items: {
            type: "object",
            required: ["kind", "oldNumber", "newNumber", "text"],
            properties: {
              kind: { type: "string", enum: ["same", "added", "removed"] },
              oldNumber: { type: ["integer", "null"] },
              newNumber: { type: ["integer", "null"] },
              text: { type: "string" },
              parts: {
                type: "array",
                description: "For an edited line: its words, `changed` marking those that differ from the paired line.",
                items: { type: "object", properties: { text: { type: "string" }, changed: { type: "boolean" } } },
              },
            },
          },
        },
      },
    },
  }),
  paths: {
    "/api/v1/workspaces/{ws}/protocols": {
      get: {
        operationId: "listProtocols",
        summary: "List the workspace's protocols",
        tag: "protocols",
        query: ProtocolListQuery,
        success: { status: 200, description: "The protocols, by title.", schema: "ProtocolList" },
        errors: [400, 404],
      },
      post: {
        operationId: "createProtocol",
        summary: "Create a protocol (contributor or lead); its text becomes version 1",
        tag: "protocols",
        body: "CreateProtocolInput",
        success: { status: 201, description: "The new protocol, a draft.", schema: "Protocol" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/protocols/{protocolId}": {
      get: {
        operationId: "getProtocol",
        summary: "A protocol with its current version, rendered",
        tag: "protocols",
        success: { status: 200, description: "The protocol.", schema: "Protocol" },
        errors: [404],
      },
      patch: {
        operationId: "updateProtocol",
        summary: "Rename a protocol (contributor or lead) or change its status (lead only)",
        description:
          "`baseVersion` must be the current version, so a lead approves exactly the text they read (else 409). Status changes: draft → approved or superseded; approved → superseded or back to draft; superseded → draft (else 422).",
        tag: "protocols",
        body: "UpdateProtocolInput",
        success: { status: 200, description: "The protocol after the change.", schema: "Protocol" },
        errors: [404, 409, 422],
      },
    },
    "/api/v1/workspaces/{ws}/protocols/{protocolId}/versions": {
      get: {
        operationId: "listProtocolVersions",
        summary: "The protocol's versions, newest first",
        tag: "protocols",
        query: VersionsQuery,
        success: { status: 200, description: "A page of versions.", schema: "ProtocolVersionList" },
        errors: [400, 404],
      },
      post: {
        operationId: "saveProtocolVersion",
        summary: "Save a new version of the text (contributor or lead)",
        description:
          "409 when `baseVersion` is not the current version: nothing is written, and `details[0]` carries `currentVersion` and `current` (with its body) to merge with. 422 when the text is unchanged or the protocol is superseded. A new version of an approved protocol is a draft again.",
        tag: "protocols",
        body: "SaveVersionInput",
        success: { status: 201, description: "The new version.", schema: "ProtocolVersion" },
        errors: [404, 409, 422],
      },
    },
    "/api/v1/workspaces/{ws}/protocols/{protocolId}/versions/{version}": {
      get: {
        operationId: "getProtocolVersion",
        summary: "One version of the protocol, rendered",
        tag: "protocols",
        success: { status: 200, description: "The version.", schema: "ProtocolVersion" },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/protocols/{protocolId}/diff": {
      get: {
        operationId: "diffProtocolVersions",
        summary: "Line-by-line differences between two versions",
        tag: "protocols",
        query: DiffQuery,
        success: { status: 200, description: "The differences from `from` to `to`.", schema: "ProtocolDiff" },
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
        body: "ForkProtocolInput",
        success: { status: 201, description: "The fork, in the target workspace.", schema: "Protocol" },
        errors: [404],
      },
    },
  },
};
