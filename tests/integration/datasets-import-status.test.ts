/**
 * An import writes its rows in chunks behind an "importing" status. Until it
 * finishes, nobody sees the dataset; a dataset a crash left "importing" is
 * removed when the server starts again. The unfinished import is set up in the
 * database directly (as a crash, or an import half-way, would leave it).
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient, workspaceWithRoles } from "#tests/support/api.ts";
import { studyWithDefaultPanel, uploadDataset } from "#tests/support/datasets.ts";
import type { TestDatabase } from "#tests/support/database.ts";
import { useServer } from "#tests/support/server.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;

const CSV = ["participant_id,arm,CRP (mg/L)", "P1,infliximab,1.2", "P2,placebo,3.4"].join("\n");

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
});

/** What an import half-way through has written: the dataset row marked "importing", its source and some rows. */
async function leaveUnfinishedImport(db: TestDatabase, study: { id: string; name: string; version: number }): Promise<string> {
  const id = randomUUID();
  // Another dataset of the workspace lends the columns the import would have written by now.
  const template = await db.one<Record<string, unknown>>(
    "SELECT * FROM datasets WHERE workspace_id = (SELECT workspace_id FROM studies WHERE id = ?) LIMIT 1",
    [study.id],
  );
  if (!template) throw new Error("leaveUnfinishedImport needs a finished dataset in the workspace to copy");
  await db.query(
    `INSERT INTO datasets (id, workspace_id, study_id, name, kind, version, status, row_count, columns, warnings, summary,
       source_file_name, source_format, source_bytes, source_sha256, uploaded_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'importing', 5000, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      template.workspace_id,
      study.id,
      study.name,
      template.kind,
      study.version,
      template.columns,
      template.warnings,
      template.summary,
      template.source_file_name,
      template.source_format,
      template.source_bytes,
      template.source_sha256,
      template.uploaded_by,
      new Date(template.created_at as number),
    ],
  );
  await db.query("INSERT INTO dataset_sources (dataset_id, content) VALUES (?, ?)", [id, Buffer.from(CSV)]);
  for (let i = 0; i < 3; i++) {
    await db.query('INSERT INTO dataset_rows (dataset_id, row_index, participant_id, arm, "values") VALUES (?, ?, ?, ?, ?)', [
      id,
      i,
      `Q${i}`,
      "placebo",
      JSON.stringify([`Q${i}`, "placebo", 9.9]),
    ]);
  }
  return id;
}

/** What is left of a dataset in the database: its row, its rows, its source. */
const left = async (db: TestDatabase, id: string) => ({
  datasets: await db.count("datasets", "id = ?", [id]),
  rows: await db.count("dataset_rows", "dataset_id = ?", [id]),
  sources: await db.count("dataset_sources", "dataset_id = ?", [id]),
});

describe("a dataset being imported", () => {
  it("is invisible to every reader until it is finished", async () => {
    const { studyId } = await studyWithDefaultPanel(team.lead.api, team.workspaceId, "Import visibility trial");
    const first = await uploadDataset(team.contributor.api, team.workspaceId, studyId, CSV, { name: "Baseline labs" });
    expect(first.status).toBe(201);
    // An unfinished import holds a negative placeholder version until it is finished.
    const importing = await leaveUnfinishedImport(server.database, { id: studyId, name: "Baseline labs", version: -1 });
    const { studyId: emptyStudyId } = await studyWithDefaultPanel(team.lead.api, team.workspaceId, "Import only trial");
    await leaveUnfinishedImport(server.database, { id: emptyStudyId, name: "Not yet", version: -1 });

    for (const path of [
      `/datasets/${importing}`,
      `/datasets/${importing}/rows?offset=0&limit=10`,
      `/datasets/${importing}/summary`,
      `/datasets/${importing}/export.csv`,
    ]) {
      expect((await team.observer.api.get(ws() + path)).status, path).toBe(404);
    }
    const study = await team.observer.api.get(`${ws()}/studies/${studyId}`);
    expect(study.body.datasets).toEqual([{ id: first.body.id, name: "Baseline labs", version: 1, rowCount: 2 }]);
    expect((await team.observer.api.get(`${ws()}/studies/${emptyStudyId}`)).body.datasets).toEqual([]);

    const comment = await team.contributor.api.post(`${ws()}/comments`, {
      target: { type: "dataset", id: importing },
      body: "Is this complete?",
    });
    expect(comment.status).toBe(404);

    const profile = await team.contributor.api.post(`${ws()}/profiles`, {
      name: "High CRP",
      criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 3, unit: "mg/L" }] },
    });
    expect(profile.status).toBe(201);
    const counts = await team.observer.api.get(`${ws()}/profiles/${profile.body.id}/counts`);
    expect(counts.status).toBe(200);
    expect(counts.body.items.map((d: { datasetId: string }) => d.datasetId)).toEqual([first.body.id]);

    const dashboard = await team.lead.api.get(`${ws()}/dashboard`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.health.studiesWithoutData.map((s: { id: string }) => s.id)).toContain(emptyStudyId);

    // The next finished upload of the same name takes the next real version.
    const second = await uploadDataset(team.contributor.api, team.workspaceId, studyId, CSV, { name: "Baseline labs" });
    expect(second.status).toBe(201);
    expect(second.body.version).toBe(2);
    const events = await team.lead.api.get(`${ws()}/events?limit=1000`);
    const imported = events.body.items
      .filter((e: { type: string }) => e.type === "dataset.imported")
      .map((e: { target: { id: string } }) => e.target.id);
    expect(imported).not.toContain(importing);
  });

  it("is removed with its rows and source when a crash left it unfinished and the server starts again", async () => {
    const { studyId } = await studyWithDefaultPanel(team.lead.api, team.workspaceId, "Crash trial");
    const finished = await uploadDataset(team.contributor.api, team.workspaceId, studyId, CSV, { name: "Week 8 labs" });
    expect(finished.status).toBe(201);
    const crashed = await leaveUnfinishedImport(server.database, { id: studyId, name: "Week 8 labs", version: -1 });
    expect(await left(server.database, crashed)).toEqual({ datasets: 1, rows: 3, sources: 1 });

    await server.restart();

    expect(await left(server.database, crashed)).toEqual({ datasets: 0, rows: 0, sources: 0 });
    const observer = new ApiClient(server.url, team.observer.token);
    const kept = await observer.get(`${ws()}/datasets/${finished.body.id}/rows?offset=0&limit=10`);
    expect(kept.status).toBe(200);
    expect(kept.body.total).toBe(2);
  });
});
