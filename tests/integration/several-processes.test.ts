/**
 * Three app processes on one PostgreSQL database and one Redis, live clients
 * spread over them, as a host runs Consilience behind a balancer (README,
 * "Running several processes"; decisions 017 and 018). What one process did
 * alone must hold across all three: live events reach every process, a killed
 * process's clients replay on another with nothing lost or doubled, concurrent
 * edits lose nothing, sign-in budgets count across processes, reminders go out
 * once, and a restart never takes another process's import.
 *
 * Runs in the PostgreSQL integration project (TEST_DATABASE_ENGINE=postgres).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, signInForSessionCookie, TEST_PASSWORD, workspaceWithRoles, type TestUser } from "#tests/support/api.ts";
import { startCluster, type Cluster } from "#tests/support/cluster.ts";
import { studyWithDefaultPanel, uploadDataset } from "#tests/support/datasets.ts";
import { openEditor, textBecomes } from "#tests/support/live-document.ts";
import { connectLive, type LiveClient, type LiveEvent } from "#tests/support/socket.ts";

const onPostgres = process.env.TEST_DATABASE_ENGINE === "postgres";
/** Three processes, restarts and hundreds of writes on a shared 2-core machine: more time than one request needs. */
const HEAVY = { timeout: 180_000 };
const ACCOUNT_FAILURES = 5;

let cluster: Cluster;
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
const url = (i: number) => cluster.processes[i].url;
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
/** The same person's API client, talking to process i (at its current address: a restart changes the port). */
const via = (user: TestUser, i: number) => new ApiClient(url(i), user.token);

const open: LiveClient[] = [];
async function joined(i: number, user: TestUser, afterEventId?: string): Promise<LiveClient> {
  const client = await connectLive(url(i), { token: user.token });
  open.push(client);
  const ack = await client.join(team.workspaceId, afterEventId);
  expect(ack).toEqual({ ok: true });
  return client;
}

/** Every event of the workspace after `after`, from the audit trail, in id order. */
async function trail(after = "0"): Promise<LiveEvent[]> {
  const items: LiveEvent[] = [];
  for (let cursor = after; ; ) {
    const page = await via(team.lead, 1).get(`${ws()}/events?after=${cursor}&limit=1000`);
    items.push(...page.body.items);
    if (page.body.nextCursor === null) return items;
    cursor = page.body.nextCursor;
  }
}

/** Three processes and a team for the enclosing describe block, on a database of their own. */
function useCluster(env: Record<string, string> = {}) {
  beforeAll(async () => {
    cluster = await startCluster(3, env);
    team = await workspaceWithRoles(url(0));
  }, HEAVY.timeout);

  afterAll(async () => {
    for (const client of open.splice(0)) client.close();
    await cluster?.stop();
  }, HEAVY.timeout);
}

const ids = (events: LiveEvent[]) => events.map((e) => e.id);
const duplicates = (values: string[]) => values.length - new Set(values).size;

