/**
 * The audit trail misses nothing and invents nothing: a thousand random
 * changes through the API (settings, invitations, roles, removals, studies,
 * results, comments, edits, deletions, resolutions), interleaved with
 * refused requests, leave exactly one matching event each — actor, time,
 * target, and before/after where a value changed — that the database will not
 * let anyone alter, and that the CSV export carries.
 */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { registerUser, workspaceWithRoles, type ApiResponse, type TestUser } from "#tests/support/api.ts";
import { countFromEnv, seededRandom, seedFromEnv } from "#tests/support/random.ts";
import { useServer } from "#tests/support/server.ts";
import type { LiveEvent } from "#tests/support/socket.ts";

const MUTATIONS = countFromEnv("AUDIT_MUTATIONS", 1000);
/** A change takes about 15 ms on SQLite and 50 on PostgreSQL; the limit only stops a run that hangs. */
const AUDIT_TIMEOUT = 30_000 + MUTATIONS * 150;
const ROLES = ["lead", "contributor", "observer"] as const;
type Role = (typeof ROLES)[number];

interface Expected {
  type: string;
  actorId: string;
  target: { type: string; id: string };
  /** Sent just before the request and read just after its answer: the event's time lies between. */
  sentAt: number;
  answeredAt: number;
  /** Checks the payload's before/after (or other detail) when the change has values. */
  payload?: (payload: Record<string, any>) => void;
}

const server = useServer();

