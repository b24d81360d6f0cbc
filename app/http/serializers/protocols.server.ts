/** How the API writes protocols and their versions: ids as strings, times as ISO 8601 UTC. */
import type { ProtocolDiff, ProtocolSummary, ProtocolView, VersionSummary, VersionView } from "#app/services/protocols.server.ts";

export const protocolSummaryJson = (p: ProtocolSummary) => ({
  id: p.id,
  title: p.title,
  status: p.status,
  version: p.version,
  approvedVersion: p.approvedVersion,
  forkedFrom: p.forkedFrom,
  updatedAt: p.updatedAt.toISOString(),
});

export const versionSummaryJson = (v: VersionSummary) => ({
  version: v.version,
  note: v.note,
  author: v.author,
  createdAt: v.createdAt.toISOString(),
});

export const versionJson = (v: VersionView) => ({
  protocolId: v.protocolId,
  ...versionSummaryJson(v),
  body: v.body,
  html: v.html,
  headings: v.headings,
});

export const protocolJson = (p: ProtocolView) => ({
  ...protocolSummaryJson(p),
  workspaceId: p.workspaceId,
  body: p.current.body,
  html: p.current.html,
  headings: p.current.headings,
  currentVersion: versionSummaryJson(p.current),
  approvedBy: p.approvedBy,
  approvedAt: p.approvedAt?.toISOString() ?? null,
  createdBy: p.createdBy,
  createdAt: p.createdAt.toISOString(),
});

export const protocolDiffJson = (d: ProtocolDiff) => ({
  from: versionSummaryJson(d.from),
  to: versionSummaryJson(d.to),
  added: d.diff.added,
  removed: d.diff.removed,
  lines: d.diff.lines,
});
