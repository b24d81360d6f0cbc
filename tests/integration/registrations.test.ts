/**
 * Pre-registration through the API, as a consortium answering a journal uses
 * it: a lead registers the protocol version, profiles and options before any
 * data arrive; data come in; one profile is edited, one is added. The
 * comparison (and a snapshot taken then) says which profile was
 * pre-registered, which changed since, and which was added after.
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { beforeAll, describe, expect, it } from "vitest";
import type { RegistrationContent } from "#app/domain/registrations.ts";
import type { SnapshotContent } from "#app/domain/snapshots.ts";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { uploadDataset } from "#tests/support/datasets.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

/** Deterministic participants: CRP in mg/L, BMI, HAM-D at baseline and week 8. */
function csv(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = Array.from({ length: 60 }, (_, i) => {
    const arm = i % 2 === 0 ? "infliximab" : "placebo";
    const crp = Number((0.2 + next() * 8).toFixed(2));
    const bmi = Number((24 + next() * 12).toFixed(1));
    const baseline = 18 + Math.floor(next() * 10);
    const drop = Math.round((arm === "infliximab" && crp > 3 ? 8 : 4) + next() * 6);
    return [`P${i + 1}`, arm, crp, bmi, baseline, baseline - drop].join(",");
  });
  return ["participant_id,arm,CRP (mg/L),BMI (kg/m2),hamd_baseline,hamd_week8", ...rows].join("\n");
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const crp = (operator: string, value: number) => ({ kind: "biomarker", code: "hs_crp", operator, value, unit: "mg/L" });
const OUTCOME = "HAM-D change from baseline";

describe("pre-registration", () => {
  const server = useServer();
  let team: Team;
  const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
  let protocol: { id: string };
  const profiles: Record<string, { id: string; version: number }> = {};
  let registration: { id: string; hash: string; number: number; createdAt: string; url: string };

  async function profile(name: string, items: unknown[]) {
    const created = await team.contributor.api.post(`${ws()}/profiles`, { name, criteria: { op: "and", items } });
    expect(created.status).toBe(201);
    profiles[name] = created.body;
  }
  const register = (body: Record<string, unknown>, as = team.lead) => as.api.post(`${ws()}/registrations`, body);
  const valid = () => ({
    title: "Infliximab by CRP: primary analysis",
    protocolId: protocol.id,
    protocolVersion: 1,
    profiles: [profiles["High CRP"].id, profiles["Low CRP"].id],
    outcome: OUTCOME,
    measure: "SMD",
    method: "REML",
    knha: true,
    plan: "Random effects (REML) with Knapp–Hartung; one profile per column.",
  });
  const statuses = (body: any) => Object.fromEntries(body.profiles.map((p: any) => [p.name, p.registration?.status ?? null]));
  const counts = async () => ({
    registrations: (await team.lead.api.get(`${ws()}/registrations`)).body.items.length,
    events: (await team.lead.api.get(`${ws()}/events?limit=1000`)).body.items.length,
  });

  beforeAll(async () => {
    team = await workspaceWithRoles(server.url);
    const panelId = (await team.lead.api.post(`${ws()}/panels`, { name: "Core panel", fromDefault: true })).body.id;
    protocol = (await team.contributor.api.post(`${ws()}/protocols`, { title: "CRP-stratified trial protocol", body: "# Aims\n" })).body;
    for (const title of ["Trial A", "Trial B"]) {
      const created = await team.contributor.api.post(`${ws()}/studies`, {
        title,
        panelId,
        arms: [
          { name: "infliximab", class: "anti-inflammatory" },
          { name: "placebo", class: "placebo" },
        ],
        outcomes: [{ name: OUTCOME, kind: "continuous" }],
      });
      expect(created.status).toBe(201);
    }
    await profile("High CRP", [crp(">", 3)]);
    await profile("Low CRP", [crp("<=", 3)]);
  });

  it("refuses bad bodies with the field named, and writes nothing", async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid(), title: "  " }, "title"],
      [{ ...valid(), profiles: [] }, "profiles"],
      [{ ...valid(), profiles: ["no-such-profile"] }, "profiles.0"],
      [{ ...valid(), protocolId: "no-such-protocol" }, "protocolId"],
      [{ ...valid(), protocolVersion: 7 }, "protocolVersion"],
      [{ ...valid(), measure: "HR" }, "measure"],
      [{ ...valid(), method: "PM" }, "method"],
      [{ ...valid(), outcome: undefined }, "outcome"],
      [{ ...valid(), authors: ["not-a-member"] }, "authors.0"],
    ];
    for (const [body, field] of cases) {
      const answer = await register(body);
      expect(answer.status, field).toBe(400);
      expect(
        answer.body.error.details.map((d: any) => d.field),
        field,
      ).toContain(field);
      expect(answer.body.error.message).toMatch(new RegExp(field.replace(".", "\\.")));
    }
    expect(await counts()).toEqual(before);
  });

  it("lets only a lead register: 403 for a contributor and an observer, nothing written", async () => {
    const before = await counts();
    expect((await register(valid(), team.contributor)).status).toBe(403);
    expect((await register(valid(), team.observer)).status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it("registers before any data: 201, hashed canonical content, readable by every member, one event", async () => {
    const created = await register(valid());
    expect(created.status).toBe(201);
    registration = created.body;
    expect(registration).toMatchObject({ number: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(registration.url).toMatch(new RegExp(`/workspaces/${team.workspaceId}/registrations/${registration.id}$`));

    const read = await team.observer.api.get(`${ws()}/registrations/${registration.id}`);
    expect(read.status).toBe(200);
    const content = read.body.content as RegistrationContent;
    expect(sha256(canonicalize(content)!)).toBe(registration.hash);
    expect(content.protocol).toMatchObject({ id: protocol.id, version: 1, bodySha256: sha256("# Aims\n") });
    expect(content.profiles.map((p) => [p.name, p.version, p.criteria])).toEqual([
      ["High CRP", 1, { op: "and", items: [crp(">", 3)] }],
      ["Low CRP", 1, { op: "and", items: [crp("<=", 3)] }],
    ]);
    expect(content.options).toEqual({ outcome: OUTCOME, measure: "SMD", method: "REML", knha: true });
    expect(content.metadata).toMatchObject({ number: 1, createdAt: registration.createdAt, authors: [{ name: team.lead.name }] });

    const list = await team.observer.api.get(`${ws()}/registrations`);
    expect(list.body.items.map((r: any) => r.id)).toEqual([registration.id]);
    const events = (await team.lead.api.get(`${ws()}/events?limit=1000`)).body.items.filter((e: any) => e.type === "registration.created");
    expect(events.map((e: any) => [e.target, e.payload.hash])).toEqual([
      [{ type: "registration", id: registration.id }, registration.hash],
    ]);

    // With no data yet, every registered profile is pre-registered.
    const comparison = await team.observer.api.get(`${ws()}/comparison`);
    expect(statuses(comparison.body)).toEqual({ "High CRP": "pre-registered", "Low CRP": "pre-registered" });
  });

  it("marks each profile of the later comparison: pre-registered, changed since registration, added after", async () => {
    const trials = (await team.lead.api.get(`${ws()}/studies`)).body.items as { id: string; title: string }[];
    for (const [i, trial] of trials.entries())
      expect(
        (await uploadDataset(team.contributor.api, team.workspaceId, trial.id, csv(11 + i), { name: `${trial.title} data` })).status,
      ).toBe(201);
    // After the data: Low CRP's cut-off moves; High CRP only gets a description (its criteria stay as registered); Obese is new.
    const edit = await team.contributor.api.patch(`${ws()}/profiles/${profiles["Low CRP"].id}`, {
      baseVersion: 1,
      criteria: { op: "and", items: [crp("<", 2)] },
    });
    expect(edit.status).toBe(200);
    const described = await team.contributor.api.patch(`${ws()}/profiles/${profiles["High CRP"].id}`, {
      baseVersion: 1,
      description: "Raised inflammation",
    });
    expect(described.status).toBe(200);
    expect(described.body.version).toBe(2);
    await profile("Obese", [{ kind: "biomarker", code: "bmi", operator: ">=", value: 30, unit: "kg/m2" }]);

    const comparison = await team.observer.api.get(`${ws()}/comparison`);
    expect(comparison.status).toBe(200);
    expect(statuses(comparison.body)).toEqual({
      "High CRP": "pre-registered",
      "Low CRP": "changed-since-registration",
      Obese: "added-after",
    });
    const byName = (name: string) => comparison.body.profiles.find((p: any) => p.name === name).registration;
    expect(byName("High CRP")).toMatchObject({
      registration: { id: registration.id, number: 1, hash: registration.hash, url: registration.url },
      registeredVersion: 1,
      currentVersion: 2,
    });
    expect(Date.parse(byName("High CRP").firstDataAt)).toBeGreaterThan(Date.parse(registration.createdAt));
    expect(byName("Low CRP")).toMatchObject({ registration: { id: registration.id }, registeredVersion: 1, currentVersion: 2 });
    expect(byName("Obese")).toMatchObject({ registration: null, registeredVersion: null });
    // Another outcome was never registered: nothing there is pre-registered.
    // (The comparison only knows this workspace's outcome, so the marks above are for OUTCOME.)
    expect(comparison.body.outcome.name).toBe(OUTCOME);
  });

  it("does not let a registration made after the data count as a pre-registration", async () => {
    const late = await register({ ...valid(), title: "Added Obese", profiles: [profiles.Obese.id, profiles["Low CRP"].id] });
    expect(late.status).toBe(201);
    // Re-importing every dataset after it does not make their data new: they fed the columns since their first version.
    const trials = (await team.lead.api.get(`${ws()}/studies`)).body.items as { id: string; title: string }[];
    for (const [i, trial] of trials.entries())
      expect(
        (await uploadDataset(team.contributor.api, team.workspaceId, trial.id, csv(31 + i), { name: `${trial.title} data` })).status,
      ).toBe(201);
    const comparison = await team.observer.api.get(`${ws()}/comparison`);
    expect(statuses(comparison.body)).toEqual({
      "High CRP": "pre-registered",
      "Low CRP": "changed-since-registration",
      Obese: "added-after",
    });
    const obese = comparison.body.profiles.find((p: any) => p.name === "Obese").registration;
    expect(obese.registration.id).toBe(late.body.id);
    expect(obese.reason).toMatch(/only after data/);
  });

  it("writes the marks into a snapshot taken since, and leaves them there", async () => {
    const frozen = await team.lead.api.post(`${ws()}/snapshots`, { title: "Primary analysis" });
    expect(frozen.status).toBe(201);
    const content = (await team.observer.api.get(`${ws()}/snapshots/${frozen.body.id}`)).body.content as SnapshotContent;
    expect(Object.fromEntries(content.profiles.map((p) => [p.name, p.registration?.status]))).toEqual({
      "High CRP": "pre-registered",
      "Low CRP": "changed-since-registration",
      Obese: "added-after",
    });
    expect(sha256(canonicalize(content)!)).toBe(frozen.body.hash);
  });

  it("cannot be edited or deleted, even in the database", async () => {
    const db = server.database;
    await expect(db.query("UPDATE registrations SET title = 'Edited' WHERE id = ?", [registration.id])).rejects.toThrow(/immutable/);
    await expect(db.query("UPDATE registrations SET created_at = created_at WHERE id = ?", [registration.id])).rejects.toThrow(/immutable/);
    await expect(db.query("DELETE FROM registrations WHERE id = ?", [registration.id])).rejects.toThrow(/immutable/);
    for (const method of ["PATCH", "DELETE", "PUT"]) {
      const answer = await team.lead.api.request(method, `${ws()}/registrations/${registration.id}`, method === "DELETE" ? undefined : {});
      expect(answer.status, method).toBe(405);
    }
    const read = await team.observer.api.get(`${ws()}/registrations/${registration.id}`);
    expect(read.body.hash).toBe(registration.hash);
    expect(sha256(canonicalize(read.body.content)!)).toBe(registration.hash);
  });
});
