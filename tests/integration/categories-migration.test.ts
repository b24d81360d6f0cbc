/**
 * The migration that gave categories their column (0018 on SQLite, 0008 on
 * PostgreSQL) keeps the choices of panels imported before it. A server writes
 * panels; the test then puts the database back as it was before the
 * migration (no categories column, the choices as a `Choices:` line of the
 * description, as the REDCap and ODM imports wrote them, and version
 * snapshots without categories) and forgets the migration was applied; a
 * server started on it migrates again, and the API answers the categories.
 * Runs on the engine of the project (SQLite, or PostgreSQL in
 * integration-postgres).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liftChoicesLine } from "#app/domain/categories.ts";
import { ApiClient, workspaceWithRoles } from "#tests/support/api.ts";
import { TestDatabase } from "#tests/support/database.ts";
import { type StartedServer, startServer } from "#tests/support/server.ts";

let database: TestDatabase;
let server: StartedServer;
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
let panelId: string;
/** The lead and an observer, on the server started after the migration (another port). */
let lead: ApiClient;
let observer: ApiClient;

/** Each biomarker as the panel had it, and the description written before the migration. */
const BEFORE = [
  { code: "sex", valueType: "category", description: "Choices: 1, Male | 2, Female" },
  {
    code: "smoker",
    valueType: "category",
    description: "REDCap label: Do you smoke?\nAsked only if: [age] > 17\nChoices: 0, No, never | 1, Yes, “daily” \\ weekly\r\nAfter.",
  },
  { code: "answer", valueType: "text", description: "Choices: 1, Kept as written" },
  { code: "broken", valueType: "category", description: "Site notes.\nChoices: 1, Twice | 1, Again" },
  { code: "unnamed", valueType: "category", description: "Choices: yes | no" },
  { code: "plain", valueType: "category", description: "No coded answers here." },
  { code: "crp", valueType: "numeric", description: "Choices: 1, not a category" },
] as const;

const panelPath = () => `/api/v1/workspaces/${team.workspaceId}/panels/${panelId}`;
const migrationsTable = () => (database.engine === "sqlite" ? '"__drizzle_migrations"' : 'drizzle."__drizzle_migrations"');

beforeAll(async () => {
  database = await TestDatabase.fresh();
  server = await startServer({}, { database });
  team = await workspaceWithRoles(server.url);
  const panel = await team.lead.api.post(`/api/v1/workspaces/${team.workspaceId}/panels`, { name: "Imported before" });
  panelId = panel.body.id;
  for (const [i, b] of BEFORE.entries()) {
    const added = await team.lead.api.post(`${panelPath()}/biomarkers`, {
      code: b.code,
      label: b.code,
      valueType: b.valueType,
      baseVersion: i + 1,
    });
    expect(added.status).toBe(201);
  }
  await server.stop();

  // The database as migration 0018/0008 found it.
  const applied = await database.appliedMigrations();
  await database.query("ALTER TABLE panel_biomarkers DROP COLUMN categories");
  for (const b of BEFORE) {
    await database.query("UPDATE panel_biomarkers SET description = ? WHERE panel_id = ? AND code = ?", [b.description, panelId, b.code]);
  }
  const snapshots = await database.query<{ id: string; snapshot: string }>("SELECT id, snapshot FROM panel_versions WHERE panel_id = ?", [
    panelId,
  ]);
  for (const { id, snapshot } of snapshots) {
    const parsed = JSON.parse(snapshot) as { biomarkers: Record<string, unknown>[] };
    for (const b of parsed.biomarkers) delete b.categories;
    await database.query("UPDATE panel_versions SET snapshot = ? WHERE id = ?", [JSON.stringify(parsed), id]);
  }
  await database.query(`DELETE FROM ${migrationsTable()} WHERE created_at = (SELECT max(created_at) FROM ${migrationsTable()})`);
  expect(await database.appliedMigrations()).toBe(applied - 1);

  server = await startServer({}, { database });
  expect(await database.appliedMigrations()).toBe(applied);
  lead = new ApiClient(server.url, team.lead.token);
  observer = new ApiClient(server.url, team.observer.token);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.dispose();
});

async function biomarkers() {
  const panel = await observer.get(panelPath());
  expect(panel.status).toBe(200);
  return new Map(
    (panel.body.biomarkers as { code: string; categories: unknown; description: string; id: string }[]).map((b) => [b.code, b]),
  );
}

describe("the migration that gave categories their column", () => {
  it("moves a category biomarker's Choices line into its categories and takes it out of the description", async () => {
    const after = await biomarkers();
    expect(after.get("sex")).toMatchObject({
      categories: [
        { code: "1", label: "Male" },
        { code: "2", label: "Female" },
      ],
      description: "",
    });
    expect(after.get("smoker")).toMatchObject({
      categories: [
        { code: "0", label: "No, never" },
        { code: "1", label: "Yes, “daily” \\ weekly" },
      ],
      description: "REDCap label: Do you smoke?\nAsked only if: [age] > 17\nAfter.",
    });
  });

  it("leaves alone a line that does not read as categories, and every biomarker that is not a category", async () => {
    const after = await biomarkers();
    for (const code of ["answer", "broken", "unnamed", "plain", "crp"]) {
      expect(after.get(code), code).toMatchObject({ categories: [], description: BEFORE.find((b) => b.code === code)!.description });
    }
  });

  it("does in SQL what the application does when it reads an old dictionary file", async () => {
    const after = await biomarkers();
    for (const b of BEFORE) {
      const lifted = b.valueType === "category" ? liftChoicesLine(b.description) : null;
      expect({ categories: after.get(b.code)!.categories, description: after.get(b.code)!.description }, b.code).toEqual(
        lifted ?? { categories: [], description: b.description },
      );
    }
  });

  it("stores the categories as the application writes JSON", async () => {
    const rows = await database.query<{ code: string; categories: string }>(
      "SELECT code, categories FROM panel_biomarkers WHERE panel_id = ? ORDER BY position",
      [panelId],
    );
    expect(Object.fromEntries(rows.map((r) => [r.code, r.categories]))).toEqual({
      sex: '[{"code":"1","label":"Male"},{"code":"2","label":"Female"}]',
      smoker: JSON.stringify([
        { code: "0", label: "No, never" },
        { code: "1", label: "Yes, “daily” \\ weekly" },
      ]),
      answer: "[]",
      broken: "[]",
      unnamed: "[]",
      plain: "[]",
      crp: "[]",
    });
  });

  it("leaves migrated biomarkers editable and exportable, and earlier versions readable", async () => {
    const sex = (await biomarkers()).get("sex")!;
    const current = (await lead.get(panelPath())).body.version as number;
    const edited = await lead.patch(`${panelPath()}/biomarkers/${sex.id}`, { label: "Sex at birth", baseVersion: current });
    expect(edited.status).toBe(200);
    expect(edited.body.categories).toHaveLength(2);
    const redcap = await observer.get(`${panelPath()}/redcap-dictionary.csv`);
    expect(redcap.body).toContain('sex,imported_before,,dropdown,Sex at birth,"1, Male | 2, Female"');
    // A snapshot stored before the column has no categories: it is answered with none, as it was.
    const first = await observer.get(`${panelPath()}/versions/2`);
    expect(first.status).toBe(200);
    expect(first.body.biomarkers[0]).toMatchObject({ code: "sex", categories: [] });
  });
});
