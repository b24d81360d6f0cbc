/**
 * What every frozen record (a snapshot, a registration) is made of: its
 * canonical text and hash, its authors as members with their ORCID iDs, and
 * the versions of the studies it rests on.
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { and, asc, eq, inArray } from "drizzle-orm";
import { type Reader } from "#db/client.ts";
import { memberships, panels, studies, users } from "#db/schema.ts";
import type { SnapshotContent } from "#app/domain/snapshots.ts";
import { validationFailed } from "./errors.server.ts";

/** RFC 8785: the same content always gives the same text, and so the same hash. */
export function canonicalText(value: unknown): string {
  return canonicalize(value)!;
}

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export async function studyVersions(db: Reader, studyIds: string[]): Promise<SnapshotContent["studies"]> {
  if (!studyIds.length) return [];
  const rows = await db
    .select({ id: studies.id, title: studies.title, version: studies.version, panelId: studies.panelId })
    .from(studies)
    .where(inArray(studies.id, studyIds))
    .orderBy(asc(studies.title), asc(studies.id));
  const panelIds = [...new Set(rows.map((r) => r.panelId).filter((id): id is string => Boolean(id)))];
  const panelRows = panelIds.length
    ? await db.select({ id: panels.id, name: panels.name, version: panels.version }).from(panels).where(inArray(panels.id, panelIds))
    : [];
  return rows.map((s) => ({
    id: s.id,
    title: s.title,
    version: s.version,
    panel: panelRows.find((p) => p.id === s.panelId) ?? null,
  }));
}

/** The authors, in the order given: members of the workspace, with the ORCID iD each gave in their settings. */
export async function authorsOf(db: Reader, workspaceId: string, ids: string[]) {
  const unique = [...new Set(ids)];
  const rows = unique.length
    ? await db
        .select({ id: users.id, name: users.name, orcid: users.orcid })
        .from(users)
        .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, workspaceId)))
        .where(inArray(users.id, unique))
    : [];
  return unique.map((id, i) => {
    const user = rows.find((r) => r.id === id);
    if (!user) {
      const message = "Authors must be members of this workspace.";
      throw validationFailed(`authors.${i}: ${message}`, [{ field: `authors.${i}`, message }]);
    }
    return { name: user.name, orcid: user.orcid ?? null };
  });
}
