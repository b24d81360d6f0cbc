/** How the API writes protocols, their versions and diffs. */
import type { z } from "zod";
import type { Heading } from "#app/domain/markdown.ts";
import type { ProtocolStatus } from "#app/domain/protocol-status.ts";
import type { TextDiff } from "#app/domain/text-diff.ts";
import type {
  ProtocolCurrentJson,
  ProtocolDiffJson,
  ProtocolJson,
  ProtocolSummaryJson,
  ProtocolVersionJson,
} from "#app/schemas/protocols.ts";
import type { Person } from "./accounts.ts";

/** The live draft beside the versions (the same shape the drafts' store reads). */
export interface LiveDraftView {
  text: string;
  sinceVersion: number;
  editedBy: Person[];
  editedAt: Date | null;
}
import { type VersionEntry, versionEntryJson } from "./versions.ts";

export type VersionSummary = VersionEntry;

export interface VersionView extends VersionSummary {
  protocolId: string;
  body: string;
  html: string;
  headings: Heading[];
}

export interface ProtocolSummary {
  id: string;
  title: string;
  status: ProtocolStatus;
  version: number;
  approvedVersion: number | null;
  forkedFrom: { protocolId: string; workspaceId: string; version: number } | null;
  updatedAt: Date;
}

export interface ProtocolView extends ProtocolSummary {
  workspaceId: string;
  approvedBy: Person | null;
  approvedAt: Date | null;
  createdBy: Person;
  createdAt: Date;
  /** The current version, rendered. */
  current: VersionView;
  /** The live text members edit together, and who has edited it since `sinceVersion`. */
  draft: LiveDraftView;
}

export interface ProtocolDiff {
  from: VersionSummary;
  to: VersionSummary;
  diff: TextDiff;
}

/** What a 409 on a stale protocol edit carries, so the client can show both texts and merge. */
export interface ConflictDetail {
  message: string;
  currentVersion: number;
  current: z.output<typeof ProtocolCurrentJson>;
}

export const protocolSummaryJson = (p: ProtocolSummary): z.output<typeof ProtocolSummaryJson> => ({
  id: p.id,
  title: p.title,
  status: p.status,
  version: p.version,
  approvedVersion: p.approvedVersion,
  forkedFrom: p.forkedFrom,
  updatedAt: p.updatedAt.toISOString(),
});

export const versionSummaryJson = versionEntryJson;

export const versionJson = (v: VersionView): z.output<typeof ProtocolVersionJson> => ({
  protocolId: v.protocolId,
  ...versionEntryJson(v),
  body: v.body,
  html: v.html,
  headings: v.headings,
});

export const protocolJson = (p: ProtocolView): z.output<typeof ProtocolJson> => ({
  ...protocolSummaryJson(p),
  workspaceId: p.workspaceId,
  body: p.current.body,
  html: p.current.html,
  headings: p.current.headings,
  currentVersion: versionEntryJson(p.current),
  approvedBy: p.approvedBy,
  approvedAt: p.approvedAt?.toISOString() ?? null,
  createdBy: p.createdBy,
  createdAt: p.createdAt.toISOString(),
  draft: p.draft.text,
  liveDraft: {
    sinceVersion: p.draft.sinceVersion,
    editedBy: p.draft.editedBy,
    editedAt: p.draft.editedAt?.toISOString() ?? null,
  },
});

/** The current version's text with the protocol's title and status: the `current` of a 409. */
export const protocolCurrentJson = (
  protocol: { title: string; status: ProtocolStatus },
  current: VersionView,
): z.output<typeof ProtocolCurrentJson> => ({
  ...versionEntryJson(current),
  title: protocol.title,
  status: protocol.status,
  body: current.body,
});

export const protocolDiffJson = (d: ProtocolDiff): z.output<typeof ProtocolDiffJson> => ({
  from: versionEntryJson(d.from),
  to: versionEntryJson(d.to),
  added: d.diff.added,
  removed: d.diff.removed,
  lines: d.diff.lines,
});
