import { beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
let study: { id: string; version: number; arms: { id: string; name: string }[]; outcomes: { id: string; name: string }[] };
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
  const created = await team.contributor.api.post(`${ws()}/studies`, {
    title: "Nettis 2021 (MINDEP): minocycline",
    design: "rct",
    arms: [
      { name: "minocycline", class: "anti-inflammatory", dose: "200 mg/day" },
      { name: "placebo", class: "placebo" },
    ],
    outcomes: [
      { name: "HAM-D 17 change", kind: "continuous", timepoint: "week 4" },
      { name: "response (≥50% HAM-D drop)", kind: "binary", timepoint: "week 4" },
    ],
  });
  study = created.body;
});

const continuous = () => ({
  studyId: study.id,
  outcomeId: study.outcomes[0].id,
  interventionArmId: study.arms[0].id,
  comparatorArmId: study.arms[1].id,
  subgroup: "CRP ≥ 3 mg/L",
  data: { type: "continuous", intervention: { mean: 12.0, sd: 6.5, n: 9 }, comparator: { mean: 3.5, sd: 4.3, n: 9 } },
  source: "Nettis et al. 2021, PMC8096832",
});

describe("summary-level results", () => {
  it("lets a contributor add a subgroup result that every member reads back with arm and outcome names", async () => {
    const created = await team.contributor.api.post(`${ws()}/results`, continuous());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      studyId: study.id,
      subgroup: "CRP ≥ 3 mg/L",
      intervention: { name: "minocycline", class: "anti-inflammatory" },
      comparator: { name: "placebo" },
      outcome: { name: "HAM-D 17 change", kind: "continuous" },
      data: { type: "continuous", intervention: { mean: 12, sd: 6.5, n: 9 } },
      version: 1,
    });
    const read = await team.observer.api.get(`${ws()}/results/${created.body.id}`);
    expect(read.body).toEqual(created.body);
    const list = await team.observer.api.get(`${ws()}/results?studyId=${study.id}`);
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(created.body.id);
  });

  it("takes events and N for a binary outcome and an estimate with its CI", async () => {
    const binary = await team.lead.api.post(`${ws()}/results`, {
      ...continuous(),
      outcomeId: study.outcomes[1].id,
      data: { type: "binary", intervention: { events: 8, n: 13 }, comparator: { events: 3, n: 9 } },
    });
    expect(binary.status).toBe(201);
    const estimate = await team.lead.api.post(`${ws()}/results`, {
      ...continuous(),
      data: { type: "estimate", measure: "SMD", estimate: -0.34, ciLower: -0.57, ciUpper: -0.11 },
    });
    expect(estimate.status).toBe(201);
    expect(estimate.body.data).toEqual({ type: "estimate", measure: "SMD", estimate: -0.34, ciLower: -0.57, ciUpper: -0.11 });
  });

  it("refuses impossible numbers with 400 naming the field, and stores nothing", async () => {
    const before = await server.database.count("results");
    const cases: [unknown, string][] = [
      [
        { ...continuous(), data: { type: "continuous", intervention: { mean: 1, sd: 0, n: 9 }, comparator: { mean: 1, sd: 1, n: 9 } } },
        "data.intervention.sd",
      ],
      [
        {
          ...continuous(),
          outcomeId: study.outcomes[1].id,
          data: { type: "binary", intervention: { events: 14, n: 13 }, comparator: { events: 3, n: 9 } },
        },
        "data.intervention.events",
      ],
      [{ ...continuous(), data: { type: "estimate", measure: "OR", estimate: 2, ciLower: 3, ciUpper: 4 } }, "data.estimate"],
      [{ ...continuous(), comparatorArmId: study.arms[0].id }, "comparatorArmId"],
      [{ ...continuous(), interventionArmId: "not-an-arm" }, "interventionArmId"],
      [{ ...continuous(), data: { type: "binary", intervention: { events: 1, n: 9 }, comparator: { events: 1, n: 9 } } }, "data.type"],
    ];
    for (const [body, field] of cases) {
      const response = await team.contributor.api.post(`${ws()}/results`, body);
      expect(response.status, field).toBe(400);
      expect(response.body.error.details[0].field).toBe(field);
    }
    expect(await server.database.count("results")).toBe(before);
  });

  it("refuses an observer (403) and a non-member (404)", async () => {
    expect((await team.observer.api.post(`${ws()}/results`, continuous())).status).toBe(403);
    expect((await team.outsider.api.post(`${ws()}/results`, continuous())).status).toBe(404);
    expect((await team.outsider.api.get(`${ws()}/results`)).status).toBe(404);
  });

  it("edits a result on its current version and answers 409 with the current result on a stale one", async () => {
    const created = (await team.contributor.api.post(`${ws()}/results`, continuous())).body;
    const edited = await team.lead.api.patch(`${ws()}/results/${created.id}`, {
      baseVersion: 1,
      notes: "Arm sizes within the stratum approximated.",
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, notes: "Arm sizes within the stratum approximated." });
    const stale = await team.contributor.api.patch(`${ws()}/results/${created.id}`, { baseVersion: 1, subgroup: "CRP < 3 mg/L" });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details[0]).toMatchObject({ currentVersion: 2, current: { subgroup: "CRP ≥ 3 mg/L" } });
    const trail = await team.lead.api.get(`${ws()}/events?limit=1000`);
    const updates = trail.body.items.filter(
      (e: { type: string; target: { id: string } }) => e.type === "result.updated" && e.target.id === created.id,
    );
    expect(updates).toHaveLength(1);
    expect(updates[0].payload.before.notes).toBe("");
    expect(updates[0].payload.after.notes).toBe("Arm sizes within the stratum approximated.");
  });

  it("keeps an arm that a result uses when a study edit would remove it (422)", async () => {
    const current = (await team.lead.api.get(`${ws()}/studies/${study.id}`)).body;
    const response = await team.lead.api.patch(`${ws()}/studies/${study.id}`, {
      baseVersion: current.version,
      arms: [current.arms[0]],
    });
    expect(response.status).toBe(422);
    const after = (await team.lead.api.get(`${ws()}/studies/${study.id}`)).body;
    expect(after.arms).toHaveLength(2);
    expect(after.version).toBe(current.version);
  });

  it("edits a study's title and adds an arm, recording before and after", async () => {
    const current = (await team.lead.api.get(`${ws()}/studies/${study.id}`)).body;
    const response = await team.contributor.api.patch(`${ws()}/studies/${study.id}`, {
      baseVersion: current.version,
      title: "Nettis 2021 (MINDEP)",
      arms: [...current.arms, { name: "minocycline high dose", class: "anti-inflammatory", dose: "400 mg/day" }],
    });
    expect(response.status).toBe(200);
    expect(response.body.title).toBe("Nettis 2021 (MINDEP)");
    expect(response.body.arms.map((a: { name: string }) => a.name)).toEqual(["minocycline", "placebo", "minocycline high dose"]);
    const stale = await team.lead.api.patch(`${ws()}/studies/${study.id}`, { baseVersion: current.version, title: "Other" });
    expect(stale.status).toBe(409);
  });
});
