/**
 * Crash safety: members keep commenting and importing datasets while the
 * server process is killed with SIGKILL at random moments and restarted on the
 * same database. A request the kill cut off is sent again, with the same
 * Idempotency-Key, until it is answered, as a careful script does. Nothing
 * acknowledged is lost, nothing is stored twice, no finished import is
 * half-written (one the kill cut off stays unseen until its lease lapses), the
 * file stays sound, and a live client that reconnects with the last event id it
 * saw receives every event exactly once, in id order.
 *
 * What this proves: a process that dies at any instruction (the operating
 * system keeps what SQLite handed it) leaves every acknowledged change whole,
 * and a resend of a cut request does not repeat it. It does not prove
 * durability on power loss: the page cache survives a SIGKILL, so whether the
 * WAL reached the disk before an acknowledgement (synchronous=FULL, see
 * docs/decisions/002-sqlite-pragmas.md) is never put to the test here.
 * On PostgreSQL (TEST_DATABASE_ENGINE=postgres) only the app process dies: the
 * database server rolls back what the dead connections left open, and the same
 * checks hold, but for `PRAGMA integrity_check`, which only a file has.
 *
 * CRASH_KILLS sets the number of kills (10 by default; the full run is 50:
 * `CRASH_KILLS=50 npx vitest run --config tests/vitest.config.ts --project integration tests/integration/crash-safety.test.ts`).
 * A further kind of write joins by adding a writer below and its checks at the end.
 */
import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { ApiClient, workspaceWithRoles, type ApiResponse, type TestUser } from "#tests/support/api.ts";
import { countFromEnv, seededRandom, seedFromEnv } from "#tests/support/random.ts";
import { configuredEngine, TestDatabase } from "#tests/support/database.ts";
import { startServer, type StartedServer } from "#tests/support/server.ts";
import { connectLive, type LiveClient, type LiveEvent } from "#tests/support/socket.ts";
import { integrityCheck } from "./sqlite-state.ts";

const KILLS = countFromEnv("CRASH_KILLS", 10);
/** Each round lets this many writes (at most) be acknowledged before the kill. */
const MAX_WRITES_PER_ROUND = 15;

const random = seededRandom(seedFromEnv("CRASH_SEED"));

/** The server, killed and restarted on one database; writers wait while it is down. */
class CrashingServer {
  server!: StartedServer;
  private resume: () => void = () => {};
  ready: Promise<void> = Promise.resolve();

  constructor(readonly database: TestDatabase) {}

  async start() {
    this.server = await startServer({}, { database: this.database });
    this.resume();
  }

  async kill() {
    this.ready = new Promise((resolve) => (this.resume = resolve));
    const exited = new Promise((resolve) => this.server.process.once("exit", resolve));
    this.server.process.kill("SIGKILL");
    await exited;
  }
}

let crashing: CrashingServer;
let writing = true;
afterAll(async () => {
  writing = false;
  await crashing?.server?.stop();
  await crashing?.database.dispose();
});

/** Only a SQLite file has an integrity check of its own to pass. */
const fileSound = configuredEngine() === "sqlite" ? "keep the file sound, " : "";

