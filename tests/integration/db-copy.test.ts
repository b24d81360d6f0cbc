/**
 * Moving to PostgreSQL as a host does it: a server on SQLite with the demo
 * consortium and some work of its own, stopped; `npm run db:copy` into an empty
 * PostgreSQL database; a server started on the copy answers the API as the
 * SQLite one did. The test makes its own SQLite file and its own PostgreSQL
 * database whichever engine the rest of the suite runs on, so it runs the same
 * in both integration projects.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTargetTables } from "#db/copy/catalogue.ts";
import { compareTable } from "#db/copy/compare.ts";
import { connectTarget } from "#db/copy.ts";
import { ApiClient } from "#tests/support/api.ts";
import { TestDatabase } from "#tests/support/database.ts";
import { uploadDataset } from "#tests/support/datasets.ts";
import { must } from "#tests/support/demo-workspace.ts";
import { startServer } from "#tests/support/server.ts";

const root = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const sqliteFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "consilience-copy-")), "consilience.sqlite");
const DEMO_PASSWORD = "consilience-demo";
/** A dataset large enough that the copy reports its progress (tables of 10,000 rows or more). */
const LARGE_DATASET_ROWS = 12_000;

/** The empty PostgreSQL database the copy goes into, created for this test and dropped after it. */
let target: TestDatabase;

/** Runs `npm run db:copy -- ...args` as a host would, on DATABASE_PATH. */
function runCopy(args: string[], databasePath = sqliteFile) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn("npm", ["run", "--silent", "db:copy", "--", ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: databasePath },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/**
 * Everything the target holds, per table (ours and the migrations' bookkeeping),
 * as a digest of its rows: equal before and after means nothing was written.
 */
async function targetFingerprint(): Promise<Record<string, string>> {
  const tables = await target.query<{ name: string }>(
    `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
      WHERE table_schema IN ('public', 'drizzle') AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const fingerprint: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await target.query<{ n: number; digest: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest FROM ${name} t`,
    );
    fingerprint[name] = `${row.n} rows, md5 ${row.digest}`;
  }
  return fingerprint;
}

/** Rows per table of the SQLite file, as the copy should report them (not the search index: derived, rebuilt by the target's server). */
function sqliteCounts(): Record<string, number> {
  const db = new Database(sqliteFile, { readonly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search\\_%' ESCAPE '\\' AND name <> '__drizzle_migrations'",
      )
      .pluck()
      .all() as string[];
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));
  } finally {
    db.close();
  }
}

/** What a member reads of the workspace through the API: settings, members, studies in full, every thread, the whole audit trail. */
async function readThroughApi(api: ApiClient, workspaceId: string) {
  const ws = `/api/v1/workspaces/${workspaceId}`;
  const studies = (await must(api.get(`${ws}/studies`), "studies")).items as { id: string }[];
  const protocols = (await must(api.get(`${ws}/protocols`), "protocols")).items as { id: string }[];
  const threads: Record<string, unknown> = {};
  for (const [targetType, list] of [
    ["study", studies],
    ["protocol", protocols],
  ] as const) {
    for (const { id } of list)
      threads[`${targetType} ${id}`] = await must(api.get(`${ws}/comments?targetType=${targetType}&targetId=${id}`), "comments");
  }
  const events: unknown[] = [];
  for (let after = "0"; after !== null; ) {
    const page = await must(api.get(`${ws}/events?after=${after}&limit=1000`), "events");
    events.push(...page.items);
    after = page.nextCursor;
  }
  return {
    workspace: await must(api.get(ws), "workspace"),
    members: await must(api.get(`${ws}/members`), "members"),
    studies: await Promise.all(studies.map(({ id }) => must(api.get(`${ws}/studies/${id}`), "study"))),
    protocols,
    threads,
    events,
  };
}

async function signIn(baseUrl: string, email: string) {
  const issued = await must(
    new ApiClient(baseUrl).post("/api/v1/auth/token", { email, password: DEMO_PASSWORD, label: "copy test" }),
    "token",
  );
  return new ApiClient(baseUrl, issued.token);
}

let workspaceId: string;
let leadToken: string;
let onSqlite: Awaited<ReturnType<typeof readThroughApi>>;
let newestEventOnSqlite: number;

