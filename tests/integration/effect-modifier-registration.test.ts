/**
 * Whether the who-benefits analysis was pre-registered, through the API, as a
 * consortium answering a journal uses it: a lead names BMI as an effect
 * modifier and registers a high-CRP profile before any data arrive; the data
 * come in; the analysis says BMI and hs-CRP were pre-specified and IL-6 is
 * exploratory, and a registration naming IL-6 after the data does not change
 * that. Bad effect modifiers are refused with the field named, and a body
 * without them is hashed exactly as before they existed.
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { beforeAll, describe, expect, it } from "vitest";
import type { SnapshotContent } from "#app/domain/snapshots.ts";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { uploadDataset } from "#tests/support/datasets.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

const OUTCOME = "HAM-D change from baseline";
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** Deterministic participants: CRP, IL-6 and BMI, HAM-D at baseline and week 8. */
function csv(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = Array.from({ length: 60 }, (_, i) => {
    const arm = i % 2 === 0 ? "infliximab" : "placebo";
    const crp = Number((0.2 + next() * 8).toFixed(2));
    const il6 = Number((0.5 + next() * 6).toFixed(2));
    const bmi = Number((22 + next() * 14).toFixed(1));
    const baseline = 18 + Math.floor(next() * 10);
    const drop = Math.round((arm === "infliximab" && crp > 3 ? 8 : 4) + next() * 6);
    return [`P${i + 1}`, arm, crp, il6, bmi, baseline, baseline - drop].join(",");
  });
  return ["participant_id,arm,CRP (mg/L),IL-6 (pg/mL),BMI (kg/m2),hamd_baseline,hamd_week8", ...rows].join("\n");
}