describe(`${KILLS} kills of the server while members comment and import`, () => {
  it(
    `lose no acknowledged comment or import, double none, leave no import half-written, ${fileSound}and replay every event once in order`,
    async () => {
      crashing = new CrashingServer(await TestDatabase.fresh());
      await crashing.start();
      const team = await workspaceWithRoles(crashing.server.url);
      const ws = `/api/v1/workspaces/${team.workspaceId}`;
      const studyId = (await team.contributor.api.post(`${ws}/studies`, { title: "Crash test study" })).body.id;
      const panel = await team.contributor.api.post(`${ws}/panels`, { name: "Core panel", fromDefault: true });
      const importStudyId = (await team.contributor.api.post(`${ws}/studies`, { title: "Crash test imports", panelId: panel.body.id })).body
        .id;

      const acknowledged = new Map<string, string>(); // comment id → body
      const sent: string[] = []; // every comment body sent (each until it was answered)
      let acknowledgedThisRound = 0;
      let onAcknowledged: () => void = () => {};
      /** Requests a kill cut off, all sent again with their key: how many, and how the server answered the resend. */
      const resent = { requests: 0, carriedOutOnResend: 0, replayed: 0, answerLost: 0 };
      const run = randomUUID().slice(0, 8);

      /**
       * Sends one request until it is answered. A kill cuts it (the connection drops); once the server is back
       * it goes again with the same Idempotency-Key. Answers the id of what it created.
       */
      async function sendUntilAnswered(
        send: (api: ApiClient, key: string) => Promise<ApiResponse>,
        token: string,
        key: string,
      ): Promise<string> {
        for (let cuts = 0; ; cuts++) {
          await crashing.ready;
          let response: ApiResponse;
          try {
            response = await send(new ApiClient(crashing.server.url, token), key);
          } catch (error) {
            if ((error as { name?: string }).name === "AssertionError") throw error;
            continue; // cut by a kill: wait for the restart and send it again
          }
          if (cuts > 0) resent.requests++;
          // The first attempt had committed, but the kill came before its answer was stored: the server says what it created.
          if (response.status === 409 && response.body?.error?.details?.[0]?.target?.id) {
            expect(cuts, "an answer can only be lost to a kill").toBeGreaterThan(0);
            resent.answerLost++;
            return response.body.error.details[0].target.id;
          }
          expect(response.status, JSON.stringify(response.body)).toBe(201);
          if (cuts > 0) response.headers.get("idempotent-replayed") === "true" ? resent.replayed++ : resent.carriedOutOnResend++;
          else expect(response.headers.get("idempotent-replayed")).toBeNull();
          return response.body.id;
        }
      }

      async function writer(member: TestUser, w: number) {
        for (let seq = 0; writing; seq++) {
          const body = `writer ${w} comment ${seq}`;
          sent.push(body);
          const id = await sendUntilAnswered(
            (api, key) => api.post(`${ws}/comments`, { target: { type: "study", id: studyId }, body }, { "Idempotency-Key": key }),
            member.token,
            `crash-${run}-comment-${w}-${seq}`,
          );
          acknowledged.set(id, body);
          acknowledgedThisRound++;
          onAcknowledged();
        }
      }

      // Imports: many rows written in steps, made visible with their event in one transaction; a kill must leave all or nothing.
      const importsAcknowledged = new Map<string, number>(); // dataset id → rows
      async function importer(member: TestUser) {
        for (let seq = 0; writing; seq++) {
          const rows = random.int(50, 400);
          const csv = [
            "participant_id,arm,CRP (mg/dL),bmi",
            ...Array.from({ length: rows }, (_, i) => `P${i},${i % 2 ? "placebo" : "active"},${(i % 40) / 10 + 0.1},${20 + (i % 15)}`),
          ].join("\n");
          const id = await sendUntilAnswered(
            (api, key) =>
              api.request("POST", `${ws}/studies/${importStudyId}/datasets?name=${encodeURIComponent(`import ${seq}`)}`, csv, {
                "content-type": "text/csv",
                "Idempotency-Key": key,
              }),
            member.token,
            `crash-${run}-import-${seq}`,
          );
          importsAcknowledged.set(id, rows);
          acknowledgedThisRound++;
          onAcknowledged();
        }
      }

      // The live client: on every restart it reconnects and rejoins after the last event it saw.
      const received: LiveEvent[] = [];
      let live: LiveClient | null = null;
      let onReceived: () => void = () => {};
      async function reconnect() {
        live = await connectLive(crashing.server.url, { token: team.observer.token });
        live.socket.on("event", (event: LiveEvent) => {
          received.push(event);
          onReceived();
        });
        const lastSeen = received.at(-1)?.id ?? "0";
        expect(await live.join(team.workspaceId, lastSeen)).toEqual({ ok: true });
      }
      await reconnect();

      const writers = [...[team.lead, team.contributor, team.observer].map((m, w) => writer(m, w)), importer(team.contributor)];
      for (let kill = 0; kill < KILLS; kill++) {
        // A random moment: after a random number of acknowledged writes, then a random pause
        // of a few milliseconds, so some kills land with requests in flight.
        const target = random.int(1, MAX_WRITES_PER_ROUND);
        acknowledgedThisRound = 0;
        await new Promise<void>((resolve) => {
          onAcknowledged = () => acknowledgedThisRound >= target && resolve();
          onAcknowledged();
        });
        await new Promise((resolve) => setTimeout(resolve, random.int(0, 5)));
        await crashing.kill();
        live!.close();
        await crashing.start();
        await reconnect();
      }
      writing = false;
      await Promise.all(writers);

      // Everything now in the trail reaches the live client.
      const lead = new ApiClient(crashing.server.url, team.lead.token);
      const trail: LiveEvent[] = [];
      for (let after = "0"; ; ) {
        const page = await lead.get(`${ws}/events?after=${after}&limit=1000`);
        expect(page.status).toBe(200);
        trail.push(...page.body.items);
        if (page.body.nextCursor === null) break;
        after = page.body.nextCursor;
      }
      const lastId = trail.at(-1)!.id;
      await new Promise<void>((resolve) => {
        onReceived = () => received.some((e) => e.id === lastId) && resolve();
        onReceived();
      });
      live!.close();

      const comments: { id: string; body: string }[] = (await lead.get(`${ws}/comments?targetType=study&targetId=${studyId}`)).body.items;

      // Every dataset in the database: its rows, its import event, and whether it was finished.
      const datasets = await crashing.database.query<{ id: string; status: string; rowCount: number; stored: number; events: number }>(
        `SELECT d.id, d.status, d.row_count AS "rowCount", (SELECT count(*) FROM dataset_rows r WHERE r.dataset_id = d.id) AS stored,
                (SELECT count(*) FROM events e WHERE e.type = 'dataset.imported' AND e.target_id = d.id) AS events
         FROM datasets d WHERE d.study_id = ?`,
        [importStudyId],
      );
      // An import a kill cut off stays "importing" until its lease lapses (IMPORT_LEASE_MS; another process may still
      // be writing it), then any process removes it (tests/integration/datasets-import-status.test.ts). Until then nobody sees it.
      const unfinished = datasets.filter((d) => d.status === "importing");
      for (const d of unfinished) expect((await lead.get(`${ws}/datasets/${d.id}`)).status, `unfinished import ${d.id}`).toBe(404);
      await crashing.server.stop();

      const stored = new Map(comments.map((c) => [c.id, c.body]));
      const lost = [...acknowledged].filter(([id, body]) => stored.get(id) !== body);
      const bodies = comments.map((c) => c.body);
      const duplicateComments = bodies.length - new Set(bodies).size;
      const receivedIds = received.map((e) => Number(e.id));
      const duplicateEvents = receivedIds.length - new Set(receivedIds).size;
      console.log(
        `figure crash safety: ${KILLS} kills, ${sent.length} comments and ${importsAcknowledged.size} imports sent, all acknowledged; ` +
          `${resent.requests} requests cut by a kill and sent again with their Idempotency-Key ` +
          `(${resent.replayed + resent.answerLost} had committed before the kill: ${resent.replayed} answered from the stored answer, ${resent.answerLost} with the answer lost; ` +
          `${resent.carriedOutOnResend} carried out on the resend); ` +
          `${lost.length} lost, ${duplicateComments} duplicate comments, ${duplicateEvents} duplicate live events; ` +
          `${received.length} events replayed/received = ${trail.length} in the trail`,
      );

      // Every finished dataset is whole: its rows are all there, and its import event too.
      const finished = datasets.filter((d) => d.status !== "importing");
      const byId = new Map(finished.map((d) => [d.id, d]));
      const importsLost = [...importsAcknowledged].filter(([id, rows]) => byId.get(id)?.stored !== rows).length;
      const partial = finished.filter((d) => d.stored !== d.rowCount || d.events !== 1).length;
      console.log(
        `figure crash safety (imports): ${importsAcknowledged.size} acknowledged imports (${[...importsAcknowledged.values()].reduce((a, b) => a + b, 0)} rows), ` +
          `${importsLost} lost, ${partial} partial, ${finished.length - importsAcknowledged.size} extra; ` +
          `${unfinished.length} cut off mid-way, unseen and left for their lease to lapse`,
      );
      expect(importsLost).toBe(0);
      expect(partial).toBe(0);
      // An unfinished import has no import event: nobody was ever told of it.
      expect(unfinished.filter((d) => d.events !== 0)).toEqual([]);
      // One dataset per import sent: a resend never imported a second copy.
      expect(finished.map((d) => d.id).sort()).toEqual([...importsAcknowledged.keys()].sort());

      if (crashing.database.engine === "sqlite") expect(integrityCheck(crashing.database.path)).toEqual(["ok"]);
      expect(lost).toEqual([]);
      expect(duplicateComments).toBe(0);
      // Every comment sent is stored once: nothing extra, nothing missing.
      expect([...bodies].sort()).toEqual([...sent].sort());
      expect(acknowledged.size).toBe(sent.length);
      // Once each, in id order, and every event of the trail.
      expect(duplicateEvents).toBe(0);
      expect(receivedIds).toEqual([...receivedIds].sort((a, b) => a - b));
      expect(received.map((e) => e.id)).toEqual(trail.map((e) => e.id));
      expect(received).toEqual(trail);
      // A restart takes a second or two; the limit only stops a run that hangs.
    },
    60_000 + KILLS * 15_000,
  );
});