beforeAll(async () => {
  // DATABASE_PATH (with no DATABASE_URL) keeps this server on SQLite in either project.
  const server = await startServer({ SEED_DEMO: "1", DEMO_PASSWORD, DATABASE_PATH: sqliteFile, DATABASE_URL: "" });
  try {
    const lead = await signIn(server.url, "lead@demo.example");
    const observer = await signIn(server.url, "observer@demo.example");
    leadToken = lead.token!;
    workspaceId = (await must(lead.get("/api/v1/workspaces"), "workspaces")).items[0].id;
    const ws = `/api/v1/workspaces/${workspaceId}`;
    const study = await must(
      lead.post(`${ws}/studies`, {
        title: "Müller 2026: anti-IL-6 — „Grüße“ 🧪",
        arms: [{ name: "tocilizumab" }, { name: "placebo", class: "placebo" }],
        outcomes: [{ name: "HAM-D 17 change" }],
      }),
      "study",
    );
    const question = await must(
      observer.post(`${ws}/comments`, { target: { type: "study", id: study.id }, body: "Are the week-8 visits in? @lead 测试" }),
      "comment",
    );
    await must(
      lead.post(`${ws}/comments`, { target: { type: "study", id: study.id }, body: "Uploaded today.", parentId: question.id }),
      "reply",
    );
    await must(lead.post(`${ws}/comments/${question.id}/resolve`), "resolve");
    const csv = ["participant_id,arm,crp,bmi"];
    for (let i = 0; i < LARGE_DATASET_ROWS; i++) csv.push(`P${i},${i % 2 ? "placebo" : "tocilizumab"},${(i % 97) / 10},${20 + (i % 17)}`);
    const upload = await uploadDataset(lead, workspaceId, study.id, csv.join("\n"), { name: "Screening", raw: true });
    if (upload.status !== 201) throw new Error(`dataset: ${upload.status} ${JSON.stringify(upload.body)}`);
    onSqlite = await readThroughApi(lead, workspaceId);
  } finally {
    await server.stop();
  }
  const db = new Database(sqliteFile, { readonly: true });
  newestEventOnSqlite = db.prepare("SELECT max(id) FROM events").pluck().get() as number;
  db.close();
  target = await TestDatabase.fresh("postgres");
}, 180_000);

afterAll(async () => {
  await target?.dispose();
});

