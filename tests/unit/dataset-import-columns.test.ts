/**
 * The import's table held by column (HarmonisedColumns) and its writer on
 * SQLite: each stored row must be exactly the row the table builder gives, and
 * the writer must hand its turn back to another writer without losing a row.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_BIOMARKERS } from "#app/domain/default-panel.ts";
import { planColumns } from "#app/domain/dataset-columns.ts";
import { DatasetTableBuilder } from "#app/domain/dataset-table.ts";
import { SqliteImportWriter } from "#db/engines/sqlite-import-writer.ts";

const header = ["participant_id", "arm", "CRP (mg/dL)", "Glucose", "score", "note", "code"];

/** Every kind of cell: converted biomarkers, missing spellings, a loose column that turns to text late, decimals, quotes. */
function filled(rows: number) {
  const plans = planColumns(header, DEFAULT_BIOMARKERS);
  const builder = new DatasetTableBuilder(plans, "participant", header.length, rows);
  for (let i = 0; i < rows; i++) {
    builder.add({
      row: i + 2,
      cells: [
        ` P${i} `,
        i % 3 === 0 ? "NA" : i % 2 ? "placebo" : "infliximab",
        i % 7 === 0 ? "" : (i / 37).toFixed(3),
        i % 11 === 0 ? "n/a" : String(4 + (i % 50) / 10),
        i % 5 === 0 ? "." : String(-i * 0.125),
        i === rows - 1 ? 'said "no"' : String(i % 4),
        i % 2 ? "07" : "1e3",
      ],
    });
  }
  return builder;
}

describe("the imported table held by column", () => {
  it("stores every row as the JSON of the harmonised row, with the same columns, summary and warnings", () => {
    const rows = filled(3000).finish();
    const columns = filled(3000).finishColumns();
    expect(columns.rowCount).toBe(rows.rows.length);
    expect(columns.columns).toEqual(rows.columns);
    expect(columns.summary).toEqual(rows.summary);
    expect(columns.warnings).toEqual(rows.warnings);
    for (let i = 0; i < columns.rowCount; i++) {
      expect(columns.valuesJson(i)).toBe(JSON.stringify(rows.rows[i].values));
      expect([columns.participantId(i), columns.arm(i)]).toEqual([rows.rows[i].participantId, rows.rows[i].arm]);
    }
    // The loose columns: "score" numeric (missing as null), "note" text once one cell is not a number, "code" numeric.
    expect(rows.columns.map((c) => c.valueType)).toEqual(["text", "text", "numeric", "numeric", "numeric", "text", "numeric"]);
    expect(rows.rows[5].values.slice(2)).toEqual([1.35, 4.5, null, "1", 7]);
    expect(rows.rows[4].values.slice(2)).toEqual([1.08, 4.4, -0.5, "0", 1000]);
    expect(rows.rows[1].values.slice(4)).toEqual([-0.125, "1", 7]);
    expect(rows.rows[0].values[2]).toBeNull();
    expect(rows.summary[4]).toMatchObject({ n: 2400, missing: 600 });
  });

  it("gives the same table whether or not the row count was known ahead", () => {
    const plans = planColumns(header, DEFAULT_BIOMARKERS);
    const unsized = new DatasetTableBuilder(plans, "participant", header.length);
    const sized = filled(2500);
    for (let i = 0; i < 2500; i++) {
      unsized.add({
        row: i + 2,
        cells: [
          ` P${i} `,
          i % 3 === 0 ? "NA" : i % 2 ? "placebo" : "infliximab",
          i % 7 === 0 ? "" : (i / 37).toFixed(3),
          i % 11 === 0 ? "n/a" : String(4 + (i % 50) / 10),
          i % 5 === 0 ? "." : String(-i * 0.125),
          i === 2499 ? 'said "no"' : String(i % 4),
          i % 2 ? "07" : "1e3",
        ],
      });
    }
    expect(unsized.finish()).toEqual(sized.finish());
  });

  it("stores a dataset with visits by its visit labels, with each column's visits (decision 030)", () => {
    const visitHeader = ["participant_id", "visit", "instance", "CRP (mg/dL)", "score"];
    const mapping = { visit: { role: "visit" as const, visits: { v0: "baseline" } }, instance: { role: "instance" as const } };
    const build = () => {
      const builder = new DatasetTableBuilder(planColumns(visitHeader, DEFAULT_BIOMARKERS, mapping), "participant", visitHeader.length);
      const cells = [
        ["P1", "v0", "1", "0.5", "20"],
        ["P1", "week_12_arm_1", "1", "", "12"],
        ["P1", "week_12_arm_1", "2", "", "11"],
        ["P2", "v0", "1", "1.1", ""],
      ];
      cells.forEach((row, i) => builder.add({ row: i + 2, cells: row }));
      return builder;
    };
    const rows = build().finish();
    const columns = build().finishColumns();
    expect(columns.columns).toEqual(rows.columns);
    for (let i = 0; i < columns.rowCount; i++) expect(columns.valuesJson(i)).toBe(JSON.stringify(rows.rows[i].values));
    expect(rows.rows.map((r) => r.values[1])).toEqual(["baseline", "week 12", "week 12", "baseline"]);
    // CRP has values at baseline only; the score at both visits.
    expect(columns.columns.map((c) => c.visits)).toEqual([
      ["baseline", "week 12"],
      ["baseline", "week 12"],
      ["baseline", "week 12"],
      ["baseline"],
      ["baseline", "week 12"],
    ]);
  });
});

