/**
 * A lead's export of a whole workspace as one ZIP archive: every record the
 * workspace owns as JSON (one file per table, found by following foreign keys
 * from the workspace, so new areas are included without changes here), the
 * audit trail and each dataset version as CSV. The export is itself recorded.
 */
import JSZip from "jszip";
import { and, eq, getTableColumns, inArray } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { getDb } from "#db/client.ts";
import { describeTables, type TableInfo } from "#db/schema/tables.ts";
import type { PublicUser } from "./accounts.server.ts";
import { auditTrailCsv } from "./audit.server.ts";
import { exportDatasetCsv } from "./dataset-views.server.ts";
import { writeTransaction } from "./events.server.ts";
import { listMembers } from "./members.server.ts";
import { liveDraftText } from "./protocol-draft-store.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { getWorkspace } from "./workspaces.server.ts";
import { plainTextLine } from "#app/domain/generated-text.ts";

/**
 * Tables that never leave in an export: other people's secrets and inboxes,
 * and what is exported in a better form (events and dataset rows as CSV).
 */
const NOT_EXPORTED = new Set([
  "users",
  "sessions",
  "access_tokens",
  "invitations",
  "notifications",
  "email_preferences",
  "email_outbox",
  "server_secrets",
  "events",
  "dataset_rows",
  "dataset_sources",
  // A live draft is Yjs bytes: exported as its text (drafts/*.md) instead.
  "protocol_drafts",
  "protocol_draft_updates",
  "__drizzle_migrations",
]);

type Row = Record<string, unknown>;

/** A row as the archive stores it: SQL column names, times as milliseconds since the epoch (README.txt says so). */
function archived(row: Row, info: TableInfo): Row {
  return Object.fromEntries(
    info.columns.map(({ key, name }) => {
      const value = row[key];
      return [name, value instanceof Date ? value.getTime() : value];
    }),
  );
}

/** Each exported table's rows that belong to the workspace: directly, or through a parent that does. */
async function workspaceRows(workspaceId: string): Promise<Record<string, Row[]>> {
  const db = getDb();
  const tables = describeTables().filter((t) => !NOT_EXPORTED.has(t.name) && t.name !== "workspaces" && t.name !== "memberships");
  const owned = new Map<string, Set<unknown>>();
  const out: Record<string, Row[]> = {};
  // Parents before children: repeat until no table gains rows (the graph is shallow).
  for (let pass = 0; pass < 4; pass++) {
    for (const info of tables) {
      if (out[info.name]) continue;
      const column = (key: string) => getTableColumns(info.table)[key];
      let rows: Row[] | null = null;
      if (column("workspaceId")) {
        // A dataset still being imported (or cut off by a crash) is not part of the workspace yet.
        const ready = info.name === "datasets" ? eq(column("status"), "ready") : undefined;
        rows = await db
          .select()
          .from(info.table as PgTable)
          .where(and(eq(column("workspaceId"), workspaceId), ready));
      } else {
        const link = info.references.find((ref) => owned.has(ref.foreignTable));
        if (link) {
          const ids = [...owned.get(link.foreignTable)!];
          rows = ids.length
            ? await db
                .select()
                .from(info.table as PgTable)
                .where(inArray(column(link.key), ids))
            : [];
        }
      }
      if (rows) {
        out[info.name] = rows.map((row) => archived(row, info));
        if (column("id")) owned.set(info.name, new Set(rows.map((r) => r.id)));
      }
    }
  }
  return out;
}

export async function exportWorkspaceArchive(actor: PublicUser, workspaceId: string): Promise<{ fileName: string; zip: Buffer }> {
  await requireWorkspaceRole(actor.id, workspaceId, "lead");
  const workspace = await getWorkspace(actor, workspaceId);
  await writeTransaction(
    async ({ record }) =>
      await record({
        workspaceId,
        actorId: actor.id,
        type: "workspace.exported",
        target: { type: "workspace", id: workspaceId },
        payload: { format: "zip" },
      }),
  );
  const zip = new JSZip();
  const exportedAt = new Date().toISOString();
  zip.file(
    "README.txt",
    [
      `Export of the Consilience workspace “${plainTextLine(workspace.name)}”, taken ${exportedAt} by ${plainTextLine(actor.name)}.`,
      "",
      "workspace.json   the workspace and its members with their roles",
      "records/*.json   every record the workspace owns, one file per table, as stored",
      "audit-trail.csv  every change, who and when, with before/after (this export included)",
      "datasets/*.csv   each dataset version as harmonised values (headers say unit and conversion)",
      "drafts/*.md      each protocol's live draft as it stood (by protocol id), where someone opened it",
      "",
      "Times in records are milliseconds since 1970-01-01 UTC; in the CSV files, ISO 8601 UTC.",
    ].join("\n"),
  );
  zip.file(
    "workspace.json",
    JSON.stringify({ workspace, members: await listMembers(actor, workspaceId), exportedAt, exportedBy: actor }, null, 2),
  );
  const records = await workspaceRows(workspaceId);
  for (const [table, rows] of Object.entries(records)) zip.file(`records/${table}.json`, JSON.stringify(rows, null, 2));
  zip.file("audit-trail.csv", await auditTrailCsv(workspaceId));
  for (const protocol of records.protocols ?? []) {
    const text = await liveDraftText(getDb(), String(protocol.id));
    if (text !== null) zip.file(`drafts/${protocol.id}.md`, text);
  }
  for (const dataset of records.datasets ?? []) {
    const { fileName, csv } = await exportDatasetCsv(actor, workspaceId, String(dataset.id));
    zip.file(`datasets/${fileName}`, csv);
  }
  const buffer = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
  const safeName = workspace.name.replace(/[^\w.-]+/g, "_").slice(0, 60) || "workspace";
  return { fileName: `${safeName}-${exportedAt.slice(0, 10)}.zip`, zip: buffer };
}
