/**
 * Many people typing in one protocol's live draft at once converge on one
 * text, whatever the order their edits reach the server and each other: 20
 * editors (leads and contributors, several sockets each) insert and delete at
 * random, mostly in the same few lines, while some of them lose their
 * connection, keep typing offline and come back. When everyone has settled,
 * every editor, a newcomer and the protocol's `draft` (JSON API) hold the same
 * text, and nothing typed offline was lost on the way.
 *
 * The server folds updates into the snapshot every COMPACTION_UPDATES updates,
 * so compaction happens many times while people type.
 *
 * CONVERGENCE_SECONDS sets how long they type (30 by default); CONVERGENCE_SEED
 * replays a run (printed at the start).
 */
import { afterAll, describe, expect, it } from "vitest";
import { registerUser, workspaceWithRoles, type TestUser } from "#tests/support/api.ts";
import { type Editor, openEditor } from "#tests/support/live-document.ts";
import { countFromEnv, seededRandom, seedFromEnv } from "#tests/support/random.ts";
import { useServer } from "#tests/support/server.ts";
import { handshake } from "#tests/support/socket.ts";

const SECONDS = countFromEnv("CONVERGENCE_SECONDS", 30);
const EDITORS = 20;
const COMPACTION_UPDATES = 40;
/** Each editor types about this often; with one update in flight per socket, every connection stays far below its 1,000 per 10 s. */
const EDIT_EVERY_MS = { min: 40, max: 200 };
/** How long a dropped connection stays away while its editor keeps typing. */
const OFFLINE_MS = { min: 200, max: 3000 };
/** The chance, at each edit, that the editor's connection drops. */
const DROP_CHANCE = 0.01;
/** Most edits land within this many characters of the start of the text: the same sentence, fought over. */
const HOT_REGION = 30;

const random = seededRandom(seedFromEnv("CONVERGENCE_SEED"));
const server = useServer({ DRAFT_COMPACTION_UPDATES: String(COMPACTION_UPDATES) });

const editors: Editor[] = [];
afterAll(() => {
  for (const e of editors) e.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LETTERS = "abcdefghijklmnopqrstuvwxyz ABC.,\n";
const randomWord = () => Array.from({ length: random.int(1, 4) }, () => random.pick([...LETTERS])).join("");

/** A position biased towards the hot region at the start, sometimes anywhere. */
function position(length: number): number {
  if (random.next() < 0.75) return random.int(0, Math.min(length, HOT_REGION));
  return random.int(0, length);
}

describe(`${EDITORS} editors typing for ${SECONDS} s, some dropping off and coming back`, () => {
  it(
    "end with one text on every editor, for a newcomer and in the protocol's draft",
    async () => {
      const team = await workspaceWithRoles(server.url);
      const ws = `/api/v1/workspaces/${team.workspaceId}`;
      // A second contributor, so three people type from several sockets each.
      const second = await registerUser(server.url, "Second Contributor");
      const invitation = await team.lead.api.post(`${ws}/invitations`, { role: "contributor" });
      expect((await second.api.post(`/api/v1/invitations/${invitation.body.token}/accept`)).status).toBe(200);

      const created = await team.lead.api.post(`${ws}/protocols`, { title: "Sample handling", body: "Draw blood at 8 am.\n" });
      expect(created.status).toBe(201);
      const target = { workspaceId: team.workspaceId, protocolId: created.body.id as string };

      const people: TestUser[] = [team.lead, team.contributor, second];
      for (let i = 0; i < EDITORS; i++) {
        const editor = await openEditor(server.url, people[i % people.length].token, target);
        expect(editor.provider.current.canEdit).toBe(true);
        editors.push(editor);
      }

      const figures = { edits: 0, inserts: 0, deletes: 0, offlineEdits: 0, drops: 0 };
      const endAt = Date.now() + SECONDS * 1000;

      /** Takes the connection away for a while, then back; the provider rejoins by itself on "connect". */
      async function dropAndReturn(editor: Editor) {
        figures.drops++;
        editor.socket.disconnect();
        await sleep(random.int(OFFLINE_MS.min, OFFLINE_MS.max));
        editor.socket.connect();
        const back = await handshake(editor.socket);
        if (!back.connected) throw back.error;
      }

      const returns: Promise<void>[] = [];
      async function type(editor: Editor) {
        while (Date.now() < endAt) {
          await sleep(random.int(EDIT_EVERY_MS.min, EDIT_EVERY_MS.max));
          const length = editor.text.length;
          // Deletions keep the text from growing without end; more of them once it is long.
          const deleting = length > 0 && random.next() < (length > 400 ? 0.6 : 0.35);
          if (deleting) {
            const at = position(length - 1);
            editor.delete(at, Math.min(random.int(1, 5), length - at));
            figures.deletes++;
          } else {
            editor.insert(position(length), randomWord());
            figures.inserts++;
          }
          figures.edits++;
          if (!editor.socket.connected) figures.offlineEdits++;
          else if (random.next() < DROP_CHANCE) returns.push(dropAndReturn(editor));
        }
      }
      await Promise.all(editors.map(type));
      await Promise.all(returns);

      // Everyone is back: every edit stored, every editor holding the server's state.
      for (const editor of editors) {
        expect(editor.socket.connected).toBe(true);
        await editor.provider.whenSynced();
        await editor.provider.whenSaved();
        expect(editor.provider.current.problem).toBeNull();
      }
      const newcomer = await openEditor(server.url, team.observer.token, target);
      editors.push(newcomer);
      const stored = newcomer.text;

      // Relayed updates may still be on their way to some editors; give them time to arrive before comparing.
      for (let waited = 0; waited < 20_000 && editors.some((e) => e.text !== stored); waited += 100) await sleep(100);

      const draft = await team.lead.api.get(`${ws}/protocols/${target.protocolId}`);
      expect(draft.status).toBe(200);
      const [row] = await server.database.query<{ revision: number }>("SELECT revision FROM protocol_drafts WHERE protocol_id = ?", [
        target.protocolId,
      ]);
      console.log(
        `figure live-document convergence: ${EDITORS} editors, ${SECONDS} s, ${figures.edits} edits ` +
          `(${figures.inserts} inserts, ${figures.deletes} deletes, ${figures.offlineEdits} typed offline), ` +
          `${figures.drops} disconnects and reconnects, ${row.revision} compactions, final length ${stored.length}`,
      );

      expect(figures.drops).toBeGreaterThan(0);
      expect(figures.offlineEdits).toBeGreaterThan(0);
      // The server folded updates into its snapshot while people typed.
      expect(row.revision).toBeGreaterThan(0);
      expect(draft.body.draft).toBe(stored);
      for (const [i, editor] of editors.entries()) expect(editor.text, `editor ${i}`).toBe(stored);
    },
    (SECONDS + 60) * 1000,
  );
});
