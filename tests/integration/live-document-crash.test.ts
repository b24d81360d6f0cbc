/**
 * An acknowledged edit of a live draft survives the server being killed: a
 * few editors insert unique markers, one at a time, each on a line of its own,
 * while the server process is killed with SIGKILL at random moments and
 * restarted on the same database. A marker counts as acknowledged only once
 * the editor's provider said it was saved (`whenSaved()`, which waits for the
 * server's answer, given only after the edit is stored). After the last
 * restart a newcomer's document and the protocol's `draft` hold every
 * acknowledged marker exactly once, and nothing but whole markers.
 *
 * The server folds updates into the snapshot every few updates, so some kills
 * land while it compacts. On PostgreSQL only the app process dies.
 *
 * LIVE_CRASH_KILLS sets the number of kills (3 by default); LIVE_CRASH_SEED
 * replays a run.
 */
import { afterAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, workspaceWithRoles } from "#tests/support/api.ts";
import { TestDatabase } from "#tests/support/database.ts";
import { type Editor, openEditor } from "#tests/support/live-document.ts";
import { countFromEnv, seededRandom, seedFromEnv } from "#tests/support/random.ts";
import { type StartedServer, startServer } from "#tests/support/server.ts";

const KILLS = countFromEnv("LIVE_CRASH_KILLS", 3);
/** Each round lets this many markers (at most) be acknowledged before the kill. */
const MAX_MARKERS_PER_ROUND = 30;
const COMPACTION_UPDATES = "7";
const INITIAL_BODY = "Markers, one per line:\n";

const random = seededRandom(seedFromEnv("LIVE_CRASH_SEED"));

/** The server, killed and restarted on one database; editors wait while it is down. */
class CrashingServer {
  server!: StartedServer;
  /** Resolves once the server is up again. */
  ready: Promise<void> = Promise.resolve();
  /** Resolves when the current server is killed: whatever waited on it will hear nothing more. */
  down: Promise<void> = new Promise(() => {});
  private resume: () => void = () => {};
  private fall: () => void = () => {};

  constructor(readonly database: TestDatabase) {}

  async start() {
    this.server = await startServer({ DRAFT_COMPACTION_UPDATES: COMPACTION_UPDATES }, { database: this.database });
    this.down = new Promise((resolve) => (this.fall = resolve));
    this.resume();
  }

  async kill() {
    this.ready = new Promise((resolve) => (this.resume = resolve));
    const exited = new Promise((resolve) => this.server.process.once("exit", resolve));
    this.server.process.kill("SIGKILL");
    this.fall();
    await exited;
  }
}

let crashing: CrashingServer | undefined;
let writing = true;
const open: Editor[] = [];
afterAll(async () => {
  writing = false;
  for (const e of open) e.close();
  await crashing?.server?.stop();
  await crashing?.database.dispose();
});

const never = <T>(value: T) => crashing!.down.then(() => value);

describe(`${KILLS} kills of the server while editors type into a live draft`, () => {
  it(
    "lose no acknowledged edit: a newcomer and the draft hold every acknowledged marker once",
    async () => {
      crashing = new CrashingServer(await TestDatabase.fresh());
      await crashing.start();
      const team = await workspaceWithRoles(crashing.server.url);
      const ws = `/api/v1/workspaces/${team.workspaceId}`;
      const second = await registerUser(crashing.server.url, "Second Contributor");
      const invitation = await team.lead.api.post(`${ws}/invitations`, { role: "contributor" });
      expect((await second.api.post(`/api/v1/invitations/${invitation.body.token}/accept`)).status).toBe(200);
      const created = await team.lead.api.post(`${ws}/protocols`, { title: "Crash-proof protocol", body: INITIAL_BODY });
      expect(created.status).toBe(201);
      const target = { workspaceId: team.workspaceId, protocolId: created.body.id as string };

      const acknowledged: string[] = [];
      const sent: string[] = [];
      let acknowledgedThisRound = 0;
      let onAcknowledged: () => void = () => {};
      const figures = { reopened: 0 };

      /** Opens the draft on the running server; null when a kill cut the opening short. */
      async function reopen(token: string): Promise<Editor | null> {
        await crashing!.ready;
        try {
          const editor = await Promise.race([openEditor(crashing!.server.url, token, target), never(null)]);
          if (editor) open.push(editor);
          return editor;
        } catch {
          return null; // refused the connection: the server died under it
        }
      }

      async function writer(token: string, w: number) {
        for (let seq = 0; writing; ) {
          const editor = await reopen(token);
          if (!editor) continue;
          figures.reopened++;
          while (writing) {
            const marker = `marker ${w}.${seq++}`;
            sent.push(marker);
            // At the start of a line: a marker is never split by another one.
            const lineStarts = [0, ...[...editor.text].flatMap((c, i) => (c === "\n" ? [i + 1] : []))];
            editor.insert(random.pick(lineStarts), `${marker}\n`);
            const saved = await Promise.race([
              editor.provider.whenSaved().then((s) => s.status === "synced" && !s.unsaved && s.problem === null),
              never(false),
            ]);
            if (!saved) break; // cut by the kill: it may or may not be stored, and counts for nothing
            acknowledged.push(marker);
            acknowledgedThisRound++;
            onAcknowledged();
          }
          editor.close();
        }
      }

      const writers = [team.lead.token, team.contributor.token, second.token, team.contributor.token].map((token, w) => writer(token, w));
      for (let kill = 0; kill < KILLS; kill++) {
        // A random moment: after a random number of acknowledged markers, then a pause of a few milliseconds,
        // so some kills land with an update being stored or compacted.
        const wanted = random.int(1, MAX_MARKERS_PER_ROUND);
        acknowledgedThisRound = 0;
        await new Promise<void>((resolve) => {
          onAcknowledged = () => acknowledgedThisRound >= wanted && resolve();
          onAcknowledged();
        });
        await new Promise((resolve) => setTimeout(resolve, random.int(0, 5)));
        await crashing.kill();
        await crashing.start();
      }
      writing = false;
      await Promise.all(writers);

      const newcomer = await openEditor(crashing.server.url, team.observer.token, target);
      open.push(newcomer);
      const lines = newcomer.text.split("\n");
      const draft = await new ApiClient(crashing.server.url, team.lead.token).get(`${ws}/protocols/${target.protocolId}`);
      expect(draft.status).toBe(200);
      const [row] = await crashing.database.query<{ revision: number }>("SELECT revision FROM protocol_drafts WHERE protocol_id = ?", [
        target.protocolId,
      ]);

      const stored = new Set(lines);
      const lost = acknowledged.filter((m) => !stored.has(m));
      const markers = lines.filter((l) => l.startsWith("marker "));
      const acknowledgedSet = new Set(acknowledged);
      console.log(
        `figure live-document crash: ${KILLS} kills, ${sent.length} markers sent, ${acknowledged.length} acknowledged, ` +
          `${markers.filter((m) => !acknowledgedSet.has(m)).length} more stored though their answer was cut, ${lost.length} lost; ` +
          `${figures.reopened} openings, ${row.revision} compactions`,
      );
      expect(lost).toEqual([]);
      // Every marker once, whole; nothing else but the first line and the last (empty) one.
      expect(markers.length).toBe(new Set(markers).size);
      expect(markers.every((m) => sent.includes(m))).toBe(true);
      expect(lines.filter((l) => !l.startsWith("marker "))).toEqual([INITIAL_BODY.split("\n")[0], ""]);
      expect(draft.body.draft).toBe(newcomer.text);
      expect(row.revision).toBeGreaterThan(0);
    },
    60_000 + KILLS * 20_000,
  );
});
