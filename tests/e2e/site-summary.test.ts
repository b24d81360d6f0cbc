/**
 * A lead uploads the site-summary.json a partner site sent back, with the
 * form on the study page, and sees it listed; a file that is not JSON is
 * refused with a message and nothing is added.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type SiteKit, summariseSite } from "#app/domain/site-summary.ts";
import { ApiClient } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

const PASSWORD = "demo-password-for-tests";
const STUDY = "Lin 2015: pioglitazone add-on";

/** A site's participants of both arms of the study, CRP spread over the demo's profiles' cut-offs. */
function siteCsv(armNames: string[]): string {
  let state = 41;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ["participant_id,arm,CRP (mg/L),hamd_baseline,hamd_week12"];
  for (const arm of armNames) {
    for (let i = 0; i < 24; i++) {
      const crp = (i % 2 === 0 ? 3.5 + next() * 8 : 0.2 + next() * 0.7).toFixed(2);
      const baseline = 18 + Math.floor(next() * 9);
      lines.push([`U${lines.length}`, arm, crp, baseline, baseline - Math.round(2 + next() * 8)].join(","));
    }
  }
  return lines.join("\n");
}

describe("uploading a site summary on the study page", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });
  let lead: ApiClient;
  let workspaceId: string;
  let studyId: string;
  let summaryJson: string;

  beforeAll(async () => {
    const token = await new ApiClient(e2e.server.url).post("/api/v1/auth/token", { email: "lead@demo.example", password: PASSWORD });
    lead = new ApiClient(e2e.server.url, token.body.token);
    workspaceId = (await lead.get("/api/v1/workspaces")).body.items[0].id;
    const studies = await lead.get(`/api/v1/workspaces/${workspaceId}/studies`);
    studyId = studies.body.items.find((s: { title: string }) => s.title === STUDY).id;
    const kit: SiteKit = (await lead.get(`/api/v1/workspaces/${workspaceId}/studies/${studyId}/site-kit.json`)).body;
    const text = siteCsv(kit.study.arms.map((a) => a.name));
    const summary = summariseSite(kit, { fileName: "utrecht.csv", sha256: createHash("sha256").update(text).digest("hex"), text });
    expect(summary.profiles.some((p) => p.evaluable && p.arms.length === 2)).toBe(true);
    summaryJson = JSON.stringify(summary, null, 2);
  });

  it("lists an uploaded summary, and refuses a broken file without adding anything", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const studyPath = `/workspaces/${workspaceId}/studies/${studyId}`;
    await signInInBrowser(page, e2e.server.url, "lead@demo.example", PASSWORD, studyPath);
    await page.getByRole("heading", { name: STUDY }).waitFor();

    // The demo already holds the hospital's own summary of this trial; the upload adds one more.
    const list = page.getByTestId("site-summaries");
    const before = await list.getByRole("listitem").count();
    const storedBefore = (await lead.get(`/api/v1/workspaces/${workspaceId}/studies/${studyId}/site-summaries`)).body.items.length;

    const form = page.getByTestId("site-summary-form");
    await form.getByRole("textbox", { name: "Site" }).fill("Utrecht");
    await form
      .getByLabel("site-summary.json")
      .setInputFiles({ name: "site-summary.json", mimeType: "application/json", buffer: Buffer.from(summaryJson) });
    await form.getByRole("button", { name: "Upload site summary" }).click();
    await list.getByText("Site summary “Utrecht” v1").waitFor();
    await expect(list.getByRole("listitem").count()).resolves.toBe(before + 1);

    await form.getByRole("textbox", { name: "Site" }).fill("Groningen");
    await form
      .getByLabel("site-summary.json")
      .setInputFiles({ name: "site-summary.json", mimeType: "application/json", buffer: Buffer.from('{"format": "consilience-site-') });
    await form.getByRole("button", { name: "Upload site summary" }).click();
    await form.getByText(/This file is not JSON/).waitFor();
    await expect(list.getByRole("listitem").count()).resolves.toBe(before + 1);
    await expect(list.getByText(/Groningen/).count()).resolves.toBe(0);
    const stored = (await lead.get(`/api/v1/workspaces/${workspaceId}/studies/${studyId}/site-summaries`)).body.items;
    expect(stored).toHaveLength(storedBefore + 1);
    expect(
      stored
        .filter((s: { site: string }) => s.site !== "Lin 2015 hospital (synthetic)")
        .map((s: { site: string; version: number }) => [s.site, s.version]),
    ).toEqual([["Utrecht", 1]]);
    await page.close();
  });
});
