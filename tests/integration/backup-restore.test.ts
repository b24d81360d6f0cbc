/**
 * Backups as an operator takes them: `npm run backup` while the server serves
 * and members keep writing, `npm run restore` into a fresh database file, a
 * server started on it, and every table compared row by row.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, workspaceWithRoles } from "#tests/support/api.ts";
import { uploadDataset } from "#tests/support/datasets.ts";
import { startServer, type TestServer } from "#tests/support/server.ts";
import { createHash } from "node:crypto";
import { allTableRows as rawTableRows, foreignKeyProblems, integrityCheck, withDatabase } from "./sqlite-state.ts";

const root = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-backup-"));

/** Runs `npm run <script> -- ...args` as an operator would, against DATABASE_PATH; `onLine` hears each line of its output as it comes. */
function npmRun(script: "backup" | "restore", args: string[], databasePath: string, onLine: (line: string) => void = () => {}) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn("npm", ["run", "--silent", script, "--", ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: databasePath },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let partial = "";
    child.stdout.on("data", (c) => {
      output += c;
      const lines = (partial + c).split("\n");
      partial = lines.pop()!;
      lines.forEach(onLine);
    });
    child.stderr.on("data", (c) => (output += c));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

type Rows = Record<string, Record<string, unknown>[]>;

/**
 * Every row of every table, with each blob (the uploaded files) as its SHA-256:
 * equal blobs have equal digests, and comparing megabytes byte by byte as
 * values would take minutes.
 */
function allTableRows(file: string): Rows {
  const rows = rawTableRows(file);
  for (const table of Object.values(rows)) {
    for (const row of table) {
      for (const [column, value] of Object.entries(row)) {
        if (value instanceof Uint8Array) row[column] = `sha256:${createHash("sha256").update(value).digest("hex")} (${value.length} bytes)`;
      }
    }
  }
  return rows;
}

/** Rows of `table` keyed by their primary key columns (or all columns when it has none). */
function keyed(file: string, rows: Rows, table: string): Map<string, Record<string, unknown>> {
  const pk = withDatabase(file, (db) =>
    (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; pk: number }[]).filter((c) => c.pk > 0).map((c) => c.name),
  );
  return new Map(rows[table].map((row) => [JSON.stringify(pk.length ? pk.map((k) => row[k]) : row), row]));
}

let server: TestServer;
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
let studyId: string;
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;

