/**
 * Fifty people saving the same result, study, goal or protocol at once: no update is lost.
 * Each save that succeeds is a distinct version in the audit trail, chained
 * to the one before it; every other save is refused with 409 and the current
 * version, so its author can look and apply their change again.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles, type ApiResponse, type TestUser } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";
import type { LiveEvent } from "#tests/support/socket.ts";

const WRITERS = 50;

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
});

async function eventsOf(type: string, targetId: string): Promise<LiveEvent[]> {
  const items: LiveEvent[] = [];
  for (let after = "0"; ; ) {
    const page = await team.lead.api.get(`${ws()}/events?after=${after}&limit=1000`);
    items.push(...page.body.items);
    if (page.body.nextCursor === null) break;
    after = page.body.nextCursor;
  }
  return items.filter((e) => e.type === type && e.target.id === targetId);
}

interface Subject {
  name: string;
  path: string;
  eventType: string;
  /** The edit writer `i` wants to make, and where that value shows in an event's before/after. */
  edit: (i: number) => Record<string, unknown>;
  valueOf: (snapshot: any) => unknown;
}

/** Every writer sends its edit once, all based on the same version. */
async function allAtOnce(subject: Subject, writers: TestUser[], baseVersion: number) {
  return Promise.all(writers.map((w, i) => w.api.patch(subject.path, { baseVersion, ...subject.edit(i) })));
}

/** Every writer keeps trying, re-basing on the version a 409 reports, until its edit is saved. */
async function untilSaved(subject: Subject, writers: TestUser[], baseVersion: number, offset: number) {
  let conflicts = 0;
  const saved = await Promise.all(
    writers.map(async (w, i) => {
      let base = baseVersion;
      // Bounded: with fifty writers each save loses at most forty-nine races.
      for (let attempt = 0; attempt < WRITERS * 2; attempt++) {
        const response: ApiResponse = await w.api.patch(subject.path, { baseVersion: base, ...subject.edit(offset + i) });
        if (response.status === 200) return response;
        expect(response.status).toBe(409);
        conflicts++;
        base = response.body.error.details[0].currentVersion;
      }
      throw new Error(`writer ${i} never got its edit in`);
    }),
  );
  return { saved, conflicts };
}

function checkTrail(subject: Subject, events: LiveEvent[], savedVersions: number[], firstVersion: number) {
  // One event per accepted save, each a distinct version, consecutive from the first.
  const versions = events.map((e) => e.payload.version as number);
  expect([...versions].sort((a, b) => a - b)).toEqual([...savedVersions].sort((a, b) => a - b));
  expect(versions).toEqual(Array.from({ length: versions.length }, (_, k) => firstVersion + k));
  // Each change starts from what the previous one left: nothing was overwritten unseen.
  for (let k = 1; k < events.length; k++) {
    expect(subject.valueOf(events[k].payload.before)).toEqual(subject.valueOf(events[k - 1].payload.after));
  }
}

