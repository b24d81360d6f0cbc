/**
 * A lead freezes the who-benefits analysis from its page; the snapshot's page
 * draws the frozen analysis (its summary the live page's, word for word) and
 * keeps drawing it after the data change.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

const PASSWORD = "demo-password-for-tests";

describe("effect-modification snapshots", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });
  let lead: ApiClient;
  let workspaceId: string;

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
});
