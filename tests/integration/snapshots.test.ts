/**
 * Snapshots through the API, as a consortium publishing a result uses them:
 * a lead freezes the comparison (or a cell), every input then changes, and
 * the snapshot stays byte for byte what it was, its hash still its content's,
 * and its stored inputs still give its stored numbers to the digit.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import canonicalize from "canonicalize";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { snapshotOutputs, type SnapshotContent } from "#app/domain/snapshots.ts";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { uploadDataset } from "#tests/support/datasets.ts";
import { itWithR, runR } from "#tests/support/rscript.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

/** Deterministic participants: CRP in mg/L, BMI, HAM-D at baseline and week 8; `shift` moves the intervention's drop. */
function csv(seed: number, shift = 0) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = Array.from({ length: 60 }, (_, i) => {
    const arm = i % 2 === 0 ? "infliximab" : "placebo";
    const crp = Number((0.2 + next() * 8).toFixed(2));
    const bmi = Number((24 + next() * 12).toFixed(1));
    const baseline = 18 + Math.floor(next() * 10);
    const drop = Math.round((arm === "infliximab" && crp > 3 ? 8 + shift : 4) + next() * 6);
    return [`P${i + 1}`, arm, crp, bmi, baseline, baseline - drop].join(",");
  });
  return ["participant_id,arm,CRP (mg/L),BMI (kg/m2),hamd_baseline,hamd_week8", ...rows].join("\n");
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("snapshots of the comparison", () => {
  const server = useServer();
  let team: Team;
  let panelId: string;
  const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
  const studies: { id: string; version: number; arms: { id: string }[]; outcomes: { id: string }[] }[] = [];
  let result: { id: string; version: number };
  const profiles: { id: string; version: number }[] = [];

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
    for (const [i, title] of ["Trial A", "Trial B"].entries()) {
      const s = await study(title);
      studies.push(s);
      expect((await uploadDataset(team.contributor.api, team.workspaceId, s.id, csv(11 + i), { name: `${title} data` })).status).toBe(201);
    }
    const crp = (operator: string, value: number) => ({ kind: "biomarker", code: "hs_crp", operator, value, unit: "mg/L" });
    for (const [name, items] of [
      ["High CRP", [crp(">", 3)]],
      ["Low CRP", [crp("<=", 3)]],
    ] as const) {
      const created = await team.contributor.api.post(`${ws()}/profiles`, { name, criteria: { op: "and", items } });
      expect(created.status).toBe(201);
      profiles.push(created.body);
    }
    const published = await study("Published trial");
    studies.push(published);
    const created = await team.contributor.api.post(`${ws()}/results`, {
      studyId: published.id,
      outcomeId: published.outcomes[0].id,
      interventionArmId: published.arms[0].id,
      comparatorArmId: published.arms[1].id,
      subgroup: "hs-CRP > 3 mg/L",
      data: { type: "continuous", intervention: { mean: 11, sd: 5, n: 20 }, comparator: { mean: 5, sd: 5, n: 20 } },
    });
    result = created.body;
    expect((await team.contributor.api.request("PUT", `${ws()}/results/${result.id}/profile`, { profileId: profiles[0].id })).status).toBe(
      200,
    );
  });

  const freeze = (body: Record<string, unknown>) => team.lead.api.post(`${ws()}/snapshots`, body);
  const read = async (id: string) => {
    const answer = await team.observer.api.get(`${ws()}/snapshots/${id}`);
    expect(answer.status).toBe(200);
    return answer;
  };

  let first: { id: string; hash: string; url: string };
  let frozenBody: string;
  let liveBefore: any;

  it("lets a lead freeze the comparison: 201 with id, hash, time and page, the numbers those of the live view", async () => {
    liveBefore = (await team.observer.api.get(`${ws()}/comparison?method=REML`)).body;
    const created = await freeze({
      title: "Infliximab by CRP, primary analysis",
      method: "REML",
      authors: [team.lead.id, team.contributor.id],
      licence: "CC-BY-4.0",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ number: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(created.body.url).toMatch(new RegExp(`/workspaces/${team.workspaceId}/snapshots/${created.body.id}$`));
    first = created.body;

    const snapshot = await read(first.id);
    frozenBody = JSON.stringify(snapshot.body);
    const content = snapshot.body.content as SnapshotContent;
    // The hash is the SHA-256 of the content's canonical JSON (RFC 8785): anyone can check it.
    expect(sha256(canonicalize(content)!)).toBe(first.hash);
    expect(snapshot.body.hash).toBe(first.hash);
    expect(content.metadata).toMatchObject({
      title: "Infliximab by CRP, primary analysis",
      number: 1,
      licence: "CC-BY-4.0",
      authors: [{ name: team.lead.name }, { name: team.contributor.name }],
    });
    expect(content.options).toMatchObject({ measure: "SMD", method: "REML", prefer: "participant", exclude: [] });
    expect(content.profiles.map((p) => [p.id, p.version])).toEqual(profiles.map((p) => [p.id, p.version]));
    expect(content.studies.every((s) => s.panel?.id === panelId)).toBe(true);
    expect(content.inputs.some((i) => i.resultId === result.id && i.resultVersion === 1)).toBe(true);
    expect(content.inputs.filter((i) => i.source === "participant").every((i) => i.datasetVersion === 1)).toBe(true);
    // The frozen cells are the live view's, to the digit.
    const frozenCells = content.outputs.rows.map((r) => r.cells.map((c) => c?.estimate ?? null));
    const liveCells = liveBefore.rows.map((r: any) => r.cells.map((c: any) => c.estimate ?? null));
    expect(frozenCells).toEqual(liveCells);
    expect(Object.keys(content.outputs.forests)).toEqual(liveBefore.rows.map((r: any) => r.key));
  });

  it("recomputes from its stored inputs to the stored numbers, digit for digit", async () => {
    const content = (await read(first.id)).body.content as SnapshotContent;
    expect(canonicalize(snapshotOutputs(content))).toBe(canonicalize(content.outputs));
  });

  it("refuses bad input with the field named, and anyone but a lead, and changes nothing", async () => {
    const before = await team.lead.api.get(`${ws()}/snapshots`);
    const events = (await team.lead.api.get(`${ws()}/events?limit=1000`)).body.items.length;
    const cases: [Record<string, unknown>, string][] = [
      [{}, "title"],
      [{ title: "x", licence: "all rights reserved" }, "licence"],
      [{ title: "x", scope: "cell" }, "row"],
      [{ title: "x", scope: "cell", row: "intervention:nothing" }, "row"],
      [{ title: "x", scope: "cell", row: "intervention:infliximab", profile: "nope" }, "profile"],
      [{ title: "x", authors: [team.outsider.id] }, "authors.0"],
      [{ title: "x", measure: "OR" }, "measure"],
    ];
    for (const [body, field] of cases) {
      const refused = await freeze(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.details[0].field).toBe(field);
    }
    expect((await team.contributor.api.post(`${ws()}/snapshots`, { title: "x" })).status).toBe(403);
    expect((await team.observer.api.post(`${ws()}/snapshots`, { title: "x" })).status).toBe(403);
    expect((await team.outsider.api.post(`${ws()}/snapshots`, { title: "x" })).status).toBe(404);
    expect((await team.outsider.api.get(`${ws()}/snapshots/${first.id}`)).status).toBe(404);
    expect((await team.lead.api.get(`${ws()}/snapshots`)).body).toEqual(before.body);
    expect((await team.lead.api.get(`${ws()}/events?limit=1000`)).body.items.length).toBe(events);
  });

  let cell: { id: string; hash: string };

  it("freezes one cell: its row and profile only, recomputed to the digit", async () => {
    const created = await freeze({ title: "High-CRP cell", scope: "cell", row: "intervention:infliximab", profile: profiles[0].id });
    expect(created.status).toBe(201);
    cell = created.body;
    const content = (await read(cell.id)).body.content as SnapshotContent;
    expect(content.scope).toEqual({ kind: "cell", row: "intervention:infliximab", profileId: profiles[0].id });
    expect(content.profiles.map((p) => p.id)).toEqual([profiles[0].id]);
    expect(content.outputs.rows).toHaveLength(1);
    expect(content.inputs.every((i) => i.profileId === profiles[0].id)).toBe(true);
    const column = liveBefore.profiles.findIndex((p: any) => p.id === profiles[0].id);
    const liveRow = liveBefore.rows.find((r: any) => r.key === "intervention:infliximab");
    expect(content.outputs.rows[0].cells[0]?.estimate).toBe(liveRow.cells[column].estimate);
    expect(content.outputs.forests["intervention:infliximab"].groups.map((g) => g.profileId)).toEqual([profiles[0].id]);
    expect(canonicalize(snapshotOutputs(content))).toBe(canonicalize(content.outputs));
    expect(content.metadata.previous).toEqual([{ id: first.id, number: 1, hash: first.hash }]);
  });

  it("stays exactly as frozen when every input changes, while the live view moves and the changes are listed", async () => {
    // A dataset re-imported with other numbers, a study added, the result and a profile edited, the study and the panel edited.
    expect((await uploadDataset(team.contributor.api, team.workspaceId, studies[0].id, csv(11, 5), { name: "Trial A data" })).status).toBe(
      201,
    );
    const added = await study("Trial C");
    expect((await uploadDataset(team.contributor.api, team.workspaceId, added.id, csv(29), { name: "Trial C data" })).status).toBe(201);
    const resultEdit = await team.contributor.api.patch(`${ws()}/results/${result.id}`, {
      baseVersion: result.version,
      data: { type: "continuous", intervention: { mean: 9, sd: 4, n: 25 }, comparator: { mean: 6, sd: 4, n: 25 } },
    });
    expect(resultEdit.status).toBe(200);
    const profileEdit = await team.contributor.api.patch(`${ws()}/profiles/${profiles[1].id}`, {
      baseVersion: profiles[1].version,
      criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: "<", value: 2, unit: "mg/L" }] },
    });
    expect(profileEdit.status).toBe(200);
    const studyEdit = await team.contributor.api.patch(`${ws()}/studies/${studies[1].id}`, {
      baseVersion: studies[1].version,
      title: "Trial B (renamed)",
    });
    expect(studyEdit.status).toBe(200);

    const live = (await team.observer.api.get(`${ws()}/comparison?method=REML`)).body;
    const liveRow = live.rows.find((r: any) => r.key === "intervention:infliximab");
    const beforeRow = liveBefore.rows.find((r: any) => r.key === "intervention:infliximab");
    expect(liveRow.cells.map((c: any) => c.estimate)).not.toEqual(beforeRow.cells.map((c: any) => c.estimate));

    const again = await read(first.id);
    expect(JSON.stringify(again.body)).toBe(frozenBody);
    const content = again.body.content as SnapshotContent;
    expect(sha256(canonicalize(content)!)).toBe(first.hash);
    expect(canonicalize(snapshotOutputs(content))).toBe(canonicalize(content.outputs));

    const changes = await team.observer.api.get(`${ws()}/snapshots/${first.id}/changes`);
    expect(changes.status).toBe(200);
    expect(changes.body.to).toBeNull();
    expect(changes.body.studiesAdded).toEqual([{ id: added.id, title: "Trial C" }]);
    expect(changes.body.cells.filter((c: any) => c.change === "moved").length).toBeGreaterThan(0);
    expect(changes.body.summary).toMatch(/\d+ cells? moved.*1 new study/);
    expect(changes.body.sourcesUpdated).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ what: "dataset “Trial A data”", before: 1, after: 2 }),
        expect.objectContaining({ before: 1, after: 2, what: "result for “hs-CRP > 3 mg/L”" }),
      ]),
    );
    expect(changes.body.profilesChanged).toEqual([{ id: profiles[1].id, name: "Low CRP", before: 1, after: 2 }]);
  });

  it("compares two snapshots", async () => {
    const second = await freeze({ title: "Infliximab by CRP, with Trial C", method: "REML" });
    expect(second.status).toBe(201);
    expect(second.body.number).toBe(3);
    const diff = await team.observer.api.get(`${ws()}/snapshots/${first.id}/diff/${second.body.id}`);
    expect(diff.status).toBe(200);
    expect(diff.body.from).toEqual({ id: first.id, number: 1, hash: first.hash });
    expect(diff.body.to).toMatchObject({ id: second.body.id, number: 3 });
    expect(diff.body.summary).toMatch(/cells? moved.*1 new study/);
    const same = await team.observer.api.get(`${ws()}/snapshots/${first.id}/diff/${first.id}`);
    expect(same.body.summary).toBe("Nothing changed");
    expect((await team.observer.api.get(`${ws()}/snapshots/${first.id}/diff/unknown`)).status).toBe(404);
  });

  it("lets a lead withdraw a snapshot, which stays readable with the notice; both are events", async () => {
    expect((await team.contributor.api.post(`${ws()}/snapshots/${cell.id}/withdraw`, { reason: "Wrong" })).status).toBe(403);
    expect((await team.lead.api.post(`${ws()}/snapshots/${cell.id}/withdraw`, {})).body.error.details[0].field).toBe("reason");
    const withdrawn = await team.lead.api.post(`${ws()}/snapshots/${cell.id}/withdraw`, {
      reason: "The result was mapped to the wrong profile.",
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.withdrawn).toMatchObject({ reason: "The result was mapped to the wrong profile.", by: { id: team.lead.id } });
    expect((await team.lead.api.post(`${ws()}/snapshots/${cell.id}/withdraw`, { reason: "Again" })).status).toBe(409);
    const after = await read(cell.id);
    expect(after.body.withdrawn.reason).toBe("The result was mapped to the wrong profile.");
    expect(after.body.hash).toBe(cell.hash);
    expect(sha256(canonicalize(after.body.content)!)).toBe(cell.hash);
    const list = (await team.observer.api.get(`${ws()}/snapshots`)).body.items;
    expect(list.map((s: any) => [s.number, s.withdrawn !== null])).toEqual([
      [3, false],
      [2, true],
      [1, false],
    ]);
    const events = (await team.lead.api.get(`${ws()}/events?limit=1000`)).body.items.filter((e: any) => e.type.startsWith("snapshot."));
    expect(events.map((e: any) => [e.type, e.target])).toEqual([
      ["snapshot.created", { type: "snapshot", id: first.id }],
      ["snapshot.created", { type: "snapshot", id: cell.id }],
      ["snapshot.created", { type: "snapshot", id: list[0].id }],
      ["snapshot.withdrawn", { type: "snapshot", id: cell.id }],
    ]);
    expect(events[0].payload).toEqual({ title: "Infliximab by CRP, primary analysis", number: 1, scope: "comparison", hash: first.hash });
  });

  it("cannot be edited or deleted, even in the database", async () => {
    const db = server.database;
    await expect(db.query("UPDATE snapshots SET title = 'Edited' WHERE id = ?", [first.id])).rejects.toThrow(/immutable/);
    await expect(db.query("UPDATE snapshots SET content = '{}' WHERE id = ?", [first.id])).rejects.toThrow(/immutable/);
    await expect(db.query("DELETE FROM snapshots WHERE id = ?", [first.id])).rejects.toThrow(/immutable/);
    await expect(db.query("DELETE FROM snapshot_withdrawals WHERE snapshot_id = ?", [cell.id])).rejects.toThrow(/immutable/);
    expect(JSON.stringify((await read(first.id)).body)).toBe(frozenBody);
    for (const method of ["PATCH", "DELETE", "PUT"]) {
      expect(
        (await team.lead.api.request(method, `${ws()}/snapshots/${first.id}`, method === "DELETE" ? undefined : { title: "x" })).status,
      ).toBe(405);
    }
  });

  async function crate(id: string) {
    const response = await fetch(`${server.url}${ws()}/snapshots/${id}/ro-crate.zip`, {
      headers: { Authorization: `Bearer ${team.observer.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const zip = await JSZip.loadAsync(Buffer.from(await response.arrayBuffer()));
    const files: Record<string, string> = {};
    for (const [name, entry] of Object.entries(zip.files)) if (!entry.dir) files[name] = await entry.async("string");
    return files;
  }

  it("exports an RO-Crate whose metadata names every file it holds with its checksum, and DataCite metadata", async () => {
    const list = (await team.observer.api.get(`${ws()}/snapshots`)).body.items;
    const third = list.find((s: any) => s.number === 3);
    const files = await crate(third.id);
    const metadata = JSON.parse(files["ro-crate-metadata.json"]);
    expect(metadata["@context"]).toContain("https://w3id.org/ro/crate/1.1/context");
    const graph: any[] = metadata["@graph"];
    const byId = new Map(graph.map((e) => [e["@id"], e]));
    expect(byId.size).toBe(graph.length);
    expect(byId.get("ro-crate-metadata.json")).toMatchObject({
      "@type": "CreativeWork",
      conformsTo: { "@id": "https://w3id.org/ro/crate/1.1" },
      about: { "@id": "./" },
    });
    const root = byId.get("./");
    expect(root).toMatchObject({
      "@type": "Dataset",
      name: "Infliximab by CRP, with Trial C",
      version: "3",
      identifier: `sha256:${third.hash}`,
    });
    for (const key of ["description", "datePublished", "license", "author", "publisher", "hasPart"]) expect(root[key], key).toBeTruthy();
    // Every file listed is in the ZIP with the stated size and SHA-256, and every file in the ZIP is listed.
    const listed = root.hasPart.map((p: any) => p["@id"]).sort();
    expect(listed).toEqual(
      Object.keys(files)
        .filter((f) => f !== "ro-crate-metadata.json")
        .sort(),
    );
    for (const id of listed) {
      const entity = byId.get(id);
      expect(entity["@type"]).toContain("File");
      expect(entity.sha256, id).toBe(sha256(files[id]));
      expect(entity.contentSize, id).toBe(String(Buffer.byteLength(files[id], "utf8")));
    }
    // Every local reference resolves within the graph.
    const references = JSON.stringify(graph).match(/\{"@id":"[^"]+"\}/g) ?? [];
    for (const ref of references) {
      const id = JSON.parse(ref)["@id"];
      if (!/^https?:/.test(id)) expect(byId.has(id), id).toBe(true);
    }
    expect(sha256(files["snapshot.json"])).toBe(third.hash);
    const datacite = JSON.parse(files["datacite.json"]);
    expect(datacite).toMatchObject({
      titles: [{ title: "Infliximab by CRP, with Trial C" }],
      publicationYear: third.createdAt.slice(0, 4),
      types: { resourceTypeGeneral: "Dataset" },
      version: "3",
      creators: [{ name: team.lead.name }],
    });
    expect(datacite.publisher).toContain("Consilience");
    expect(datacite.relatedIdentifiers).toEqual([
      expect.objectContaining({ relationType: "IsNewVersionOf", relatedIdentifier: expect.stringContaining(first.id) }),
      expect.objectContaining({ relationType: "IsNewVersionOf", relatedIdentifier: expect.stringContaining(cell.id) }),
    ]);
    expect(files["README.md"]).toContain("[Data set]");
    expect(files["comparison-inputs.csv"].split("\n")[0]).toMatch(/^input_id,study_id,/);
  });

  itWithR("exports R scripts that reproduce every frozen number with metafor, after the live data changed", async () => {
    const files = await crate(first.id);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-crate-"));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const scripts = Object.keys(files).filter((f) => f.startsWith("R/"));
    const content = (await read(first.id)).body.content as SnapshotContent;
    expect(scripts).toHaveLength(content.outputs.rows.length);
    for (const script of scripts) {
      const output = await runR([script], { cwd: dir });
      expect(output).toContain("The numbers agree with Consilience.");
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("names each author with the ORCID iD they gave in their settings, in the snapshot and its DataCite metadata", async () => {
    await server.database.query("UPDATE users SET orcid = ? WHERE id = ?", ["0000-0002-1825-0097", team.contributor.id]);
    const created = await freeze({ title: "With ORCID iDs", authors: [team.contributor.id, team.lead.id] });
    expect(created.status).toBe(201);
    const content = (await read(created.body.id)).body.content as SnapshotContent;
    expect(content.metadata.authors).toEqual([
      { name: team.contributor.name, orcid: "0000-0002-1825-0097" },
      { name: team.lead.name, orcid: null },
    ]);
    const datacite = JSON.parse((await crate(created.body.id))["datacite.json"]);
    expect(datacite.creators[0].nameIdentifiers).toEqual([
      { nameIdentifier: "https://orcid.org/0000-0002-1825-0097", nameIdentifierScheme: "ORCID", schemeUri: "https://orcid.org" },
    ]);
  });
});
