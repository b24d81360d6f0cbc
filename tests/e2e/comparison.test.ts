/**
 * A researcher opens the comparison, opens a cell's forest plot, excludes a
 * study and sees the pooled diamond move; a profile added by a colleague
 * appears in the open matrix without a reload; a whole row shows the
 * within-trial difference between High and Low CRP, pooled.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

const PASSWORD = "demo-password-for-tests";

describe("the comparison view", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });
  let lead: ApiClient;
  let workspaceId: string;

  beforeAll(async () => {
    const token = await new ApiClient(e2e.server.url).post("/api/v1/auth/token", { email: "lead@demo.example", password: PASSWORD });
    lead = new ApiClient(e2e.server.url, token.body.token);
    workspaceId = (await lead.get("/api/v1/workspaces")).body.items[0].id;
    // The demo seeds the profiles of docs/domain.md (immuno-metabolic, high CRP, low CRP, insulin resistant).
  });

  it("opens a cell's forest plot, recomputes it when a study is excluded, and stays live", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInInBrowser(page, e2e.server.url, "lead@demo.example", PASSWORD);
    await page.getByRole("link", { name: /Immuno-metabolic depression consortium/ }).click();
    await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Comparison" }).click();

    const matrix = page.getByTestId("comparison-matrix");
    await matrix.waitFor();
    await matrix.getByRole("columnheader", { name: /High CRP/ }).waitFor();
    await page.getByText("Favours the intervention").waitFor();

    // The anti-inflammatory class row, High CRP column: infliximab and minocycline pooled.
    const classRow = matrix.getByRole("row", { name: /Anti-inflammatory \(all\)/ });
    await classRow.getByTestId("matrix-cell").nth(1).click();
    const panel = page.getByTestId("forest-panel");
    await panel.getByRole("heading", { name: /Forest plot: anti-inflammatory \(all\) · High CRP/ }).waitFor();
    await expect(panel.getByTestId("forest-study").count()).resolves.toBe(2);
    await panel.getByTestId("reference-line").waitFor({ state: "attached" });
    const diamond = panel.locator('[data-testid^="diamond-"]').first();
    const before = Number(await diamond.getAttribute("data-estimate"));

    await panel.getByRole("checkbox", { name: /Nettis 2021/ }).uncheck();
    await page.getByText(/Sensitivity analysis: 1 study is excluded/).waitFor();
    await expect.poll(async () => Number(await diamond.getAttribute("data-estimate"))).not.toBe(before);
    // In the plot itself (the table of its numbers below says so too).
    await panel
      .getByRole("img", { name: /^Forest plot/ })
      .getByText("excluded", { exact: true })
      .waitFor();
    const after = Number(await diamond.getAttribute("data-estimate"));
    expect(after).toBeLessThan(before);

    // A colleague adds a profile: the open comparison gains the column without a reload.
    await lead.post(`/api/v1/workspaces/${workspaceId}/profiles`, {
      name: "Obese",
      criteria: { op: "and", items: [{ kind: "biomarker", code: "bmi", operator: ">=", value: 30, unit: "kg/m2" }] },
    });
    await matrix.getByRole("columnheader", { name: /Obese/ }).waitFor();
    await panel.waitFor();

    // The whole infliximab row: within each trial, High CRP against Low CRP, pooled.
    await matrix
      .getByRole("rowheader")
      .getByRole("button", { name: /^infliximab$/i })
      .click();
    const withinTrial = panel.getByTestId("within-trial");
    await withinTrial.getByTestId("within-trial-row").first().waitFor();
    const pooled = withinTrial.getByTestId("within-trial-pooled");
    await pooled.waitFor();
    expect(Number.isFinite(Number(await pooled.getAttribute("data-estimate")))).toBe(true);
    await page.close();
  });
});
