/** Protocols, their versions and forks: input rules shared by the forms and the JSON API, and the API's answers. */
import { z } from "zod";
import { PROTOCOL_STATUSES } from "#app/domain/protocol-status.ts";
import { requestShape, responseShape } from "./components.ts";
import { StaleVersionBody } from "./errors.ts";
import { Count, Id, IsoTime, NullableIsoTime, PersonJson, VersionEntryJson } from "./json.ts";
import { PageQuery, Paged } from "./paging.ts";

export const MAX_PROTOCOL_BODY = 200_000;

const title = z
  .string({ error: "Give the protocol a title." })
  .trim()
  .min(1, "Give the protocol a title.")
  .max(300, "A title has at most 300 characters.");

// Browsers send a textarea's line breaks as CRLF; one convention keeps diffs about content.
const body = z
  .string({ error: "The text must be a string of markdown." })
  .max(MAX_PROTOCOL_BODY, `A protocol's text has at most ${MAX_PROTOCOL_BODY.toLocaleString("en")} characters.`)
  .transform((v) => v.replace(/\r\n?/g, "\n"));

// An empty note is no note.
const note = z
  .string({ error: "A note must be text." })
  .trim()
  .max(500, "A note has at most 500 characters.")
  .transform((v) => (v === "" ? null : v))
  .nullable()
  .optional();

const versionNumber = (field: string) =>
  z.coerce
    .number({ error: `${field} must be a version number.` })
    .int(`${field} must be a version number.`)
    .min(1, `${field} must be a version number.`);

export const protocolStatus = z.enum(PROTOCOL_STATUSES, { error: `A status is one of: ${PROTOCOL_STATUSES.join(", ")}.` });

export const CreateProtocolInput = requestShape("CreateProtocolInput", z.object({ title, body: body.default(""), note }));

export const UpdateProtocolInput = requestShape(
  "UpdateProtocolInput",
  z
    .object({
      title: title.optional(),
      status: protocolStatus.optional(),
      baseVersion: versionNumber("baseVersion").describe("The version the change is based on: the protocol's current version."),
    })
    .refine((v) => v.title !== undefined || v.status !== undefined, { message: "Send a title or a status to change." }),
);

export const SaveVersionInput = requestShape(
  "SaveVersionInput",
  z.object({
    body,
    baseVersion: versionNumber("baseVersion").describe("The version this text was edited from; 409 when it is no longer the current one."),
    note,
  }),
);

export const ForkProtocolInput = requestShape(
  "ForkProtocolInput",
  z.object({
    workspaceId: z.string({ error: "Choose the workspace to fork into." }).trim().min(1, "Choose the workspace to fork into."),
    version: versionNumber("version").optional().describe("The version to fork; the current one when left out."),
  }),
);

export const ProtocolListQuery = PageQuery.extend({ status: protocolStatus.optional() });

export const VersionsQuery = z.object({
  before: versionNumber("before").optional().describe("Versions older than this one: the previous page's nextCursor."),
  limit: z.coerce.number({ error: "limit must be a number." }).int().min(1).max(200).default(50),
});

export const DiffQuery = z.object({
  from: versionNumber("from").describe("The older version (shown as removed)."),
  to: versionNumber("to").describe("The newer version (shown as added)."),
});

// Answers

export const ForkOriginJson = responseShape("ForkOrigin", z.object({ protocolId: Id, workspaceId: Id, version: Count }));

export const ProtocolHeadingJson = responseShape(
  "ProtocolHeading",
  z
    .object({ id: z.string(), text: z.string(), level: z.int().min(1).max(6) })
    .describe("A section: its anchor id (stable across versions while the heading keeps its text), text and level."),
);

const rendered = {
  body: z.string().describe("The markdown as written."),
  html: z.string().describe("The markdown rendered to sanitised HTML; headings carry their anchor ids."),
  headings: z.array(ProtocolHeadingJson),
};

export const ProtocolSummaryJson = responseShape(
  "ProtocolSummary",
  z.object({
    id: Id,
    title: z.string(),
    status: z.enum(PROTOCOL_STATUSES),
    version: Count.describe("The current version; send it back as baseVersion when editing."),
    approvedVersion: Count.nullable().describe("The version a lead approved last."),
    forkedFrom: ForkOriginJson.nullable().describe("Where this protocol was forked from, or null."),
    updatedAt: IsoTime,
  }),
);

export const ProtocolListJson = responseShape("ProtocolList", Paged(ProtocolSummaryJson).describe("The workspace's protocols, by title."));

export const ProtocolVersionListJson = responseShape(
  "ProtocolVersionList",
  Paged(VersionEntryJson).describe("Versions, newest first; nextCursor is the `before` for the next page."),
);

export const ProtocolVersionJson = responseShape("ProtocolVersion", VersionEntryJson.extend({ protocolId: Id, ...rendered }));

export const LiveDraftJson = responseShape(
  "LiveDraft",
  z
    .object({
      sinceVersion: Count.describe("The version the draft started from or was last cut into."),
      editedBy: z.array(PersonJson).describe("Who has edited the draft since that version, most recent first."),
      editedAt: NullableIsoTime.describe("The last edit; null while nobody has edited since the version."),
    })
    .describe("Who is writing the live draft: shown as “draft since version N, edited by …”."),
);

export const ProtocolJson = responseShape(
  "Protocol",
  ProtocolSummaryJson.extend({
    workspaceId: Id,
    ...rendered,
    currentVersion: VersionEntryJson,
    approvedBy: PersonJson.nullable(),
    approvedAt: NullableIsoTime,
    createdBy: PersonJson,
    createdAt: IsoTime,
    draft: z
      .string()
      .describe("The live draft's text, as members are editing it now (the current version's text while nobody has edited since)."),
    liveDraft: LiveDraftJson,
  }).describe(
    "A protocol with its current version and its live draft. A 409 on an edit carries the current version in `details[0].current`.",
  ),
);

/** What a 409 on a protocol edit carries as `current`: the current version's text, to merge with. */
export const ProtocolCurrentJson = responseShape(
  "ProtocolCurrent",
  VersionEntryJson.extend({ title: z.string(), status: z.enum(PROTOCOL_STATUSES), body: z.string() }),
);

export const ProtocolDiffJson = responseShape(
  "ProtocolDiff",
  z.object({
    from: VersionEntryJson,
    to: VersionEntryJson,
    added: Count.describe("Lines added."),
    removed: Count.describe("Lines removed."),
    lines: z.array(
      z.object({
        kind: z.enum(["same", "added", "removed"]),
        oldNumber: Count.nullable(),
        newNumber: Count.nullable(),
        text: z.string(),
        parts: z
          .array(z.object({ text: z.string(), changed: z.boolean() }))
          .optional()
          .describe("For an edited line: its words, `changed` marking those that differ from the paired line."),
      }),
    ),
  }),
);

export const ProtocolConflictJson = responseShape(
  "ProtocolConflict",
  StaleVersionBody(ProtocolCurrentJson).describe(
    "A stale baseVersion: `details[0].current` is the current version with its text, to merge with; nothing was saved.",
  ),
);

/** "Save version" of the live draft: the text is the draft's as the server holds it. */
export const SaveDraftVersionInput = requestShape("SaveDraftVersionInput", z.object({ note }));
