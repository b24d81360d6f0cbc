/**
 * A snapshot of one effect-modification analysis (scope "effect-modification",
 * decision 031): frozen with its options, every trial's participant points and
 * its numbers; every input then changes and the snapshot stays byte for byte
 * what it was, its stored inputs still give its stored numbers to the digit,
 * and its RO-Crate's R script reproduces them.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import canonicalize from "canonicalize";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { effectModificationNumbers, effectModificationOutputs } from "#app/domain/effect-modification-snapshots.ts";
import type { SnapshotContent } from "#app/domain/snapshots.ts";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { uploadDataset } from "#tests/support/datasets.ts";
import { itWithR, runR } from "#tests/support/rscript.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

/** Deterministic participants; the intervention's drop grows with CRP by `slope` points per mg/L. */
function csv(seed: number, slope = 1) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = Array.from({ length: 80 }, (_, i) => {
    const arm = i % 2 === 0 ? "infliximab" : "placebo";
    const crp = Number((0.3 + next() * 9).toFixed(2));
    const baseline = 18 + Math.floor(next() * 10);
    const drop = Math.round(3 + (arm === "infliximab" ? slope * crp : 0) + next() * 6);
    return [`P${i + 1}`, arm, crp, baseline, baseline - drop].join(",");
  });
  return ["participant_id,arm,CRP (mg/L),hamd_baseline,hamd_week8", ...rows].join("\n");
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const OPTIONS = { intervention: "infliximab", biomarker: "hs_crp", scale: "log2", method: "REML" };