beforeAll(async () => {
  server = await startServer();
  team = await workspaceWithRoles(server.url);
  const study = await team.contributor.api.post(`${ws()}/studies`, {
    title: "Raison 2013: infliximab",
    arms: [{ name: "infliximab" }, { name: "placebo", class: "placebo" }],
    outcomes: [{ name: "HAM-D 17 change" }],
  });
  studyId = study.body.id;
  await team.contributor.api.post(`${ws()}/results`, {
    studyId,
    outcomeId: study.body.outcomes[0].id,
    interventionArmId: study.body.arms[0].id,
    comparatorArmId: study.body.arms[1].id,
    data: { type: "continuous", intervention: { mean: -9.1, sd: 6.2, n: 22 }, comparator: { mean: -5.0, sd: 6.0, n: 22 } },
  });
  for (let i = 0; i < 50; i++)
    await team.observer.api.post(`${ws()}/comments`, { target: { type: "study", id: studyId }, body: `Before the backup ${i}` });
  // Participant data with free-text visit notes, about 20 MB in all (the file and its rows), so that copying the
  // database takes long enough for members' comments to be committed while it runs.
  const note = "Visit note: participant reports sleep and appetite and mood in their own words. ".repeat(200);
  for (const name of ["Baseline visit", "Week 8 visit"]) {
    const csv = ["participant_id,arm,crp,bmi,hamd_baseline,hamd_week8,notes"];
    for (let i = 0; i < 300; i++)
      csv.push(`P${i},${i % 2 ? "placebo" : "infliximab"},${(i % 97) / 10},${20 + (i % 17)},${14 + (i % 13)},${8 + (i % 11)},${i} ${note}`);
    const upload = await uploadDataset(team.contributor.api, team.workspaceId, studyId, csv.join("\n"), { name, raw: true });
    if (upload.status !== 201) throw new Error(`dataset: ${upload.status} ${JSON.stringify(upload.body)}`);
  }
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe("backing up and restoring", () => {
  const underLoad = path.join(dir, "under-load.sqlite");
  const quiet = path.join(dir, "quiet.sqlite");
  const acknowledgedBeforeBackup: string[] = [];
  /** Comments sent after the backup said "copy started" and acknowledged before it said "copy finished". */
  const acknowledgedDuringCopy: string[] = [];
  let newestEventAtStart = "";

  it("takes a consistent backup while the server serves and members keep commenting", async () => {
    let backupDone = false;
    let copy: "not started" | "running" | "finished" = "not started";
    let writtenWhileBackupRan = 0;
    const writers = [team.lead, team.contributor, team.observer].map(async (member, w) => {
      // Bounded: writers stop when the backup ends, or after 300 comments each.
      for (let i = 0; i < 300 && !backupDone; i++) {
        const sentWhile = copy;
        const response = await member.api.post(`${ws()}/comments`, {
          target: { type: "study", id: studyId },
          body: `During the backup ${w}.${i}`,
        });
        expect(response.status).toBe(201);
        if (sentWhile === "running" && copy === "running") acknowledgedDuringCopy.push(response.body.id);
        if (!backupDone) writtenWhileBackupRan++;
      }
    });
    // Let the writers get going, note what is acknowledged, then back up.
    for (let i = 0; i < 5; i++) {
      const ack = await team.lead.api.post(`${ws()}/comments`, { target: { type: "study", id: studyId }, body: `Acknowledged ${i}` });
      acknowledgedBeforeBackup.push(ack.body.id);
    }
    const backup = await npmRun("backup", [underLoad], server.databasePath, (line) => {
      const started = /^backup: copy started \(newest audit event #(\d+)\)$/.exec(line);
      if (started) {
        copy = "running";
        newestEventAtStart = started[1];
      } else if (line === "backup: copy finished") copy = "finished";
    });
    backupDone = true;
    await Promise.all(writers);
    expect(backup.output).toContain("Backup written and checked.");
    expect(backup.code).toBe(0);
    expect(copy).toBe("finished");
    // Writes really did overlap the copy (else this test would only show a backup of a quiet database).
    expect(acknowledgedDuringCopy.length, "comments committed while the copy ran").toBeGreaterThan(0);
    console.log(
      `figure backup: ${acknowledgedDuringCopy.length} comments acknowledged during the copy (sent after "copy started", answered before "copy finished"), ` +
        `${writtenWhileBackupRan} while \`npm run backup\` ran in all; ${backup.output.trim().split("\n").at(-1)}`,
    );

    expect(integrityCheck(underLoad)).toEqual(["ok"]);
    expect(foreignKeyProblems(underLoad)).toEqual([]);
    // One self-contained file.
    expect(fs.existsSync(`${underLoad}-wal`)).toBe(false);
  });

  it("refuses to overwrite an existing file", async () => {
    const again = await npmRun("backup", [underLoad], server.databasePath);
    expect(again.code).toBe(1);
    expect(again.output).toContain("already exists");
  });

  it("the backup under load is one moment of the database: a prefix of the trail, with each row as it was", async () => {
    await server.stop();
    const original = allTableRows(server.databasePath);
    const copy = allTableRows(underLoad);

    // Every comment acknowledged before the backup began is in it.
    const copiedComments = new Set(copy.comments.map((c) => c.id));
    for (const id of acknowledgedBeforeBackup) expect(copiedComments.has(id)).toBe(true);

    // What was committed during the copy is not in it: the copy is the moment it started.
    expect(
      acknowledgedDuringCopy.filter((id) => copiedComments.has(id)),
      "comments committed during the copy that are in it",
    ).toEqual([]);
    const lastCopied = Math.max(...copy.events.map((e) => Number(e.id)));
    expect(String(lastCopied)).toBe(newestEventAtStart);

    // The copy's trail is exactly the original's up to its last event: no gap, nothing half-written.
    expect(copy.events).toEqual(original.events.filter((e) => Number(e.id) <= lastCopied));
    // Each comment in the copy has its event and each comment event its comment (one transaction, whole or absent).
    const commentEvents = new Set(copy.events.filter((e) => e.type === "comment.created").map((e) => e.target_id));
    expect(commentEvents).toEqual(copiedComments);

    // Every row of every table in the copy is the original's row; tokens only differ in their "last used" hint.
    expect(Object.keys(copy)).toEqual(Object.keys(original));
    for (const table of Object.keys(copy)) {
      // The search index is derived from the records, and later writes rewrite its rows (and FTS5's own tables).
      if (table.startsWith("search_")) continue;
      const originals = keyed(server.databasePath, original, table);
      for (const [key, row] of keyed(underLoad, copy, table)) {
        const expected = originals.get(key);
        expect(expected, `${table} ${key}`).toBeDefined();
        if (table === "access_tokens") expect({ ...row, last_used_at: null }).toEqual({ ...expected, last_used_at: null });
        else expect(row, `${table} ${key}`).toEqual(expected);
      }
    }
    // The writers went on during the backup, so the original has more.
    expect(original.comments.length).toBeGreaterThanOrEqual(copy.comments.length);
  });

  it("restores into a fresh database that a server starts on, equal to the original row by row", async () => {
    // A quiet backup of the final state, taken while a server serves it.
    const serving = await startServer({ DATABASE_PATH: server.databasePath });
    const backup = await npmRun("backup", [quiet], serving.databasePath);
    expect(backup.code).toBe(0);
    await serving.stop();

    const fresh = path.join(dir, "fresh", "restored.sqlite");
    const restored = await npmRun("restore", [quiet, "--force"], fresh);
    expect(restored.output).toContain("nothing was kept aside");
    expect(restored.code).toBe(0);

    const restoredServer = await startServer({ DATABASE_PATH: fresh });
    try {
      // The members' tokens work against the restored server and see the same workspace.
      const restoredApi = new ApiClient(restoredServer.url, team.observer.token);
      const onRestored = await restoredApi.get(`${ws()}/comments?targetType=study&targetId=${studyId}`);
      expect(onRestored.status).toBe(200);
      expect(onRestored.body.items.length).toBe(allTableRows(server.databasePath).comments.length);
    } finally {
      await restoredServer.stop();
    }
    expect(integrityCheck(fresh)).toEqual(["ok"]);
    const original = allTableRows(server.databasePath);
    const copy = allTableRows(fresh);
    for (const table of Object.keys(original)) {
      if (table === "access_tokens") continue;
      expect(copy[table], table).toEqual(original[table]);
    }
    expect(copy.access_tokens.map((t) => ({ ...t, last_used_at: null }))).toEqual(
      original.access_tokens.map((t) => ({ ...t, last_used_at: null })),
    );
    const rows = Object.values(original).reduce((n, t) => n + t.length, 0);
    console.log(`figure restore: ${Object.keys(original).length} tables, ${rows} rows compared row by row, 0 differences`);
    // Three server starts, a backup and a restore of 20 MB: on two busy cores this can take a while.
  }, 120_000);

  it("explains the steps and changes nothing without --force", async () => {
    const target = path.join(dir, "untouched.sqlite");
    fs.copyFileSync(quiet, target);
    const before = fs.readFileSync(target);
    const answer = await npmRun("restore", [underLoad], target);
    expect(answer.code).toBe(2);
    expect(answer.output).toContain("Stop the server");
    expect(answer.output).toContain("--force");
    expect(fs.readFileSync(target).equals(before)).toBe(true);
  });

  it("refuses while a server holds the database, which keeps serving", async () => {
    const running = await startServer({ DATABASE_PATH: path.join(dir, "in-use.sqlite") });
    try {
      const answer = await npmRun("restore", [quiet, "--force"], running.databasePath);
      expect(answer.code).toBe(1);
      expect(answer.output).toMatch(/open in another process.*Stop the server/);
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith("in-use.sqlite.before-restore"))).toEqual([]);
    } finally {
      await running.stop();
    }
  });

  it("refuses a damaged backup before replacing anything", async () => {
    const damaged = path.join(dir, "damaged.sqlite");
    const bytes = fs.readFileSync(quiet);
    fs.writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const target = path.join(dir, "keep.sqlite");
    fs.copyFileSync(underLoad, target);
    const before = fs.readFileSync(target);
    const answer = await npmRun("restore", [damaged, "--force"], target);
    expect(answer.code).toBe(1);
    expect(answer.output).toContain("Restore refused");
    expect(fs.readFileSync(target).equals(before)).toBe(true);
  });

  it("keeps the database it replaces beside it", async () => {
    const target = path.join(dir, "replaced.sqlite");
    fs.copyFileSync(underLoad, target);
    const answer = await npmRun("restore", [quiet, "--force"], target);
    expect(answer.code).toBe(0);
    const aside = fs.readdirSync(dir).find((f) => f.startsWith("replaced.sqlite.before-restore-"));
    expect(aside).toBeDefined();
    expect(answer.output).toContain(aside!);
    expect(allTableRows(path.join(dir, aside!)).events).toEqual(allTableRows(underLoad).events);
    expect(allTableRows(target).events).toEqual(allTableRows(quiet).events);
  });
});
