/**
 * A lead freezes the comparison as a snapshot from its page, a colleague then
 * changes a profile, and the snapshot's page still shows the frozen numbers
 * (and says what moved since) while the live comparison has moved; the
 * snapshot offers its citation and its RO-Crate.
 */
import fs from "node:fs";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

const PASSWORD = "demo-password-for-tests";

describe("snapshots", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });
  let lead: ApiClient;
  let workspaceId: string;

  beforeAll(async () => {
    const token = await new ApiClient(e2e.server.url).post("/api/v1/auth/token", { email: "lead@demo.example", password: PASSWORD });
    lead = new ApiClient(e2e.server.url, token.body.token);
    workspaceId = (await lead.get("/api/v1/workspaces")).body.items[0].id;
  });

  it("freezes the comparison, stays unchanged when the data change while the live view moves, and offers its citation", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInInBrowser(page, e2e.server.url, "lead@demo.example", PASSWORD);
    await page.goto(`${e2e.server.url}/workspaces/${workspaceId}/comparison`);
    const liveMatrix = page.getByTestId("comparison-matrix");
    await liveMatrix.waitFor();
    const cellOf = (row: string) => page.getByTestId("comparison-matrix").getByRole("row", { name: row }).getByTestId("matrix-cell");
    const highCrpColumn = 1;
    const liveBefore = await cellOf("Anti-inflammatory (all)").nth(highCrpColumn).innerText();

    await page.getByRole("link", { name: "Freeze as snapshot" }).click();
    await page.getByLabel("Title").fill("Anti-inflammatory agents by CRP");
    await page.getByRole("button", { name: "Freeze snapshot" }).click();
    await page.getByRole("heading", { name: "Anti-inflammatory agents by CRP" }).waitFor();
    const snapshotUrl = page.url();
    const hash = await page.getByTestId("snapshot-hash").innerText();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await cellOf("Anti-inflammatory (all)").nth(highCrpColumn).innerText()).toBe(liveBefore);
    await expect(page.getByTestId("diff-summary").innerText()).resolves.toBe("Nothing changed.");
    await expect(page.getByTestId("cite-apa").inputValue()).resolves.toMatch(/Anti-inflammatory agents by CRP \(Version 1\) \[Data set\]/);
    await expect(page.getByTestId("cite-bibtex").inputValue()).resolves.toContain(`SHA-256 ${hash}`);

    // A colleague moves the High CRP cut-off: the live cell moves, the frozen one does not.
    const profiles = (await lead.get(`/api/v1/workspaces/${workspaceId}/profiles`)).body.items;
    const high = profiles.find((p: any) => p.name === "High CRP");
    const edited = await lead.patch(`/api/v1/workspaces/${workspaceId}/profiles/${high.id}`, {
      baseVersion: high.version,
      criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 1.5, unit: "mg/L" }] },
    });
    expect(edited.status).toBe(200);

    await page.goto(snapshotUrl);
    await page.getByTestId("comparison-matrix").waitFor();
    expect(await cellOf("Anti-inflammatory (all)").nth(highCrpColumn).innerText()).toBe(liveBefore);
    expect(await page.getByTestId("snapshot-hash").innerText()).toBe(hash);
    await expect(page.getByTestId("diff-summary").innerText()).resolves.toMatch(/cells? moved.*1 profile changed/);

    // The frozen forest plot opens from the stored numbers.
    await cellOf("Anti-inflammatory (all)").nth(highCrpColumn).click();
    await page
      .getByTestId("forest-panel")
      .getByRole("heading", { name: /Forest plot: anti-inflammatory \(all\) · High CRP/ })
      .waitFor();

    // The RO-Crate downloads from the page.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "RO-Crate (ZIP)" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^snapshot-1-Anti-inflammatory_agents_by_CRP\.zip$/);
    const zip = await JSZip.loadAsync(fs.readFileSync(await download.path()));
    expect(Object.keys(zip.files)).toEqual(expect.arrayContaining(["ro-crate-metadata.json", "snapshot.json", "comparison-inputs.csv"]));

    await page.goto(`${e2e.server.url}/workspaces/${workspaceId}/comparison`);
    await liveMatrix.waitFor();
    await expect.poll(() => cellOf("Anti-inflammatory (all)").nth(highCrpColumn).innerText()).not.toBe(liveBefore);
    await page.close();
  });
});