describe("snapshots of an effect-modification analysis", () => {
  const server = useServer();
  let team: Team;
  let panelId: string;
  const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
  const studies: { id: string; version: number }[] = [];
  let frozen: { id: string; hash: string };
  let frozenBody: string;
  let liveBefore: any;

  async function study(title: string) {
    const created = await team.contributor.api.post(`${ws()}/studies`, {
      title,
      panelId,
      arms: [
        { name: "infliximab", class: "anti-inflammatory" },
        { name: "placebo", class: "placebo" },
      ],
      outcomes: [{ name: "HAM-D change from baseline", kind: "continuous" }],
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  beforeAll(async () => {
    team = await workspaceWithRoles(server.url);
    panelId = (await team.lead.api.post(`${ws()}/panels`, { name: "Core panel", fromDefault: true })).body.id;
    for (const [i, title] of ["Trial A", "Trial B", "Trial C"].entries()) {
      const s = await study(title);
      studies.push(s);
      expect(
        (await uploadDataset(team.contributor.api, team.workspaceId, s.id, csv(21 + i, 0.5 + i * 0.3), { name: `${title} data` })).status,
      ).toBe(201);
    }
  });

  const read = async (id: string) => {
    const answer = await team.observer.api.get(`${ws()}/snapshots/${id}`);
    expect(answer.status).toBe(200);
    return answer;
  };

  it("freezes the analysis the live view shows: inputs, options and numbers, hashed", async () => {
    liveBefore = (await team.observer.api.get(`${ws()}/effect-modification?${new URLSearchParams(OPTIONS)}`)).body;
    expect(liveBefore.trials).toHaveLength(3);
    const created = await team.lead.api.post(`${ws()}/snapshots`, {
      title: "Infliximab × CRP per doubling",
      scope: "effect-modification",
      ...OPTIONS,
    });
    expect(created.status).toBe(201);
    frozen = created.body;
    const snapshot = await read(frozen.id);
    frozenBody = JSON.stringify(snapshot.body);
    expect(snapshot.body.scope).toBe("effect-modification");
    const content = snapshot.body.content as SnapshotContent;
    expect(sha256(canonicalize(content)!)).toBe(frozen.hash);
    const stored = content.effectModification!;
    expect(stored.options).toEqual({
      outcome: "HAM-D change from baseline",
      intervention: "infliximab",
      biomarker: "hs_crp",
      scale: "log2",
      per: 1,
      method: "REML",
      knha: false,
      exclude: [],
    });
    // The numbers are the live view's, to the digit; each trial's participants are stored.
    const view = stored.view as any;
    expect(view.pooled.estimate).toBe(liveBefore.pooled.estimate);
    expect(view.trials.map((t: any) => t.fit.interaction)).toEqual(liveBefore.trials.map((t: any) => t.fit.interaction));
    expect(Object.values(stored.points).map((p) => p.length)).toEqual([80, 80, 80]);
    expect(content.studies.map((s) => [s.id, s.version])).toEqual(studies.map((s) => [s.id, s.version]));
  });

  it("recomputes from its stored inputs to the stored numbers, digit for digit", async () => {
    const content = (await read(frozen.id)).body.content as SnapshotContent;
    const stored = content.effectModification as any;
    expect(canonicalize(effectModificationOutputs(stored, "continuous"))).toBe(canonicalize(effectModificationNumbers(stored.view)));
  });

  it("refuses a question the live view cannot answer, and anyone but a lead, and writes nothing", async () => {
    const before = (await team.lead.api.get(`${ws()}/snapshots`)).body;
    const refused = await team.lead.api.post(`${ws()}/snapshots`, {
      title: "x",
      scope: "effect-modification",
      biomarker: "no_such_marker",
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].field).toBe("biomarker");
    expect(
      (await team.lead.api.post(`${ws()}/snapshots`, { title: "x", scope: "effect-modification", scale: "cubic" })).body.error.details[0]
        .field,
    ).toBe("scale");
    expect((await team.contributor.api.post(`${ws()}/snapshots`, { title: "x", scope: "effect-modification" })).status).toBe(403);
    expect((await team.lead.api.get(`${ws()}/snapshots`)).body).toEqual(before);
  });

  it("stays exactly as frozen when every input changes, while the live view moves", async () => {
    // A dataset re-imported with other numbers, a trial added, a study renamed, the panel edited.
    expect((await uploadDataset(team.contributor.api, team.workspaceId, studies[0].id, csv(99, 2), { name: "Trial A data" })).status).toBe(
      201,
    );
    const added = await study("Trial D");
    expect((await uploadDataset(team.contributor.api, team.workspaceId, added.id, csv(41, 1.5), { name: "Trial D data" })).status).toBe(
      201,
    );
    expect(
      (
        await team.contributor.api.patch(`${ws()}/studies/${studies[1].id}`, {
          baseVersion: studies[1].version,
          title: "Trial B (renamed)",
        })
      ).status,
    ).toBe(200);
    const live = (await team.observer.api.get(`${ws()}/effect-modification?${new URLSearchParams(OPTIONS)}`)).body;
    expect(live.trials).toHaveLength(4);
    expect(live.pooled.estimate).not.toBe(liveBefore.pooled.estimate);

    const again = await read(frozen.id);
    expect(JSON.stringify(again.body)).toBe(frozenBody);
    const content = again.body.content as SnapshotContent;
    expect(sha256(canonicalize(content)!)).toBe(frozen.hash);
    const stored = content.effectModification as any;
    expect(canonicalize(effectModificationOutputs(stored, "continuous"))).toBe(canonicalize(effectModificationNumbers(stored.view)));
  });

  const trialsOf = (body: any) =>
    body.effectModification.trials.map((t: any) => [
      t.change,
      t.studyTitle,
      t.before?.datasetVersion ?? null,
      t.after?.datasetVersion ?? null,
    ]);

  it("says what changed in the live view since: the re-imported trial moved, the new trial, the new source", async () => {
    const changes = await team.observer.api.get(`${ws()}/snapshots/${frozen.id}/changes`);
    expect(changes.status).toBe(200);
    expect(changes.body.from).toEqual({ id: frozen.id, number: 1, hash: frozen.hash });
    expect(changes.body.to).toBeNull();
    expect(changes.body.summary).toBe("Pooled interaction moved, 1 trial moved, 1 new trial, 1 source updated");
    // Trial B was renamed and refitted from the same rows: the same fit, so not moved.
    expect(trialsOf(changes.body)).toEqual([
      ["moved", "Trial A", 1, 2],
      ["added", "Trial D", null, 1],
    ]);
    const live = (await team.observer.api.get(`${ws()}/effect-modification?${new URLSearchParams(OPTIONS)}`)).body;
    const { pooled, trials, sourcesUpdated, options } = changes.body.effectModification;
    expect(pooled).toMatchObject({
      moved: true,
      before: { k: 3, estimate: liveBefore.pooled.estimate },
      after: { k: 4, estimate: live.pooled.estimate },
    });
    expect(trials[0].before.fit.interaction).toBe(liveBefore.trials[0].fit.interaction);
    expect(trials[0].after.fit.interaction).toBe(live.trials[0].fit.interaction);
    expect(trials[0].after.fit.interaction).not.toBe(trials[0].before.fit.interaction);
    expect(sourcesUpdated).toEqual([{ studyTitle: "Trial A", what: "dataset “Trial A data”", before: 1, after: 2 }]);
    expect(options).toEqual([]);
  });

  let second: { id: string; hash: string };

  it("compares two snapshots of the analysis: the trial whose data moved, the trial added, each way round", async () => {
    const created = await team.lead.api.post(`${ws()}/snapshots`, {
      title: "Infliximab × CRP, after the re-import",
      scope: "effect-modification",
      ...OPTIONS,
    });
    expect(created.status).toBe(201);
    second = created.body;
    const diff = await team.observer.api.get(`${ws()}/snapshots/${frozen.id}/diff/${second.id}`);
    expect(diff.status).toBe(200);
    expect(diff.body.from).toEqual({ id: frozen.id, number: 1, hash: frozen.hash });
    expect(diff.body.to).toEqual({ id: second.id, number: 2, hash: second.hash });
    expect(diff.body.summary).toBe("Pooled interaction moved, 1 trial moved, 1 new trial, 1 source updated");
    expect(trialsOf(diff.body)).toEqual([
      ["moved", "Trial A", 1, 2],
      ["added", "Trial D", null, 1],
    ]);
    const stored = (await read(second.id)).body.content.effectModification.view;
    expect(diff.body.effectModification.pooled.after.estimate).toBe(stored.pooled.estimate);

    const back = await team.observer.api.get(`${ws()}/snapshots/${second.id}/diff/${frozen.id}`);
    expect(back.status).toBe(200);
    expect(back.body.summary).toBe("Pooled interaction moved, 1 trial moved, 1 trial no longer included, 1 source updated");
    expect(trialsOf(back.body)).toEqual([
      ["moved", "Trial A", 2, 1],
      ["removed", "Trial D", 1, null],
    ]);
    const same = await team.observer.api.get(`${ws()}/snapshots/${second.id}/diff/${second.id}`);
    expect(same.body.summary).toBe("Nothing changed");
    expect((await team.observer.api.get(`${ws()}/snapshots/${second.id}/changes`)).body.summary).toBe("Nothing changed");
    expect((await team.outsider.api.get(`${ws()}/snapshots/${frozen.id}/diff/${second.id}`)).status).toBe(404);
  });

  it("refuses to compare a snapshot of the comparison with one of the analysis: they answer different questions", async () => {
    const profile = await team.contributor.api.post(`${ws()}/profiles`, {
      name: "High CRP",
      criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 3, unit: "mg/L" }] },
    });
    expect(profile.status).toBe(201);
    const comparison = await team.lead.api.post(`${ws()}/snapshots`, { title: "The comparison", method: "REML" });
    expect(comparison.status).toBe(201);
    for (const [a, b] of [
      [comparison.body, frozen],
      [frozen, comparison.body],
    ]) {
      const refused = await team.observer.api.get(`${ws()}/snapshots/${a.id}/diff/${b.id}`);
      expect(refused.status).toBe(422);
      expect(refused.body.error.message).toMatch(/they answer different questions/);
    }
    expect((await team.observer.api.get(`${ws()}/snapshots/${comparison.body.id}/changes`)).status).toBe(200);
  });

  it("says why when the live view can no longer ask the snapshot's question", async () => {
    // A trial measuring IL-6, frozen by IL-6; then its data come back without IL-6, so nothing measures it.
    const il6 = await study("Trial E");
    const withIl6 = csv(51).replace("CRP (mg/L)", "IL-6 (pg/mL)");
    expect((await uploadDataset(team.contributor.api, team.workspaceId, il6.id, withIl6, { name: "Trial E data" })).status).toBe(201);
    const created = await team.lead.api.post(`${ws()}/snapshots`, {
      title: "By IL-6",
      scope: "effect-modification",
      ...OPTIONS,
      biomarker: "il6",
    });
    expect(created.status).toBe(201);
    expect((await team.observer.api.get(`${ws()}/snapshots/${created.body.id}/changes`)).body.summary).toBe("Nothing changed");
    const withoutIl6 = withIl6
      .split("\n")
      .map((line) =>
        line
          .split(",")
          .filter((_, i) => i !== 2)
          .join(","),
      )
      .join("\n");
    expect((await uploadDataset(team.contributor.api, team.workspaceId, il6.id, withoutIl6, { name: "Trial E data" })).status).toBe(201);
    const changes = await team.observer.api.get(`${ws()}/snapshots/${created.body.id}/changes`);
    expect(changes.status).toBe(422);
    expect(changes.body.error.message).toBe(
      "The live view cannot ask this question any more: biomarker: No dataset measures the biomarker “il6”.",
    );
  });

  it("cannot be edited or deleted, even in the database", async () => {
    await expect(server.database.query("UPDATE snapshots SET content = '{}' WHERE id = ?", [frozen.id])).rejects.toThrow(/immutable/);
    await expect(server.database.query("DELETE FROM snapshots WHERE id = ?", [frozen.id])).rejects.toThrow(/immutable/);
  });

  async function crate(id: string) {
    const response = await fetch(`${server.url}${ws()}/snapshots/${id}/ro-crate.zip`, {
      headers: { Authorization: `Bearer ${team.observer.token}` },
    });
    expect(response.status).toBe(200);
    const zip = await JSZip.loadAsync(Buffer.from(await response.arrayBuffer()));
    const files: Record<string, string> = {};
    for (const [name, entry] of Object.entries(zip.files)) if (!entry.dir) files[name] = await entry.async("string");
    return files;
  }

  it("exports an RO-Crate with the analysis's data, results and R script, each listed with its checksum", async () => {
    const files = await crate(frozen.id);
    expect(Object.keys(files).sort()).toEqual(
      [
        "README.md",
        "R/effect-modification.R",
        "datacite.json",
        "effect-modification-data.csv",
        "effect-modification-results.csv",
        "ro-crate-metadata.json",
        "snapshot.json",
      ].sort(),
    );
    expect(sha256(files["snapshot.json"])).toBe(frozen.hash);
    const graph: any[] = JSON.parse(files["ro-crate-metadata.json"])["@graph"];
    for (const name of Object.keys(files).filter((f) => f !== "ro-crate-metadata.json")) {
      const entity = graph.find((e) => e["@id"] === name);
      expect(entity?.sha256, name).toBe(sha256(files[name]));
    }
    expect(files["effect-modification-data.csv"].split(/\r?\n/)[0]).toBe("trial,arm,x,y");
    expect(files["effect-modification-data.csv"].trim().split(/\r?\n/)).toHaveLength(1 + 240);
    expect(files["README.md"]).toContain("Rscript R/effect-modification.R");
  });

  itWithR("exports an R script that refits and re-pools to the frozen numbers, after the live data changed", async () => {
    const files = await crate(frozen.id);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "em-snapshot-crate-"));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const output = await runR(["R/effect-modification.R"], { cwd: dir });
    expect(output).toContain("The numbers agree with Consilience.");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