describe(`${MUTATIONS} random changes through the API`, () => {
  const expected: Expected[] = [];
  let refused = 0;
  let baseline = 0;
  let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
  const ws = () => `/api/v1/workspaces/${team.workspaceId}`;

  it("each leave exactly one matching event, and refused requests none", { timeout: AUDIT_TIMEOUT }, async () => {
    const random = seededRandom(seedFromEnv("AUDIT_SEED"));
    team = await workspaceWithRoles(server.url);
    const lead = team.lead;
    const members = new Map<string, { user: TestUser; role: Role }>([
      [team.lead.id, { user: team.lead, role: "lead" }],
      [team.contributor.id, { user: team.contributor, role: "contributor" }],
      [team.observer.id, { user: team.observer, role: "observer" }],
    ]);
    const outsiders: TestUser[] = [team.outsider];
    const stranger = await registerUser(server.url, "Never Invited");
    for (const name of ["Ada", "Ben", "Cleo", "Dev"]) outsiders.push(await registerUser(server.url, `Candidate ${name}`));
    const workspace = { name: "Test consortium", description: "" };
    const invitations: { id: string; token: string; role: Role }[] = [];
    const studies: { id: string; version: number; title: string; arms: { id: string }[]; outcomes: { id: string }[] }[] = [];
    const results: { id: string; version: number; notes: string }[] = [];
    const comments: { id: string; studyId: string; authorId: string; body: string; root: boolean; resolved: boolean; deleted: boolean }[] =
      [];
    const trail = await lead.api.get(`${ws()}/events?limit=1000`);
    baseline = Number(trail.body.items.at(-1).id);

    let counter = 0;
    const text = (what: string) => `${what} ${++counter}`;
    const atLeast = (role: Role) => [...members.values()].filter((m) => ROLES.indexOf(m.role) <= ROLES.indexOf(role));

    /** Sends one change and notes the event it must leave. */
    async function change(
      request: () => Promise<ApiResponse>,
      status: number,
      event: (body: any) => Omit<Expected, "sentAt" | "answeredAt">,
    ): Promise<any> {
      const sentAt = Date.now();
      const response = await request();
      const answeredAt = Date.now();
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      expected.push({ ...event(response.body), sentAt, answeredAt });
      return response.body;
    }

    const operations: { ready: () => boolean; run: () => Promise<void> }[] = [
      {
        // Workspace settings: a new name or description.
        ready: () => true,
        run: async () => {
          const field = random.pick(["name", "description"] as const);
          const before = { ...workspace };
          workspace[field] = text(field === "name" ? "Consortium" : "About");
          const after = { ...workspace };
          await change(
            () => lead.api.patch(ws(), { [field]: workspace[field] }),
            200,
            () => ({
              type: "workspace.updated",
              actorId: lead.id,
              target: { type: "workspace", id: team.workspaceId },
              payload: (p) => expect({ before: p.before, after: p.after }).toEqual({ before, after }),
            }),
          );
        },
      },
      {
        ready: () => invitations.length < 6,
        run: async () => {
          const role = random.pick(ROLES);
          const body = await change(
            () => lead.api.post(`${ws()}/invitations`, { role }),
            201,
            (b) => ({
              type: "invitation.created",
              actorId: lead.id,
              target: { type: "invitation", id: b.id },
              payload: (p) => expect(p.role).toBe(role),
            }),
          );
          invitations.push({ id: body.id, token: body.token, role });
        },
      },
      {
        ready: () => invitations.length > 0,
        run: async () => {
          const invitation = invitations.splice(random.int(0, invitations.length - 1), 1)[0];
          await change(
            () => lead.api.delete(`${ws()}/invitations/${invitation.id}`),
            204,
            () => ({
              type: "invitation.revoked",
              actorId: lead.id,
              target: { type: "invitation", id: invitation.id },
              payload: (p) => expect(p.role).toBe(invitation.role),
            }),
          );
        },
      },
      {
        ready: () => invitations.length > 0 && outsiders.length > 0,
        run: async () => {
          const invitation = invitations.splice(random.int(0, invitations.length - 1), 1)[0];
          const joiner = outsiders.splice(random.int(0, outsiders.length - 1), 1)[0];
          await change(
            () => joiner.api.post(`/api/v1/invitations/${invitation.token}/accept`),
            200,
            () => ({
              type: "member.joined",
              actorId: joiner.id,
              target: { type: "user", id: joiner.id },
              payload: (p) => expect(p.role).toBe(invitation.role),
            }),
          );
          members.set(joiner.id, { user: joiner, role: invitation.role });
        },
      },
      {
        ready: () => members.size > 1,
        run: async () => {
          const member = random.pick([...members.values()].filter((m) => m.user.id !== lead.id));
          const role = random.pick(ROLES.filter((r) => r !== member.role));
          const before = member.role;
          await change(
            () => lead.api.patch(`${ws()}/members/${member.user.id}`, { role }),
            200,
            () => ({
              type: "member.role_changed",
              actorId: lead.id,
              target: { type: "user", id: member.user.id },
              payload: (p) => expect({ before: p.before, after: p.after }).toEqual({ before, after: role }),
            }),
          );
          member.role = role;
        },
      },
      {
        ready: () => members.size > 3,
        run: async () => {
          const member = random.pick([...members.values()].filter((m) => m.user.id !== lead.id));
          await change(
            () => lead.api.delete(`${ws()}/members/${member.user.id}`),
            204,
            () => ({
              type: "member.removed",
              actorId: lead.id,
              target: { type: "user", id: member.user.id },
              payload: (p) => expect(p.role).toBe(member.role),
            }),
          );
          members.delete(member.user.id);
          outsiders.push(member.user);
        },
      },
      {
        ready: () => studies.length < 15,
        run: async () => {
          const actor = random.pick(atLeast("contributor")).user;
          const title = text("Trial");
          const body = await change(
            () =>
              actor.api.post(`${ws()}/studies`, {
                title,
                arms: [{ name: "active" }, { name: "placebo", class: "placebo" }],
                outcomes: [{ name: "HAM-D 17 change" }],
              }),
            201,
            (b) => ({
              type: "study.created",
              actorId: actor.id,
              target: { type: "study", id: b.id },
              payload: (p) => expect(p.title).toBe(title),
            }),
          );
          studies.push({ id: body.id, version: body.version, title, arms: body.arms, outcomes: body.outcomes });
        },
      },
      {
        ready: () => studies.length > 0,
        run: async () => {
          const actor = random.pick(atLeast("contributor")).user;
          const study = random.pick(studies);
          const before = study.title;
          const title = text("Trial, renamed");
          const version = study.version + 1;
          await change(
            () => actor.api.patch(`${ws()}/studies/${study.id}`, { baseVersion: study.version, title }),
            200,
            () => ({
              type: "study.updated",
              actorId: actor.id,
              target: { type: "study", id: study.id },
              payload: (p) => {
                expect({ before: p.before.title, after: p.after.title }).toEqual({ before, after: title });
                expect(p.version).toBe(version);
              },
            }),
          );
          study.version++;
          study.title = title;
        },
      },
      {
        ready: () => studies.length > 0 && results.length < 40,
        run: async () => {
          const actor = random.pick(atLeast("contributor")).user;
          const study = random.pick(studies);
          const body = await change(
            () =>
              actor.api.post(`${ws()}/results`, {
                studyId: study.id,
                outcomeId: study.outcomes[0].id,
                interventionArmId: study.arms[0].id,
                comparatorArmId: study.arms[1].id,
                data: {
                  type: "continuous",
                  intervention: { mean: random.int(-20, 0), sd: 6, n: 20 },
                  comparator: { mean: random.int(-20, 0), sd: 6, n: 20 },
                },
              }),
            201,
            (b) => ({
              type: "result.created",
              actorId: actor.id,
              target: { type: "result", id: b.id },
              payload: (p) => expect(p.studyId).toBe(study.id),
            }),
          );
          results.push({ id: body.id, version: body.version, notes: "" });
        },
      },
      {
        ready: () => results.length > 0,
        run: async () => {
          const actor = random.pick(atLeast("contributor")).user;
          const result = random.pick(results);
          const before = result.notes;
          const notes = text("Note");
          await change(
            () => actor.api.patch(`${ws()}/results/${result.id}`, { baseVersion: result.version, notes }),
            200,
            () => ({
              type: "result.updated",
              actorId: actor.id,
              target: { type: "result", id: result.id },
              payload: (p) => expect({ before: p.before.notes, after: p.after.notes }).toEqual({ before, after: notes }),
            }),
          );
          result.version++;
          result.notes = notes;
        },
      },
      {
        ready: () => studies.length > 0,
        run: async () => {
          const author = random.pick([...members.values()]).user;
          const roots = comments.filter((c) => c.root && !c.deleted);
          const parent = roots.length && random.next() < 0.4 ? random.pick(roots) : null;
          const studyId = parent ? parent.studyId : random.pick(studies).id;
          const body = text("Comment");
          const created = await change(
            () =>
              author.api.post(`${ws()}/comments`, {
                target: { type: "study", id: studyId },
                body,
                ...(parent ? { parentId: parent.id } : {}),
              }),
            201,
            (b) => ({
              type: "comment.created",
              actorId: author.id,
              target: { type: "comment", id: b.id },
              payload: (p) => expect(p.comment.body).toBe(body),
            }),
          );
          comments.push({ id: created.id, studyId, authorId: author.id, body, root: !parent, resolved: false, deleted: false });
        },
      },
      {
        ready: () => comments.some((c) => !c.deleted && members.has(c.authorId)),
        run: async () => {
          const comment = random.pick(comments.filter((c) => !c.deleted && members.has(c.authorId)));
          const author = members.get(comment.authorId)!.user;
          const before = comment.body;
          const body = text("Edited comment");
          await change(
            () => author.api.patch(`${ws()}/comments/${comment.id}`, { body }),
            200,
            () => ({
              type: "comment.edited",
              actorId: author.id,
              target: { type: "comment", id: comment.id },
              payload: (p) => expect({ before: p.before, after: p.after }).toEqual({ before, after: body }),
            }),
          );
          comment.body = body;
        },
      },
      {
        ready: () => comments.filter((c) => !c.deleted).length > 5,
        run: async () => {
          const comment = random.pick(comments.filter((c) => !c.deleted));
          const actor = members.has(comment.authorId) ? members.get(comment.authorId)!.user : lead;
          await change(
            () => actor.api.delete(`${ws()}/comments/${comment.id}`),
            204,
            () => ({
              type: "comment.deleted",
              actorId: actor.id,
              target: { type: "comment", id: comment.id },
              payload: (p) => expect(p.before).toBe(comment.body),
            }),
          );
          comment.deleted = true;
        },
      },
      {
        ready: () => comments.some((c) => c.root),
        run: async () => {
          const thread = random.pick(comments.filter((c) => c.root));
          const actor = random.pick(atLeast("contributor")).user;
          const resolve = !thread.resolved;
          await change(
            () => actor.api.post(`${ws()}/comments/${thread.id}/${resolve ? "resolve" : "reopen"}`),
            200,
            () => ({
              type: resolve ? "comment.resolved" : "comment.reopened",
              actorId: actor.id,
              target: { type: "comment", id: thread.id },
              payload: (p) => expect(p.comment.resolvedAt === null).toBe(!resolve),
            }),
          );
          thread.resolved = resolve;
        },
      },
    ];

    // Requests that must be refused and leave no event.
    const refusals: (() => Promise<ApiResponse>)[] = [
      () => lead.api.patch(ws(), { name: "" }),
      () => lead.api.post(`${ws()}/invitations`, { role: "owner" }),
      () => stranger.api.patch(ws(), { name: "Taken over" }),
      () =>
        studies.length
          ? lead.api.patch(`${ws()}/studies/${studies[0].id}`, { baseVersion: studies[0].version - 1 || 99, title: "Stale" })
          : lead.api.post(`${ws()}/studies`, {}),
      () => lead.api.post(`${ws()}/comments`, { target: { type: "study", id: "nothing-here" }, body: "Lost" }),
      () => lead.api.delete(`${ws()}/members/no-such-member`),
    ];

    while (expected.length < MUTATIONS) {
      if (random.next() < 0.05) {
        const refusal = random.pick(refusals);
        const response = await refusal();
        expect(response.status, refusal.toString()).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        refused++;
        continue;
      }
      const ready = operations.filter((o) => o.ready());
      await random.pick(ready).run();
    }

    const events: LiveEvent[] = [];
    for (let after = baseline; ; ) {
      const page = await lead.api.get(`${ws()}/events?after=${after}&limit=1000`);
      events.push(...page.body.items);
      if (page.body.nextCursor === null) break;
      after = Number(page.body.nextCursor);
    }

    const mismatches: string[] = [];
    for (let i = 0; i < Math.max(events.length, expected.length); i++) {
      const event = events[i];
      const want = expected[i];
      if (!event || !want) {
        mismatches.push(`#${i}: ${event ? `extra ${event.type}` : `missing ${want.type}`}`);
        continue;
      }
      try {
        expect({ type: event.type, actor: event.actor.id, target: event.target }).toEqual({
          type: want.type,
          actor: want.actorId,
          target: want.target,
        });
        const time = Date.parse(event.createdAt);
        expect(time).toBeGreaterThanOrEqual(want.sentAt);
        expect(time).toBeLessThanOrEqual(want.answeredAt);
        want.payload?.(event.payload);
      } catch (error) {
        mismatches.push(`#${i} ${want.type}: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    const kinds = new Set(expected.map((e) => e.type));
    console.log(
      `figure audit: ${expected.length} mutations (${kinds.size} kinds) and ${refused} refused requests → ${events.length} events, ${mismatches.length} mismatched or missing`,
    );
    expect(mismatches).toEqual([]);
    expect(events).toHaveLength(expected.length);
    expect(kinds.size).toBeGreaterThanOrEqual(14);
  });

  it("cannot be altered or removed in the database itself", async () => {
    const db = server.database;
    const rows = () => db.query("SELECT * FROM events WHERE workspace_id = ? AND id > ? ORDER BY id", [team.workspaceId, baseline]);
    const before = await rows();
    await expect(db.query("UPDATE events SET payload = '{}' WHERE id > ?", [baseline])).rejects.toThrow(/append-only/);
    await expect(db.query("UPDATE events SET actor_id = actor_id WHERE id = ?", [baseline + 1])).rejects.toThrow(/append-only/);
    await expect(db.query("DELETE FROM events WHERE id > ?", [baseline])).rejects.toThrow(/append-only/);
    expect(await rows()).toEqual(before);
    expect(before).toHaveLength(expected.length);
  });

  it("is all in the CSV export, which is itself recorded and listed in the file", async () => {
    const response = await fetch(`${server.url}${ws()}/events.csv`, { headers: { authorization: `Bearer ${team.lead.token}` } });
    expect(response.status).toBe(200);
    const rows: Record<string, string>[] = parse(await response.text(), { columns: true });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const trail: LiveEvent[] = [];
    for (let cursor = String(baseline); ; ) {
      const page = await team.lead.api.get(`${ws()}/events?after=${cursor}&limit=1000`);
      trail.push(...page.body.items);
      if (page.body.nextCursor === null) break;
      cursor = page.body.nextCursor;
    }
    expect(trail).toHaveLength(expected.length + 1);
    const exported = trail.at(-1)!;
    expect(exported).toMatchObject({ type: "audit.exported", actor: { id: team.lead.id } });
    for (const event of trail) {
      const row = byId.get(event.id);
      expect(row, event.id).toBeDefined();
      expect({ type: row!.type, actor: row!.actor_id, target: row!.target_id }).toEqual({
        type: event.type,
        actor: event.actor.id,
        target: event.target.id,
      });
    }
    console.log(`figure audit export: ${rows.length} rows in the CSV, ${expected.length} changes and the export itself among them`);
  });
});