describe.skipIf(!onPostgres)("three processes on one PostgreSQL and one Redis", () => {
  // Imports pause 20 ms per 500 rows written: the 150,000-row import below is still writing while a process restarts.
  useCluster({ LOGIN_FAILURES_PER_ACCOUNT: String(ACCOUNT_FAILURES), IMPORT_TEST_PAUSE_PER_CHUNK_MS: "20" });

  it("delivers a comment posted through process 1 to every client on processes 2 and 3, with presence from all", async () => {
    const study = await via(team.contributor, 1).post(`${ws()}/studies`, { title: "Across processes" });
    const onTwo = await joined(1, team.observer);
    const onThree = await joined(2, team.contributor);
    const posted = await via(team.lead, 0).post(`${ws()}/comments`, {
      target: { type: "study", id: study.body.id },
      body: "Seen on every process?",
    });
    expect(posted.status).toBe(201);
    for (const client of [onTwo, onThree]) {
      const event = await client.events.waitFor((e) => e.type === "comment.created" && e.target.id === posted.body.id);
      expect(event.payload).toMatchObject({ comment: { body: "Seen on every process?" } });
    }
    // Presence lists the members connected to any process.
    const everyone = await onTwo.presence.waitFor((p) => p.members.length >= 2);
    expect(everyone.members.map((m) => m.userId).sort()).toEqual([team.observer.id, team.contributor.id].sort());
  });

  it("lets two people on different processes write one protocol together: each edit reaches the other, and the stored draft has both", async () => {
    const protocol = await via(team.lead, 0).post(`${ws()}/protocols`, { title: "Across processes", body: "Draw blood." });
    const target = { workspaceId: team.workspaceId, protocolId: protocol.body.id };
    const onOne = await openEditor(url(0), team.lead.token, target);
    const onThree = await openEditor(url(2), team.contributor.token, target);
    try {
      onOne.insert(0, "Lead: ");
      onThree.insert(onThree.text.length, " Contributor.");
      await Promise.all([onOne.provider.whenSaved(), onThree.provider.whenSaved()]);
      const both = "Lead: Draw blood. Contributor.";
      await textBecomes(onOne, (t) => t === both);
      await textBecomes(onThree, (t) => t === both);
      expect((await via(team.observer, 1).get(`${ws()}/protocols/${protocol.body.id}`)).body.draft).toBe(both);
    } finally {
      onOne.close();
      onThree.close();
    }
  });

  it("lets the clients of a killed process replay on another with 0 lost and 0 duplicated acknowledged events", HEAVY, async () => {
    const study = await via(team.contributor, 1).post(`${ws()}/studies`, { title: "Kill -9 during writes" });
    const start = (await trail()).at(-1)!.id;
    const watchers = [await joined(0, team.observer, start), await joined(0, team.contributor, start)];
    const acknowledged: string[] = [];
    let writing = true;
    const writers = [1, 2].map(async (i) => {
      for (let n = 0; writing && n < 200; n++) {
        const answer = await via(team.lead, i).post(`${ws()}/comments`, {
          target: { type: "study", id: study.body.id },
          body: `write ${i}.${n}`,
        });
        expect(answer.status).toBe(201);
        acknowledged.push(answer.body.id);
      }
    });
    while (acknowledged.length < 20) await new Promise((resolve) => setTimeout(resolve, 20));
    await cluster.kill(0);
    // Each client reconnects to another process and asks for everything after the last event it saw.
    const resumed = await Promise.all(
      watchers.map(async (watcher, k) => {
        const seen = watcher.eventsOf(team.workspaceId);
        watcher.close();
        const user = k === 0 ? team.observer : team.contributor;
        return { before: seen, after: await joined(1 + k, user, seen.at(-1)?.id ?? start) };
      }),
    );
    while (acknowledged.length < 60) await new Promise((resolve) => setTimeout(resolve, 20));
    writing = false;
    await Promise.all(writers);
    const last = acknowledged.at(-1)!;
    for (const { before, after } of resumed) {
      await after.events.waitFor((e) => e.type === "comment.created" && e.target.id === last);
      const received = [...before, ...after.eventsOf(team.workspaceId)];
      const comments = received.filter((e) => e.type === "comment.created").map((e) => e.target.id);
      expect(
        acknowledged.filter((id) => !comments.includes(id)),
        "lost",
      ).toEqual([]);
      expect(duplicates(ids(received)), "duplicated").toBe(0);
      // In the audit trail's order.
      expect(ids(received)).toEqual(ids(received).toSorted((a, b) => Number(a) - Number(b)));
    }
    await cluster.restart(0);
  });

  it("ends live access on every process: a revoked token, a sign-out, a removed member", HEAVY, async () => {
    const disconnection = (client: LiveClient) =>
      new Promise<string>((resolve) => client.socket.once("disconnect", (reason) => resolve(reason)));

    // A token revoked through process 1 closes the connections it opened on processes 2 and 3.
    const scripted = await registerUser(url(0), "Scripting Researcher");
    const onTwo = await connectLive(url(1), { token: scripted.token });
    const onThree = await connectLive(url(2), { token: scripted.token });
    open.push(onTwo, onThree);
    const closed = [disconnection(onTwo), disconnection(onThree)];
    expect((await via(scripted, 0).delete("/api/v1/auth/token")).status).toBe(204);
    expect(await Promise.all(closed)).toEqual(["io server disconnect", "io server disconnect"]);

    // Signing out through process 1 closes that browser session's connection on process 2.
    const browsing = await registerUser(url(0), "Browsing Researcher");
    const cookie = await signInForSessionCookie(url(0), browsing.email, browsing.password);
    const browser = await connectLive(url(1), { cookie });
    open.push(browser);
    const browserClosed = disconnection(browser);
    const out = await fetch(`${url(0)}/logout`, { method: "POST", headers: { cookie, origin: url(0) }, redirect: "manual" });
    expect(out.status).toBe(302);
    expect(await browserClosed).toBe("io server disconnect");

    // A member removed through process 1 stops hearing the workspace on processes 2 and 3.
    const leaving = await registerUser(url(0), "Leaving Researcher");
    const invitation = await via(team.lead, 0).post(`${ws()}/invitations`, { role: "contributor" });
    expect((await via(leaving, 0).post(`/api/v1/invitations/${invitation.body.token}/accept`)).status).toBe(200);
    const devices = [await joined(1, leaving), await joined(2, leaving)];
    const lead = await joined(0, team.lead);
    expect((await via(team.lead, 0).delete(`${ws()}/members/${leaving.id}`)).status).toBe(204);
    const removal = await lead.events.waitFor((e) => e.type === "member.removed" && e.target.id === leaving.id);
    const renamed = await via(team.lead, 0).patch(ws(), { name: `Renamed ${randomUUID().slice(0, 6)}` });
    expect(renamed.status).toBe(200);
    const later = await lead.events.waitFor((e) => e.type === "workspace.updated" && Number(e.id) > Number(removal.id));
    // The other processes have delivered it by the time a member there has it.
    await (await joined(2, team.observer, removal.id)).events.waitFor((e) => e.id === later.id);
    for (const device of devices) {
      expect(device.eventsOf(team.workspaceId).some((e) => Number(e.id) >= Number(later.id))).toBe(false);
      expect(await device.join(team.workspaceId)).toMatchObject({ ok: false });
    }
  });

  it("keeps every concurrent edit of one result across the processes: 0 lost updates", HEAVY, async () => {
    const study = await via(team.contributor, 1).post(`${ws()}/studies`, {
      title: "Edited from three processes",
      arms: [{ name: "infliximab" }, { name: "placebo", class: "placebo" }],
      outcomes: [{ name: "HAM-D 17 change" }],
    });
    const result = await via(team.contributor, 1).post(`${ws()}/results`, {
      studyId: study.body.id,
      outcomeId: study.body.outcomes[0].id,
      interventionArmId: study.body.arms[0].id,
      comparatorArmId: study.body.arms[1].id,
      data: { type: "continuous", intervention: { mean: -9, sd: 6, n: 20 }, comparator: { mean: -5, sd: 6, n: 20 } },
    });
    const path = `${ws()}/results/${result.body.id}`;
    const WRITERS = 20;
    const saved = await Promise.all(
      Array.from({ length: WRITERS }, async (_, i) => {
        const api = via(i % 2 ? team.lead : team.contributor, i % 3);
        for (let base = 1, attempt = 0; attempt < WRITERS * 2; attempt++) {
          const answer = await api.patch(path, { baseVersion: base, notes: `writer ${i}` });
          if (answer.status === 200) return answer.body.version as number;
          expect(answer.status).toBe(409);
          base = answer.body.error.details[0].currentVersion;
        }
        throw new Error(`writer ${i} never got its edit in`);
      }),
    );
    expect(saved.toSorted((a, b) => a - b)).toEqual(Array.from({ length: WRITERS }, (_, k) => k + 2));
    const updates = (await trail()).filter((e) => e.type === "result.updated" && e.target.id === result.body.id);
    expect(updates.map((e) => e.payload.version)).toEqual(Array.from({ length: WRITERS }, (_, k) => k + 2));
    for (let k = 1; k < updates.length; k++) {
      expect((updates[k].payload.before as { notes: string }).notes).toBe((updates[k - 1].payload.after as { notes: string }).notes);
    }
  });

  it("checks 5 of 50 password guesses spread over the processes, and refuses the rest with 429", async () => {
    const target = await registerUser(url(0), "Guessed Researcher");
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        new ApiClient(url(i % 3)).post("/api/v1/auth/token", { email: target.email, password: `wrong guess ${i}`, label: "guess" }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(ACCOUNT_FAILURES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - ACCOUNT_FAILURES);
    // The right password is refused too until the window passes: the budget is the account's, on every process.
    expect((await new ApiClient(url(2)).post("/api/v1/auth/token", { email: target.email, password: TEST_PASSWORD })).status).toBe(429);
  });

  it("sends a due-date reminder once, however many processes start at the same time", HEAVY, async () => {
    const owner = team.lead;
    const dueDate = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const goal = await via(owner, 0).post(`${ws()}/goals`, {
      title: `Reminded once ${randomUUID().slice(0, 6)}`,
      dueDate,
      ownerId: owner.id,
    });
    expect(goal.status).toBe(201);
    // Every process runs the reminders when it starts.
    await Promise.all([cluster.restart(0), cluster.restart(1), cluster.restart(2)]);
    const reminded = async () =>
      ((await via(owner, 1).get("/api/v1/me/notifications")).body.items as { title: string }[]).filter((n) =>
        n.title.includes(goal.body.title),
      );
    while ((await reminded()).length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await reminded()).toHaveLength(1);
  });

  it("finishes an import on process 2 while process 3 restarts (the restart removes only imports whose lease lapsed)", HEAVY, async () => {
    const { studyId } = await studyWithDefaultPanel(via(team.contributor, 0), team.workspaceId);
    const rows = 150_000;
    const csv = [
      "participant_id,arm,CRP (mg/L)",
      ...Array.from({ length: rows }, (_, i) => `P${i},${i % 2 ? "infliximab" : "placebo"},${(i % 90) / 10}`),
    ].join("\n");
    const upload = uploadDataset(via(team.contributor, 1), team.workspaceId, studyId, csv, {
      name: "Large import",
      raw: true,
      fileName: "large.csv",
    });
    while ((await cluster.database.query("SELECT 1 FROM datasets WHERE status = 'importing'")).length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await cluster.restart(2);
    const importingWhenBack = await cluster.database.query("SELECT 1 FROM datasets WHERE status = 'importing'");
    expect(importingWhenBack.length, "the import was still running when process 3 came back").toBe(1);
    const answer = await upload;
    expect(answer.status).toBe(201);
    expect(answer.body.rowCount).toBe(rows);
    expect(await cluster.database.count("dataset_rows", "dataset_id = ?", [answer.body.id])).toBe(rows);
  });
});

describe.skipIf(!onPostgres)("the event feed under concurrent writers on several processes", () => {
  useCluster();

  it("shows a tailing client and a client replaying from 0 every committed event exactly once, in the same order", HEAVY, async () => {
    const study = await via(team.contributor, 1).post(`${ws()}/studies`, { title: "Fifty writers" });
    const tail = await joined(0, team.observer, (await trail()).at(-1)!.id);
    const WRITERS = 50;
    const EACH = 8;
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const api = via(w % 2 ? team.lead : team.contributor, w % 3);
        for (let n = 0; n < EACH; n++) {
          const answer = await api.post(`${ws()}/comments`, {
            target: { type: "study", id: study.body.id },
            body: `writer ${w}, comment ${n}`,
          });
          expect(answer.status).toBe(201);
        }
      }),
    );
    const committed = (await trail()).filter((e) => e.type === "comment.created");
    expect(committed).toHaveLength(WRITERS * EACH);
    const newest = committed.at(-1)!.id;
    await tail.events.waitFor((e) => e.id === newest);
    const replay = await joined(1, team.lead, "0");
    await replay.events.waitFor((e) => e.id === newest);

    const tailed = tail.eventsOf(team.workspaceId).filter((e) => e.type === "comment.created");
    const replayed = replay.eventsOf(team.workspaceId).filter((e) => e.type === "comment.created");
    expect(ids(tailed)).toEqual(ids(committed));
    expect(ids(replayed)).toEqual(ids(committed));
  });
});