describe("effect modifiers in pre-registrations", () => {
  const server = useServer();
  let team: Team;
  const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
  let protocolId: string;
  let highCrp: string;
  let registration: { id: string; number: number; hash: string; createdAt: string; url: string };

  const register = (body: Record<string, unknown>) => team.lead.api.post(`${ws()}/registrations`, body);
  const valid = () => ({
    title: "Infliximab: who benefits",
    protocolId,
    protocolVersion: 1,
    profiles: [highCrp],
    outcome: OUTCOME,
    measure: "MD",
    effectModifiers: ["bmi"],
  });
  const analysis = async (biomarker: string) => {
    const answer = await team.observer.api.get(`${ws()}/effect-modification?${new URLSearchParams({ outcome: OUTCOME, biomarker })}`);
    expect(answer.status).toBe(200);
    expect(answer.body.biomarker.code).toBe(biomarker);
    return answer.body;
  };
  const counts = async () => ({
    registrations: (await team.lead.api.get(`${ws()}/registrations`)).body.items.length,
    events: (await team.lead.api.get(`${ws()}/events?limit=1000`)).body.items.length,
  });

  beforeAll(async () => {
    team = await workspaceWithRoles(server.url);
    const panelId = (await team.lead.api.post(`${ws()}/panels`, { name: "Core panel", fromDefault: true })).body.id;
    protocolId = (await team.contributor.api.post(`${ws()}/protocols`, { title: "CRP-stratified trial protocol", body: "# Aims\n" })).body
      .id;
    for (const title of ["Trial A", "Trial B"])
      expect(
        (
          await team.contributor.api.post(`${ws()}/studies`, {
            title,
            panelId,
            arms: [
              { name: "infliximab", class: "anti-inflammatory" },
              { name: "placebo", class: "placebo" },
            ],
            outcomes: [{ name: OUTCOME, kind: "continuous" }],
          })
        ).status,
      ).toBe(201);
    highCrp = (
      await team.contributor.api.post(`${ws()}/profiles`, {
        name: "High CRP",
        criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">=", value: 3, unit: "mg/L" }] },
      })
    ).body.id;
  });

  it("refuses bad effect modifiers with the field named, and writes nothing", async () => {
    const before = await counts();
    const cases: [unknown, string][] = [
      [["bmi", "no_such_marker"], "effectModifiers.1"],
      [["bmi", "hs_crp", "bmi"], "effectModifiers.2"],
      [[" "], "effectModifiers.0"],
      ["bmi", "effectModifiers"],
      [[7], "effectModifiers.0"],
    ];
    for (const [effectModifiers, field] of cases) {
      const answer = await register({ ...valid(), effectModifiers });
      expect(answer.status, field).toBe(400);
      expect(
        answer.body.error.details.map((d: any) => d.field),
        field,
      ).toContain(field);
      expect(answer.body.error.message).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });

  it("registers the named effect modifiers in the hashed content, with label and unit", async () => {
    const created = await register(valid());
    expect(created.status).toBe(201);
    registration = created.body;
    const read = await team.observer.api.get(`${ws()}/registrations/${registration.id}`);
    expect(read.body.content.effectModifiers).toEqual([{ code: "bmi", label: "BMI", unit: "kg/m2" }]);
    expect(sha256(canonicalize(read.body.content)!)).toBe(registration.hash);
    const listed = (await team.observer.api.get(`${ws()}/registrations`)).body.items;
    expect(listed.map((r: any) => [r.id, r.effectModifiers])).toEqual([[registration.id, ["bmi"]]]);
  });

  it("hashes a body without effect modifiers exactly as before they existed", async () => {
    const { effectModifiers: _none, ...old } = valid();
    for (const body of [
      { ...old, title: "Without modifiers" },
      { ...old, title: "With an empty list", effectModifiers: [] },
    ]) {
      const created = await register(body);
      expect(created.status).toBe(201);
      const read = await team.observer.api.get(`${ws()}/registrations/${created.body.id}`);
      // The content has the fields a registration always had, and nothing more, so its canonical JSON and hash are unchanged.
      expect(Object.keys(read.body.content).sort()).toEqual(["format", "metadata", "options", "plan", "profiles", "protocol"]);
      const { format, metadata, protocol, profiles, options, plan } = read.body.content;
      expect(sha256(canonicalize({ format, metadata, protocol, profiles, options, plan })!)).toBe(created.body.hash);
      expect(read.body.hash).toBe(created.body.hash);
    }
  });

  it("says pre-specified for a biomarker registered before the data, named or through a profile, and exploratory for one not named", async () => {
    const trials = (await team.lead.api.get(`${ws()}/studies`)).body.items as { id: string; title: string }[];
    for (const [i, trial] of trials.entries())
      expect(
        (await uploadDataset(team.contributor.api, team.workspaceId, trial.id, csv(11 + i), { name: `${trial.title} data` })).status,
      ).toBe(201);

    const bmi = (await analysis("bmi")).registration;
    expect(bmi).toMatchObject({
      status: "pre-specified",
      basis: "effect-modifier",
      registration: { id: registration.id, number: 1, hash: registration.hash, createdAt: registration.createdAt, url: registration.url },
    });
    expect(Date.parse(bmi.firstDataAt)).toBeGreaterThan(Date.parse(registration.createdAt));
    // hs-CRP is not in the list, but the registered profile "High CRP" stratifies by it. The two later registrations
    // also name it (the same profile) before the data, so the latest of them is cited.
    const crp = (await analysis("hs_crp")).registration;
    expect(crp).toMatchObject({ status: "pre-specified", basis: "profile-criteria", registration: { number: 3 } });
    expect(crp.reason).toMatch(/High CRP/);
    expect((await analysis("il6")).registration).toMatchObject({ status: "exploratory", registration: null, basis: null });

    const matrix = await team.observer.api.get(`${ws()}/effect-modification/matrix?${new URLSearchParams({ outcome: OUTCOME })}`);
    expect(matrix.status).toBe(200);
    const columns = Object.fromEntries(matrix.body.biomarkers.map((b: any) => [b.code, b.registration?.status ?? null]));
    expect(columns).toMatchObject({ hs_crp: "pre-specified", bmi: "pre-specified", il6: "exploratory" });
  });

  it("does not let a registration naming a biomarker after the data make it pre-specified, and cites it", async () => {
    const late = await register({ ...valid(), title: "IL-6 too", effectModifiers: ["il6"] });
    expect(late.status).toBe(201);
    // Re-importing every trial after it does not make the data new: the trials fed the analysis since their first version.
    const trials = (await team.lead.api.get(`${ws()}/studies`)).body.items as { id: string; title: string }[];
    for (const [i, trial] of trials.entries())
      expect(
        (await uploadDataset(team.contributor.api, team.workspaceId, trial.id, csv(41 + i), { name: `${trial.title} data` })).status,
      ).toBe(201);
    const il6 = (await analysis("il6")).registration;
    expect(il6).toMatchObject({ status: "exploratory", basis: "effect-modifier", registration: { id: late.body.id, number: 4 } });
    expect(il6.reason).toMatch(/only after data/);
    expect((await analysis("bmi")).registration).toMatchObject({ status: "pre-specified", registration: { id: registration.id } });
  });

  it("freezes the mark into an effect-modification snapshot, without the host's URL", async () => {
    const frozen = await team.lead.api.post(`${ws()}/snapshots`, {
      title: "Infliximab × BMI",
      scope: "effect-modification",
      outcome: OUTCOME,
      biomarker: "bmi",
    });
    expect(frozen.status).toBe(201);
    const content = (await team.observer.api.get(`${ws()}/snapshots/${frozen.body.id}`)).body.content as SnapshotContent;
    const view = content.effectModification!.view as any;
    expect(view.registration).toMatchObject({ status: "pre-specified", basis: "effect-modifier", registration: { id: registration.id } });
    expect(view.registration.registration.url).toBeUndefined();
    expect(sha256(canonicalize(content)!)).toBe(frozen.body.hash);
  });

  it("shows no mark in a workspace that has no registration", async () => {
    const other = (await team.lead.api.post("/api/v1/workspaces", { name: "Unregistered" })).body.id;
    const base = `/api/v1/workspaces/${other}`;
    const panelId = (await team.lead.api.post(`${base}/panels`, { name: "Core panel", fromDefault: true })).body.id;
    const study = await team.lead.api.post(`${base}/studies`, {
      title: "Trial C",
      panelId,
      arms: [
        { name: "infliximab", class: "anti-inflammatory" },
        { name: "placebo", class: "placebo" },
      ],
      outcomes: [{ name: OUTCOME, kind: "continuous" }],
    });
    expect((await uploadDataset(team.lead.api, other, study.body.id, csv(71), { name: "Trial C data" })).status).toBe(201);
    const view = await team.lead.api.get(`${base}/effect-modification?biomarker=bmi`);
    expect(view.status).toBe(200);
    expect(view.body.trials).toHaveLength(1);
    expect(view.body.registration).toBeNull();
    const matrix = await team.lead.api.get(`${base}/effect-modification/matrix`);
    expect(matrix.body.biomarkers.map((b: any) => b.registration)).toEqual(matrix.body.biomarkers.map(() => null));
  });
});