describe("moving a SQLite database to PostgreSQL with npm run db:copy", () => {
  it("refuses an address that is not PostgreSQL, and writes nothing", async () => {
    const copy = await runCopy(["--to", "mysql://consilience:secret@127.0.0.1/consilience"]);
    expect(copy.code).not.toBe(0);
    expect(copy.output).toContain("is not a PostgreSQL address");
    expect(copy.output).not.toContain("secret");
    expect(await targetFingerprint()).toEqual({});
  });

  it("refuses when there is no SQLite file, and writes nothing", async () => {
    const copy = await runCopy(["--to", target.url], path.join(path.dirname(sqliteFile), "absent.sqlite"));
    expect(copy.code).not.toBe(0);
    expect(copy.output).toContain("There is no SQLite database at");
    expect(copy.output).toContain("Set DATABASE_PATH");
    expect(await targetFingerprint()).toEqual({});
  });

  it("copies all or nothing: a value that cannot be converted half-way through leaves every table empty", async () => {
    // A copy of the file with one milestone's done flag neither 0 nor 1; its table comes after users, events, comments….
    const damaged = path.join(path.dirname(sqliteFile), "damaged.sqlite");
    const db = new Database(sqliteFile, { readonly: true });
    db.exec(`VACUUM INTO '${damaged}'`);
    db.close();
    const edit = new Database(damaged);
    const milestone = edit.prepare("SELECT id FROM goal_milestones ORDER BY id LIMIT 1").pluck().get();
    edit.prepare("UPDATE goal_milestones SET done = 2 WHERE id = ?").run(milestone);
    edit.close();

    const copy = await runCopy(["--to", target.url], damaged);
    expect(copy.code).not.toBe(0);
    expect(copy.output).toContain(`goal_milestones.done of the row id="${milestone}": 2 is not a boolean (0 or 1)`);
    expect(copy.output).toContain("Nothing was copied: the transaction was rolled back.");
    const fingerprint = await targetFingerprint();
    const ours = Object.entries(fingerprint).filter(([table]) => table.startsWith("public."));
    expect(ours.length).toBeGreaterThan(20);
    expect(ours.filter(([, rows]) => !rows.startsWith("0 rows"))).toEqual([]);
  }, 120_000);

  it("copies every table into the empty database and finds the copy identical, row by row", async () => {
    const copy = await runCopy(["--to", target.url]);
    expect(copy.output).toMatch(/^The copy is identical: [\d,]+ rows in \d+ tables, committed\./m);
    expect(copy.code).toBe(0);
    const counts = sqliteCounts();
    for (const [table, n] of Object.entries(counts)) {
      expect(copy.output).toContain(`\n${table}: ${n.toLocaleString("en-US")} ${n === 1 ? "row" : "rows"} copied, identical\n`);
    }
    expect(Object.keys(counts).length).toBeGreaterThan(20);
    expect(counts.dataset_rows).toBeGreaterThan(LARGE_DATASET_ROWS);
    // The large table reports how far it has got, while copying and while comparing.
    expect(copy.output).toMatch(/^dataset_rows: [\d,]+ of [\d,]+ rows copied…$/m);
    expect(copy.output).toMatch(/^dataset_rows: [\d,]+ of [\d,]+ rows compared…$/m);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(
      `figure db:copy: ${total.toLocaleString("en-US")} rows in ${Object.keys(counts).length} tables copied and compared identical`,
    );
  }, 180_000);

  it("names the row and the column when a copied value differs", async () => {
    const sqlite = new Database(sqliteFile, { readonly: true });
    const client = await connectTarget(target.url);
    try {
      const tables = await readTargetTables(client);
      const comments = tables.find((t) => t.name === "comments")!;
      const datasetRows = tables.find((t) => t.name === "dataset_rows")!;
      // Changed in a transaction that is rolled back: the copy stays as it was for the tests after this one.
      await client.query("BEGIN");
      expect(await compareTable(sqlite, client, comments)).toMatchObject({ differing: 0, onlyInSqlite: 0, onlyInPostgres: 0 });
      const { rows } = await client.query(
        "UPDATE comments SET body = body || ' (edited)' WHERE id = (SELECT min(id) FROM comments) RETURNING id",
      );
      await client.query(`UPDATE dataset_rows SET "values" = '[1, 2]' WHERE row_index = 7`);
      await client.query("DELETE FROM comment_mentions WHERE comment_id = (SELECT min(comment_id) FROM comment_mentions)");
      const changedComment = await compareTable(sqlite, client, comments);
      const changedRows = await compareTable(sqlite, client, datasetRows);
      const lostMention = await compareTable(sqlite, client, tables.find((t) => t.name === "comment_mentions")!);
      await client.query("ROLLBACK");

      expect(changedComment).toMatchObject({ differing: 1, onlyInSqlite: 0, onlyInPostgres: 0 });
      expect(changedComment.examples).toEqual([
        expect.stringMatching(new RegExp(`^comments id="${rows[0].id}": body is ".*" in SQLite but ".* \\(edited\\)" in PostgreSQL$`)),
      ]);
      const datasetsWithAnEighthRow = sqlite.prepare("SELECT count(*) FROM dataset_rows WHERE row_index = 7").pluck().get();
      expect(changedRows.differing).toBe(datasetsWithAnEighthRow);
      expect(changedRows.examples[0]).toMatch(
        /^dataset_rows dataset_id="[^"]+", row_index=7: values is ".*" in SQLite but "\[1,2\]" in PostgreSQL$/,
      );
      expect(lostMention).toMatchObject({ differing: 0, onlyInSqlite: 1, onlyInPostgres: 0 });
      expect(lostMention.examples).toEqual([
        expect.stringMatching(/^comment_mentions comment_id=".+", user_id=".+": in SQLite, missing in PostgreSQL$/),
      ]);
    } finally {
      sqlite.close();
      await client.end();
    }
  });

  it("serves the copy: a server on PostgreSQL reads the workspace, studies, comments and audit trail as on SQLite, and goes on writing", async () => {
    const server = await startServer({ DATABASE_URL: target.url });
    try {
      // The lead's token was issued on SQLite: sessions and tokens moved too.
      const lead = new ApiClient(server.url, leadToken);
      const onPostgresCopy = await readThroughApi(lead, workspaceId);
      expect(onPostgresCopy).toEqual(onSqlite);
      expect(onSqlite.events.length).toBeGreaterThan(50);
      const comments = Object.values(onSqlite.threads).flatMap((t: any) => t.items).length;
      expect(comments).toBeGreaterThan(5);
      console.log(
        `figure db:copy served: ${onSqlite.events.length} events, ${comments} comments, ${onSqlite.studies.length} studies and ` +
          `${onSqlite.members.items.length} members read the same through the API on PostgreSQL as on SQLite`,
      );

      // The events' id sequence continues after the copied ids (account events included).
      const study = onSqlite.studies[0] as { id: string };
      const comment = await must(
        lead.post(`/api/v1/workspaces/${workspaceId}/comments`, { target: { type: "study", id: study.id }, body: "Written on PostgreSQL" }),
        "comment",
      );
      const trail = await must(lead.get(`/api/v1/workspaces/${workspaceId}/events?after=${newestEventOnSqlite}`), "events");
      expect(trail.items.map((e: any) => [e.type, e.target.id])).toEqual([["comment.created", comment.id]]);
      expect(Number(trail.items[0].id)).toBe(newestEventOnSqlite + 1);
      // …and it was written to the copy (the server runs on PostgreSQL, not on a file of its own).
      expect(await target.query("SELECT body FROM comments WHERE id = ?", [comment.id])).toEqual([{ body: "Written on PostgreSQL" }]);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it("refuses to copy a second time into the database, now not empty, and changes nothing there", async () => {
    const before = await targetFingerprint();
    expect(Object.keys(before).length).toBeGreaterThan(20);
    const copy = await runCopy(["--to", target.url]);
    expect(copy.code).not.toBe(0);
    expect(copy.output).toContain("is not empty");
    expect(copy.output).toContain("Copy into a new database instead");
    expect(await targetFingerprint()).toEqual(before);
  }, 120_000);
});
