/**
 * Crash safety: members keep commenting while the server is killed with
 * SIGKILL at random moments and restarted on the same database file. Nothing
 * acknowledged is lost, nothing is doubled, the file stays sound, and a live
 * client that reconnects with the last event id it saw receives every event
 * exactly once, in id order.
 *
 * CRASH_KILLS sets the number of kills (10 by default; the full run is 50:
 * `CRASH_KILLS=50 npx vitest run --config tests/vitest.config.ts --project integration tests/integration/crash-safety.test.ts`).
 * Further kinds of write (imports, uploads) join by adding a writer below.
 */
import { afterAll, describe, expect, it } from "vitest";
import { ApiClient, workspaceWithRoles, type TestUser } from "#tests/support/api.ts";
import { countFromEnv, seededRandom, seedFromEnv } from "#tests/support/random.ts";
import { startServer, type TestServer } from "#tests/support/server.ts";
import { connectLive, type LiveClient, type LiveEvent } from "#tests/support/socket.ts";
import { integrityCheck } from "./sqlite-state.ts";

const KILLS = countFromEnv("CRASH_KILLS", 10);
/** Each round lets this many writes (at most) be acknowledged before the kill. */
const MAX_WRITES_PER_ROUND = 15;

const random = seededRandom(seedFromEnv("CRASH_SEED"));

/** The server, killed and restarted on one database file; writers wait while it is down. */
class CrashingServer {
  server!: TestServer;
  private resume: () => void = () => {};
  ready: Promise<void> = Promise.resolve();

  constructor(readonly databasePath?: string) {}

  async start() {
    this.server = await startServer(this.databasePath ? { DATABASE_PATH: this.databasePath } : {});
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
  await crashing?.server.stop();
});

describe(`${KILLS} kills of the server while members comment`, () => {
  it("lose no acknowledged comment, double none, keep the file sound, and replay every event once in order", async () => {
    const first = await startServer();
    crashing = new CrashingServer(first.databasePath);
    crashing.server = first;
    const team = await workspaceWithRoles(first.url);
    const ws = `/api/v1/workspaces/${team.workspaceId}`;
    const studyId = (await team.contributor.api.post(`${ws}/studies`, { title: "Crash test study" })).body.id;

    const acknowledged = new Map<string, string>(); // comment id → body
    const cut: string[] = []; // bodies whose request got no answer (the server died under it)
    let acknowledgedThisRound = 0;
    let onAcknowledged: () => void = () => {};

    async function writer(member: TestUser, w: number) {
      for (let seq = 0; writing; seq++) {
        await crashing.ready;
        const body = `writer ${w} comment ${seq}`;
        try {
          const response = await fetch(`${crashing.server.url}${ws}/comments`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${member.token}` },
            body: JSON.stringify({ target: { type: "study", id: studyId }, body }),
          });
          const answer = await response.json();
          expect(response.status, JSON.stringify(answer)).toBe(201);
          acknowledged.set(answer.id, body);
          acknowledgedThisRound++;
          onAcknowledged();
        } catch (error) {
          if ((error as { name?: string }).name === "AssertionError") throw error;
          cut.push(body);
        }
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

    const writers = [team.lead, team.contributor, team.observer].map((m, w) => writer(m, w));
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
    await crashing.server.stop();

    const stored = new Map(comments.map((c) => [c.id, c.body]));
    const lost = [...acknowledged].filter(([id, body]) => stored.get(id) !== body);
    const bodies = comments.map((c) => c.body);
    const duplicateComments = bodies.length - new Set(bodies).size;
    const receivedIds = received.map((e) => Number(e.id));
    const duplicateEvents = receivedIds.length - new Set(receivedIds).size;
    const cutButStored = cut.filter((body) => bodies.includes(body)).length;
    console.log(
      `figure crash safety: ${KILLS} kills, ${acknowledged.size} acknowledged comments, ${lost.length} lost, ` +
        `${duplicateComments} duplicate comments, ${duplicateEvents} duplicate live events; ` +
        `${cut.length} requests cut by a kill (${cutButStored} of them had committed); ` +
        `${received.length} events replayed/received = ${trail.length} in the trail`,
    );

    expect(integrityCheck(crashing.server.databasePath)).toEqual(["ok"]);
    expect(lost).toEqual([]);
    expect(duplicateComments).toBe(0);
    // Every stored comment is one that was sent (acknowledged, or cut off before its answer).
    for (const body of bodies) expect([...acknowledged.values()].includes(body) || cut.includes(body)).toBe(true);
    // Once each, in id order, and every event of the trail.
    expect(duplicateEvents).toBe(0);
    expect(receivedIds).toEqual([...receivedIds].sort((a, b) => a - b));
    expect(received.map((e) => e.id)).toEqual(trail.map((e) => e.id));
    expect(received).toEqual(trail);
    // A restart takes a second or two; the limit only stops a run that hangs.
  }, 60_000 + KILLS * 15_000);
});
