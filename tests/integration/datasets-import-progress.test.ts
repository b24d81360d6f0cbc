/**
 * A large import is read and checked off the main event loop, and the
 * uploader's live connection hears how far it has come: rows read, checked
 * and written, rising to the file's row count. Nobody else hears it, a file
 * that fails still fails whole, and the server answers others meanwhile.
 */
import type { DatasetImportProgress } from "#app/domain/dataset-import-progress.ts";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { studyWithDefaultPanel, uploadDataset } from "#tests/support/datasets.ts";
import { connectLive, type LiveClient } from "#tests/support/socket.ts";
import { useServer } from "#tests/support/server.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
let studyId: string;
const sockets: LiveClient[] = [];

type Progress = DatasetImportProgress;

/** A plain participant file: the study's arms, CRP in mg/dL (converted) and a few measures with decimals. */
function csv(rows: number, broken?: { row: number }): string {
  const lines = ["participant_id,arm,CRP (mg/dL),IL-6,BMI,phq9,sleep_hours"];
  for (let i = 0; i < rows; i++) {
    const crp = broken && i + 2 === broken.row ? "<0.2" : ((i % 97) / 50).toFixed(2);
    lines.push(
      [
        `IMD-${i + 1}`,
        i % 2 ? "infliximab" : "placebo",
        crp,
        ((i % 13) * 0.7).toFixed(1),
        (20 + (i % 17)).toFixed(1),
        i % 27,
        (5 + (i % 5) / 2).toFixed(1),
      ].join(","),
    );
  }
  return lines.join("\n");
}

async function live(user: { token: string }) {
  const client = await connectLive(server.url, { token: user.token });
  sockets.push(client);
  const heard: Progress[] = [];
  client.socket.on("dataset:import-progress", (p: Progress) => heard.push(p));
  return { client, heard };
}

/** Each thread's nice value in the server process, from /proc (Linux: a nice value belongs to a thread). */
function threadNiceValues(pid: number): { main: number; others: number[] } {
  const nice = (task: string) => {
    const stat = fs.readFileSync(`/proc/${pid}/task/${task}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  };
  const others = fs.readdirSync(`/proc/${pid}/task`).filter((task) => task !== String(pid));
  return { main: nice(String(pid)), others: others.map(nice) };
}
/** Thread priorities are read from /proc; where there is none the test says it was skipped, but never in CI. */
const threadsReadable = fs.existsSync("/proc/self/task") || process.env.CI === "true";

const TABLES = ["datasets", "dataset_rows", "dataset_sources", "events"];
const databaseState = async () => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await server.database.count(t)])));

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
  ({ studyId } = await studyWithDefaultPanel(team.lead.api, team.workspaceId, "Progress trial"));
});
afterAll(() => {
  for (const socket of sockets) socket.close();
});

describe("progress of a dataset import", () => {
  it("reaches the uploader's live connection, counts rising to the row count, and nobody else's", async () => {
    const uploader = await live(team.contributor);
    const other = await live(team.lead);
    const uploadId = randomUUID();
    const rows = 30_000;
    const answer = await uploadDataset(team.contributor.api, team.workspaceId, studyId, csv(rows), { name: "Large labs", uploadId });
    expect(answer.status).toBe(201);
    await expect.poll(() => uploader.heard.at(-1)?.stage, { timeout: 10_000 }).toBe("done");

    const heard = uploader.heard;
    expect(heard.every((p) => p.uploadId === uploadId)).toBe(true);
    expect(heard.length).toBeGreaterThan(1);
    for (const key of ["rowsRead", "rowsChecked", "rowsWritten"] as const) {
      for (let i = 1; i < heard.length; i++) expect(heard[i][key]).toBeGreaterThanOrEqual(heard[i - 1][key]);
    }
    expect(heard.at(-1)).toMatchObject({ stage: "done", rowsChecked: rows, rowsWritten: rows, rowCount: rows });
    expect(answer.body.rowCount).toBe(rows);
    expect(other.heard).toEqual([]);
  });

  it("sends nothing without an upload id, and refuses one that is not an id", async () => {
    const uploader = await live(team.contributor);
    const plain = await uploadDataset(team.contributor.api, team.workspaceId, studyId, csv(50), { name: "Small labs" });
    expect(plain.status).toBe(201);
    const odd = await uploadDataset(team.contributor.api, team.workspaceId, studyId, csv(50), { name: "Small labs", uploadId: "<script>" });
    expect(odd.status).toBe(400);
    expect(uploader.heard).toEqual([]);
  });

  it("still refuses a malformed file whole, naming its row, and saves nothing of it", async () => {
    const before = await databaseState();
    const uploader = await live(team.contributor);
    const answer = await uploadDataset(team.contributor.api, team.workspaceId, studyId, csv(20_000, { row: 15_000 }), {
      name: "Broken labs",
      uploadId: randomUUID(),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details[0]).toMatchObject({ row: 15_000, column: "CRP (mg/dL)" });
    expect(await databaseState()).toEqual(before);
    expect(uploader.heard.some((p) => p.stage !== "checking")).toBe(false);
  });

  it("lets /healthz answer while a large import is under way", async () => {
    const uploader = await live(team.contributor);
    const uploadId = randomUUID();
    let importFinished = false;
    const importing = uploadDataset(team.contributor.api, team.workspaceId, studyId, csv(60_000), {
      name: "Larger labs",
      uploadId,
    }).finally(() => {
      importFinished = true;
    });
    // Once the server has said it is reading the file, the import is under way.
    await expect.poll(() => uploader.heard.length, { timeout: 30_000, interval: 5 }).toBeGreaterThan(0);
    const health = await fetch(`${server.url}/healthz`);
    const answeredMidImport = !importFinished;
    expect(health.status).toBe(200);
    expect((await importing).status).toBe(201);
    expect(answeredMidImport).toBe(true);
  });

  it.runIf(threadsReadable)(
    "runs the import thread below the request thread's priority, so other users' requests win the CPU",
    async () => {
      const answer = await uploadDataset(team.contributor.api, team.workspaceId, studyId, csv(500), { name: "Small labs" });
      expect(answer.status).toBe(201);
      // The worker stays for the next upload, so its thread is there to read after the import.
      const threads = threadNiceValues(server.process.pid!);
      const lowered = Math.max(threads.main, 10);
      expect(threads.main).toBeLessThan(lowered);
      expect(threads.others).toContain(lowered);
    },
  );
});
