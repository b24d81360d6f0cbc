/**
 * Idempotency keys as a script uses them: a POST sent again with the same
 * `Idempotency-Key` (after a timeout, say) gets the first answer and creates
 * nothing more; the key belongs to its caller and path; a different request
 * under a used key is refused; keys last 24 hours
 * (docs/decisions/014-idempotency-keys.md). The crash test resends requests
 * cut off by a kill with their keys (tests/integration/crash-safety.test.ts).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { startServer, type StartedServer } from "#tests/support/server.ts";

let server: StartedServer;
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
let studyId: string;
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
const key = () => randomUUID();
const withKey = (k: string) => ({ "Idempotency-Key": k });

beforeAll(async () => {
  server = await startServer();
  team = await workspaceWithRoles(server.url);
  studyId = (await team.contributor.api.post(`${ws()}/studies`, { title: "Keyed study" })).body.id;
});
afterAll(async () => {
  await server?.stop();
});

const comment = (body: string) => ({ target: { type: "study", id: studyId }, body });
const storedComments = async (text: string) =>
  ((await team.lead.api.get(`${ws()}/comments?targetType=study&targetId=${studyId}`)).body.items as { body: string }[]).filter(
    (c) => c.body === text,
  ).length;
const eventsFor = (targetId: string) => server.database.count("events", "target_id = ?", [targetId]);

describe("POST with an Idempotency-Key", () => {
  it("answers a repeat with the first answer and creates nothing more", async () => {
    const k = key();
    const first = await team.observer.api.post(`${ws()}/comments`, comment("Sent twice"), withKey(k));
    const again = await team.observer.api.post(`${ws()}/comments`, comment("Sent twice"), withKey(k));
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await storedComments("Sent twice")).toBe(1);
    expect(await eventsFor(first.body.id)).toBe(1);
  });

  it("creates once when ten copies arrive at the same moment", async () => {
    const k = key();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => team.observer.api.post(`${ws()}/comments`, comment("Ten at once"), withKey(k))),
    );
    const created = answers.filter((a) => a.status === 201);
    // The copies that came while the first was still running are told so (409, Retry-After); the rest replay it.
    for (const busy of answers.filter((a) => a.status !== 201)) {
      expect(busy.status).toBe(409);
      expect(busy.headers.get("retry-after")).toBe("1");
    }
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    expect(await storedComments("Ten at once")).toBe(1);
    const later = await team.observer.api.post(`${ws()}/comments`, comment("Ten at once"), withKey(k));
    expect(later.body.id).toBe(created[0].body.id);
  });

  it("refuses the same key with a different request (422) and creates nothing", async () => {
    const k = key();
    expect((await team.observer.api.post(`${ws()}/comments`, comment("The first text"), withKey(k))).status).toBe(201);
    const changed = await team.observer.api.post(`${ws()}/comments`, comment("A second text"), withKey(k));
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe("unprocessable");
    expect(changed.body.error.details[0].field).toBe("Idempotency-Key");
    expect(await storedComments("A second text")).toBe(0);
  });

  it("keeps keys apart per caller and per path", async () => {
    const k = key();
    const mine = await team.observer.api.post(`${ws()}/comments`, comment("Same key, two people"), withKey(k));
    const theirs = await team.contributor.api.post(`${ws()}/comments`, comment("Same key, two people"), withKey(k));
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    const study = await team.contributor.api.post(`${ws()}/studies`, { title: "Same key, another path" }, withKey(k));
    expect(study.status).toBe(201);
    expect(await storedComments("Same key, two people")).toBe(2);
  });

  it("stores no refusal: a request refused as bad input leaves the key free", async () => {
    const k = key();
    const refused = await team.observer.api.post(`${ws()}/comments`, { target: { type: "study", id: studyId }, body: "" }, withKey(k));
    expect(refused.status).toBe(400);
    const fixed = await team.observer.api.post(`${ws()}/comments`, comment("Fixed and sent again"), withKey(k));
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get("idempotent-replayed")).toBeNull();
  });

  it("refuses a malformed key with 400 naming the header", async () => {
    for (const bad of ["a".repeat(256), "two words", "naïve"]) {
      const response = await team.observer.api.post(`${ws()}/comments`, comment("Badly keyed"), withKey(bad));
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(response.body.error.details[0].field).toBe("Idempotency-Key");
    }
    expect(await storedComments("Badly keyed")).toBe(0);
  });

  it("imports a dataset once, whether resent raw or as a new multipart form", async () => {
    const csv = "participant_id,arm,crp\np1,drug,2.5\np2,placebo,1.1\n";
    const raw = key();
    const path = `${ws()}/studies/${studyId}/datasets?name=keyed`;
    const first = await team.contributor.api.request("POST", path, csv, { "content-type": "text/csv", ...withKey(raw) });
    const again = await team.contributor.api.request("POST", path, csv, { "content-type": "text/csv", ...withKey(raw) });
    expect(first.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);

    // A client builds a new form (with a new boundary) for each send: still the same request.
    const multipart = key();
    const send = () => {
      const form = new FormData();
      form.set("name", "keyed form");
      form.set("file", new Blob([csv], { type: "text/csv" }), "data.csv");
      return fetch(`${server.url}${ws()}/studies/${studyId}/datasets`, {
        method: "POST",
        headers: { authorization: `Bearer ${team.contributor.token}`, ...withKey(multipart) },
        body: form,
      });
    };
    const one = await send();
    const two = await send();
    expect(one.status).toBe(201);
    expect(two.status).toBe(201);
    expect(two.headers.get("idempotent-replayed")).toBe("true");
    expect((await two.json()).id).toBe((await one.json()).id);
    const study = await team.lead.api.get(`${ws()}/studies/${studyId}`);
    expect(study.body.datasets.map((d: { name: string }) => d.name).sort()).toEqual(["keyed", "keyed form"]);
  });

  it("forgets a key after 24 hours", async () => {
    const k = key();
    const first = await team.observer.api.post(`${ws()}/comments`, comment("A day later"), withKey(k));
    const stored = await server.database.one<{ createdAt: number }>(
      'SELECT created_at AS "createdAt" FROM idempotency_keys WHERE key = ?',
      [k],
    );
    await server.database.query("UPDATE idempotency_keys SET created_at = ? WHERE key = ?", [
      new Date(stored!.createdAt - 24 * 3600 * 1000 - 1000),
      k,
    ]);
    const later = await team.observer.api.post(`${ws()}/comments`, comment("A day later"), withKey(k));
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(later.headers.get("idempotent-replayed")).toBeNull();
  });

  it("tells a resend what was created when the first answer never got stored", async () => {
    // The state a kill leaves when it lands after the change committed and before its answer was stored.
    const k = key();
    const first = await team.observer.api.post(`${ws()}/comments`, comment("Answer lost"), withKey(k));
    await server.database.query("UPDATE idempotency_keys SET status = NULL, content_type = NULL, body = NULL WHERE key = ?", [k]);
    const resend = await team.observer.api.post(`${ws()}/comments`, comment("Answer lost"), withKey(k));
    expect(resend.status).toBe(409);
    expect(resend.body.error.details[0].target).toEqual({ type: "comment", id: first.body.id });
    expect(await storedComments("Answer lost")).toBe(1);
  });

  it("is recorded in the same transaction as the comment it created", async () => {
    const k = key();
    const created = await team.observer.api.post(`${ws()}/comments`, comment("Keyed with its change"), withKey(k));
    const row = await server.database.one("SELECT target_type AS type, target_id AS id, status FROM idempotency_keys WHERE key = ?", [k]);
    expect(row).toEqual({ type: "comment", id: created.body.id, status: 201 });
  });
});
