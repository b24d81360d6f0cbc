/** Input rules for protocols, their versions and forks: shared by the forms and the JSON API. */
import { PageQuery } from "./paging.ts";
import { z } from "zod";
import { PROTOCOL_STATUSES } from "#app/domain/protocol-status.ts";

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

export const CreateProtocolInput = z.object({ title, body: body.default(""), note });

export const UpdateProtocolInput = z
  .object({
    title: title.optional(),
    status: protocolStatus.optional(),
    baseVersion: versionNumber("baseVersion").describe("The version the change is based on: the protocol's current version."),
  })
  .refine((v) => v.title !== undefined || v.status !== undefined, { message: "Send a title or a status to change." });

export const SaveVersionInput = z.object({
  body,
  baseVersion: versionNumber("baseVersion").describe("The version this text was edited from; 409 when it is no longer the current one."),
  note,
});

export const ForkProtocolInput = z.object({
  workspaceId: z.string({ error: "Choose the workspace to fork into." }).trim().min(1, "Choose the workspace to fork into."),
  version: versionNumber("version").optional().describe("The version to fork; the current one when left out."),
});

export const ProtocolListQuery = PageQuery.extend({ status: protocolStatus.optional() });

export const VersionsQuery = z.object({
  before: versionNumber("before").optional().describe("Versions older than this one: the previous page's nextCursor."),
  limit: z.coerce.number({ error: "limit must be a number." }).int().min(1).max(200).default(50),
});

export const DiffQuery = z.object({
  from: versionNumber("from").describe("The older version (shown as removed)."),
  to: versionNumber("to").describe("The newer version (shown as added)."),
});
