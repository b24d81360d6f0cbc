/**
 * A lead's export of a whole workspace as one ZIP archive: every record the
 * workspace owns as JSON (one file per table, found by following foreign keys
 * from the workspace, so new areas are included without changes here), the
 * audit trail and each dataset version as CSV. The export is itself recorded.
 */
import JSZip from "jszip";
import { sql } from "drizzle-orm";
import { getDb } from "#db/client.ts";
import type { PublicUser } from "./accounts.server.ts";
import { auditTrailCsv } from "./audit.server.ts";
import { exportDatasetCsv } from "./dataset-views.server.ts";
import { writeTransaction } from "./events.server.ts";
import { listMembers } from "./members.server.ts";
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
  "events",
  "dataset_rows",
  "dataset_sources",
  "__drizzle_migrations",
]);

type Row = Record<string, unknown>;

function tableNames(): string[] {
  return getDb()
    .all<{ name: string }>(sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
    .map((t) => t.name);
}

function foreignKeys(table: string): { from: string; table: string }[] {
  return getDb().all<{ from: string; table: string }>(sql`select "from", "table" from pragma_foreign_key_list(${table})`);
}

/** Each exported table's rows that belong to the workspace: directly, or through a parent that does. */
function workspaceRows(workspaceId: string): Record<string, Row[]> {
  const db = getDb();
  const tables = tableNames().filter((t) => !NOT_EXPORTED.has(t) && t !== "workspaces" && t !== "memberships");
  const owned = new Map<string, Set<unknown>>();
  const out: Record<string, Row[]> = {};
  // Parents before children: repeat until no table gains rows (the graph is shallow).
  for (let pass = 0; pass < 4; pass++) {
    for (const table of tables) {
      if (out[table]) continue;
      const columns = db.all<{ name: string }>(sql`select name from pragma_table_info(${table})`).map((c) => c.name);
      let rows: Row[] | null = null;
      if (columns.includes("workspace_id")) {
        // A dataset still being imported (or cut off by a crash) is not part of the workspace yet.
        const ready = columns.includes("status") && table === "datasets" ? sql` and status = 'ready'` : sql``;
        rows = db.all<Row>(sql`select * from ${sql.identifier(table)} where workspace_id = ${workspaceId}${ready}`);
      } else {
        const link = foreignKeys(table).find((fk) => owned.has(fk.table));
        if (link) {
          const ids = [...owned.get(link.table)!];
          rows = ids.length ? db.all<Row>(sql`select * from ${sql.identifier(table)} where ${sql.identifier(link.from)} in ${ids}`) : [];
        }
      }
      if (rows) {
        out[table] = rows;
        if (columns.includes("id")) owned.set(table, new Set(rows.map((r) => r.id)));
      }
    }
  }
  return out;
}

export async function exportWorkspaceArchive(actor: PublicUser, workspaceId: string): Promise<{ fileName: string; zip: Buffer }> {
  requireWorkspaceRole(actor.id, workspaceId, "lead");
  const workspace = getWorkspace(actor, workspaceId);
  writeTransaction(({ record }) =>
    record({
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
      "",
      "Times in records are milliseconds since 1970-01-01 UTC; in the CSV files, ISO 8601 UTC.",
    ].join("\n"),
  );
  zip.file(
    "workspace.json",
    JSON.stringify({ workspace, members: listMembers(actor, workspaceId), exportedAt, exportedBy: actor }, null, 2),
  );
  const records = workspaceRows(workspaceId);
  for (const [table, rows] of Object.entries(records)) zip.file(`records/${table}.json`, JSON.stringify(rows, null, 2));
  zip.file("audit-trail.csv", auditTrailCsv(workspaceId));
  for (const dataset of records.datasets ?? []) {
    const { fileName, csv } = exportDatasetCsv(actor, workspaceId, String(dataset.id));
    zip.file(`datasets/${fileName}`, csv);
  }
  const buffer = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
  const safeName = workspace.name.replace(/[^\w.-]+/g, "_").slice(0, 60) || "workspace";
  return { fileName: `${safeName}-${exportedAt.slice(0, 10)}.zip`, zip: buffer };
}