describe.each([
  {
    what: "result",
    setUp: async () => {
      const study = await team.contributor.api.post(`${ws()}/studies`, {
        title: "Concurrent result host",
        arms: [{ name: "infliximab" }, { name: "placebo", class: "placebo" }],
        outcomes: [{ name: "HAM-D 17 change" }],
      });
      const result = await team.contributor.api.post(`${ws()}/results`, {
        studyId: study.body.id,
        outcomeId: study.body.outcomes[0].id,
        interventionArmId: study.body.arms[0].id,
        comparatorArmId: study.body.arms[1].id,
        data: { type: "continuous", intervention: { mean: -9, sd: 6, n: 20 }, comparator: { mean: -5, sd: 6, n: 20 } },
      });
      return {
        name: "result",
        path: `${ws()}/results/${result.body.id}`,
        eventType: "result.updated",
        edit: (i: number) => ({ notes: `Checked by writer ${i}` }),
        valueOf: (snapshot: any) => snapshot.notes,
      } satisfies Subject;
    },
  },
  {
    what: "study",
    setUp: async () => {
      const study = await team.contributor.api.post(`${ws()}/studies`, { title: "Concurrent study" });
      return {
        name: "study",
        path: `${ws()}/studies/${study.body.id}`,
        eventType: "study.updated",
        edit: (i: number) => ({ title: `Concurrent study, title by writer ${i}` }),
        valueOf: (snapshot: any) => snapshot.title,
      } satisfies Subject;
    },
  },
  {
    what: "goal",
    setUp: async () => {
      const goal = await team.lead.api.post(`${ws()}/goals`, { title: "Concurrent goal" });
      return {
        name: "goal",
        path: `${ws()}/goals/${goal.body.id}`,
        eventType: "goal.updated",
        edit: (i: number) => ({ title: `Concurrent goal, title by writer ${i}` }),
        valueOf: (snapshot: any) => snapshot.title,
      } satisfies Subject;
    },
  },
])(`${WRITERS} concurrent edits of one $what`, ({ setUp }) => {
  let subject: Subject;
  let writers: TestUser[];
  beforeAll(async () => {
    subject = await setUp();
    // Goals are a lead's to edit; the other subjects alternate between a lead and a contributor.
    writers = Array.from({ length: WRITERS }, (_, i) => (subject.name === "goal" ? team.lead : [team.lead, team.contributor][i % 2]));
  });

  it("all based on the same version: exactly one is saved, the others get 409 with the current version", async () => {
    const answers = await allAtOnce(subject, writers, 1);
    const saved = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 409);
    expect(saved).toHaveLength(1);
    expect(refused).toHaveLength(WRITERS - 1);
    for (const r of refused)
      expect(r.body.error.details[0]).toMatchObject({ currentVersion: expect.any(Number), current: expect.any(Object) });
    const id = subject.path.split("/").at(-1)!;
    const events = await eventsOf(subject.eventType, id);
    expect(events).toHaveLength(1);
    expect(subject.valueOf(events[0].payload.after)).toEqual(subject.valueOf(saved[0].body));
    checkTrail(subject, events, [saved[0].body.version], 2);
    console.log(
      `figure concurrency (${subject.name}, same base): ${WRITERS} PATCHes → ${saved.length} × 200, ${refused.length} × 409, ${events.length} event`,
    );
  });

  it("each retrying on 409: all fifty are saved as distinct versions, chained, and none is lost", async () => {
    const id = subject.path.split("/").at(-1)!;
    const before = await eventsOf(subject.eventType, id);
    const { saved, conflicts } = await untilSaved(subject, writers, 2, WRITERS);
    const versions = saved.map((s) => s.body.version as number);
    expect(new Set(versions).size).toBe(WRITERS);
    const events = (await eventsOf(subject.eventType, id)).slice(before.length);
    expect(events).toHaveLength(WRITERS);
    checkTrail(subject, events, versions, 3);
    // Every writer's own edit is in the history, and the last one is what everyone now reads.
    const written = new Set(events.map((e) => JSON.stringify(subject.valueOf(e.payload.after))));
    for (let i = 0; i < WRITERS; i++) expect(written.has(JSON.stringify(subject.valueOf(subject.edit(WRITERS + i))))).toBe(true);
    const now = await team.observer.api.get(subject.path);
    expect(subject.valueOf(now.body)).toEqual(subject.valueOf(events.at(-1)!.payload.after));
    expect(now.body.version).toBe(2 + WRITERS);
    console.log(
      `figure concurrency (${subject.name}, retrying): ${WRITERS} writers → ${WRITERS} saves as versions 3–${2 + WRITERS}, ${conflicts} × 409 on the way, 0 lost updates`,
    );
  });
});

describe(`${WRITERS} people saving a new version of one protocol at once`, () => {
  it("on the same base: one version is saved, the other saves get 409 with the current text; retrying, all are saved in order", async () => {
    const created = await team.contributor.api.post(`${ws()}/protocols`, { title: "Concurrent protocol", body: "# Draft\n" });
    const path = `${ws()}/protocols/${created.body.id}/versions`;
    const writers = Array.from({ length: WRITERS }, (_, i) => [team.lead, team.contributor][i % 2]);
    const text = (i: number) => `# Draft\n\nParagraph by writer ${i}.\n`;

    const answers = await Promise.all(writers.map((w, i) => w.api.post(path, { body: text(i), baseVersion: 1 })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const refused = answers.filter((a) => a.status === 409);
    expect(refused).toHaveLength(WRITERS - 1);
    for (const r of refused) expect(r.body.error.details[0]).toMatchObject({ currentVersion: 2 });

    let conflicts = 0;
    await Promise.all(
      writers.map(async (w, i) => {
        let base = 2;
        for (let attempt = 0; attempt < WRITERS * 2; attempt++) {
          const response: ApiResponse = await w.api.post(path, { body: text(WRITERS + i), baseVersion: base });
          if (response.status === 201) return;
          expect(response.status).toBe(409);
          conflicts++;
          base = response.body.error.details[0].currentVersion;
        }
        throw new Error(`writer ${i} never saved`);
      }),
    );
    const events = await eventsOf("protocol.version_added", created.body.id);
    const versions = events.map((e) => e.payload.version as number);
    // Version 1 came with the protocol; then one save on the shared base, then fifty retried saves.
    expect(versions).toEqual(Array.from({ length: WRITERS + 1 }, (_, k) => k + 2));
    // Every writer's own text is one of the saved versions.
    const saved = await Promise.all(versions.map((v) => team.observer.api.get(`${path}/${v}`)));
    const bodies = new Set(saved.map((v) => v.body.body as string));
    for (let i = 0; i < WRITERS; i++) expect(bodies.has(text(WRITERS + i))).toBe(true);
    console.log(
      `figure concurrency (protocol, versions): ${WRITERS} saves on one base → 1 × 201, ${refused.length} × 409; retrying: ${WRITERS} versions saved, ${conflicts} × 409 on the way, 0 lost`,
    );
  });
});