describe("the import writer on SQLite", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  function scratchFile(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-writer-"));
    dirs.push(dir);
    const file = path.join(dir, "db.sqlite");
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.exec(
      "CREATE TABLE datasets (id TEXT PRIMARY KEY, status TEXT NOT NULL, lease_expires_at INTEGER);" +
        'CREATE TABLE dataset_rows (dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE, row_index INTEGER NOT NULL, participant_id TEXT, arm TEXT, "values" TEXT NOT NULL, PRIMARY KEY (dataset_id, row_index));' +
        "CREATE TABLE dataset_sources (dataset_id TEXT PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE, content BLOB NOT NULL);" +
        "INSERT INTO datasets VALUES ('d1', 'importing', 0)",
    );
    db.close();
    return file;
  }

  it("stops soon after another writer waits, having committed what it wrote, and the rest follows on", () => {
    const file = scratchFile();
    const table = filled(5000).finishColumns();
    const writer = new SqliteImportWriter(file);
    let looks = 0;
    const first = writer.writeRows(
      "d1",
      table,
      { from: 0, to: 5000 },
      () => Date.now() + 60_000,
      () => ++looks > 3,
    );
    expect(first.outcome).toBe("written");
    // Another writer asked early in the first transaction: the turn ends long before its 2,000 rows.
    expect(first.next).toBeGreaterThan(0);
    expect(first.next).toBeLessThanOrEqual(500);
    const reader = new Database(file, { readonly: true });
    const count = () => (reader.prepare("SELECT count(*) AS n FROM dataset_rows").get() as { n: number }).n;
    expect(count()).toBe(first.next);
    const rest = writer.writeRows(
      "d1",
      table,
      { from: first.next, to: 5000 },
      () => Date.now() + 60_000,
      () => false,
    );
    expect(rest).toEqual({ outcome: "written", next: 5000 });
    expect(count()).toBe(5000);
    const stored = reader.prepare('SELECT row_index, participant_id, arm, "values" FROM dataset_rows ORDER BY row_index').all() as {
      row_index: number;
      participant_id: string | null;
      arm: string | null;
      values: string;
    }[];
    const rows = filled(5000).finish().rows;
    stored.forEach((row, i) => {
      expect(row.row_index).toBe(i);
      expect(JSON.parse(row.values)).toEqual(rows[i].values);
      expect([row.participant_id, row.arm]).toEqual([rows[i].participantId, rows[i].arm]);
    });
    reader.close();
    writer.close();
  });

  it("writes nothing once the dataset is no longer importing", () => {
    const file = scratchFile();
    const db = new Database(file);
    db.exec("UPDATE datasets SET status = 'ready'");
    db.close();
    const writer = new SqliteImportWriter(file);
    expect(
      writer.writeRows(
        "d1",
        filled(10).finishColumns(),
        { from: 0, to: 10 },
        () => 0,
        () => false,
      ).outcome,
    ).toBe("gone");
    writer.close();
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare("SELECT count(*) AS n FROM dataset_rows").get()).toEqual({ n: 0 });
    reader.close();
  });
});
