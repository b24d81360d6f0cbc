/**
 * A lead freezes the who-benefits analysis from its page; the snapshot's page
 * draws the frozen analysis (its summary the live page's, word for word) and
 * keeps drawing it after the data change. A trial's data are then re-imported
 * with other values and the analysis frozen again: from the first snapshot's
 * page a person opens the comparison of the two and sees that trial moved.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";
import { uploadDataset } from "#tests/support/datasets.ts";

const PASSWORD = "demo-password-for-tests";

describe("effect-modification snapshots", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });
  let lead: ApiClient;
  let workspaceId: string;
  let firstUrl: string;

  beforeAll(async () => {
    const token = await new ApiClient(e2e.server.url).post("/api/v1/auth/token", { email: "lead@demo.example", password: PASSWORD });
    lead = new ApiClient(e2e.server.url, token.body.token);
    workspaceId = (await lead.get("/api/v1/workspaces")).body.items[0].id;
  });

  it("freezes the analysis from its page and draws the frozen numbers on the snapshot's page", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInInBrowser(page, e2e.server.url, "lead@demo.example", PASSWORD);
    await page.goto(`${e2e.server.url}/workspaces/${workspaceId}/effect-modification`);
    const summary = page.getByTestId("interaction-summary");
    await summary.waitFor();
    const live = (await summary.textContent()) ?? "";
    // The pooled interaction and its interval, as the summary opens with them.
    const estimate = live.split(" change in")[0];
    expect(estimate.length).toBeGreaterThan(0);
    expect(estimate.length).toBeLessThan(live.length);

    await page.getByRole("link", { name: "Freeze as snapshot" }).click();
    await page.getByText(/Freezes the effect-modification analysis/).waitFor();
    await page.getByLabel("Title").fill("Who benefits, frozen");
    await page.getByRole("button", { name: "Freeze snapshot" }).click();
    await page.getByRole("heading", { name: "Who benefits, frozen" }).waitFor();
    const snapshotUrl = page.url();
    firstUrl = snapshotUrl;
    await page.getByRole("heading", { name: /^Who benefits: / }).waitFor();
    await expect(page.getByTestId("interaction-summary").textContent()).resolves.toContain(estimate);
    await expect(page.getByTestId("diff-summary").textContent()).resolves.toBe("Nothing changed.");
    await expect(page.getByTestId("trial-row").count()).resolves.toBeGreaterThan(0);

    // A study is renamed after the freeze: the frozen page still draws the frozen analysis.
    const studies = (await lead.get(`/api/v1/workspaces/${workspaceId}/studies`)).body.items as { id: string; version: number }[];
    const renamed = await lead.patch(`/api/v1/workspaces/${workspaceId}/studies/${studies[0].id}`, {
      baseVersion: studies[0].version,
      title: "Renamed after the freeze",
    });
    expect(renamed.status).toBe(200);
    await page.goto(snapshotUrl);
    await page.getByRole("heading", { name: /^Who benefits: / }).waitFor();
    await expect(page.getByTestId("interaction-summary").textContent()).resolves.toContain(estimate);
    await page.close();
  });

  it("compares two frozen analyses: the trial whose data were re-imported with other values shows as moved", async () => {
    const ws = `/api/v1/workspaces/${workspaceId}`;
    const first = (await lead.get(`${ws}/snapshots`)).body.items.find((s: { scope: string }) => s.scope === "effect-modification");
    const { options, view } = (await lead.get(`${ws}/snapshots/${first.id}`)).body.content.effectModification;
    const trial = view.trials[0];
    // The trial's dataset comes back with its biomarker values in reverse order: the same people, another interaction.
    const exported = await fetch(`${e2e.server.url}${ws}/datasets/${trial.datasetId}/export.csv`, {
      headers: { Authorization: `Bearer ${lead.token}` },
    });
    expect(exported.status).toBe(200);
    const [header, ...rows] = (await exported.text()).trim().split(/\r?\n/);
    const column = header.split(",").findIndex((name) => name.startsWith(trial.columnName));
    expect(column).toBeGreaterThan(-1);
    const cells = rows.map((r) => r.split(","));
    const reversed = cells.map((c) => c[column]).reverse();
    const csv = [header, ...cells.map((c, i) => c.map((v, j) => (j === column ? reversed[i] : v)).join(","))].join("\n");
    expect((await uploadDataset(lead, workspaceId, trial.studyId, csv, { name: trial.datasetName })).status).toBe(201);
    const second = await lead.post(`${ws}/snapshots`, {
      title: "Who benefits, after the re-import",
      scope: "effect-modification",
      ...options,
    });
    expect(second.status).toBe(201);

    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInInBrowser(page, e2e.server.url, "lead@demo.example", PASSWORD);
    await page.goto(firstUrl);
    await expect(page.getByTestId("diff-summary").textContent()).resolves.toMatch(/1 trial moved.*1 source updated/);
    await page.getByRole("link", { name: `snapshot ${second.body.number}` }).click();
    await page.getByRole("heading", { name: `From snapshot ${first.number} to snapshot ${second.body.number}` }).waitFor();
    await expect(page.getByTestId("diff-summary").textContent()).resolves.toMatch(
      /^Pooled interaction moved, 1 trial moved, 1 source updated/,
    );
    const moved = page.getByTestId("em-diff-trial");
    await expect(moved.count()).resolves.toBe(1);
    await expect(moved.textContent()).resolves.toContain("fit moved");
    await expect(moved.textContent()).resolves.toContain(trial.datasetName);
    await expect(page.getByTestId("em-diff-pooled").textContent()).resolves.toContain("Pooled interaction: moved");
    await page.close();
  });
});
