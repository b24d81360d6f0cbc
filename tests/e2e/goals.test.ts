/**
 * A lead sets a goal whose key result counts itself; a contributor, in another
 * browser, adds a result; the lead's dashboard moves without a reload.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

const PASSWORD = "demo-password-for-tests";

describe("shared goals, live", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });

  async function signIn(email: string): Promise<Page> {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, e2e.server.url, email, PASSWORD);
    await page.getByRole("link", { name: /Immuno-metabolic depression consortium/ }).click();
    return page;
  }

  it("moves the lead's dashboard bar when a contributor adds a result elsewhere", async () => {
    const lead = await signIn("lead@demo.example");
    await lead.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Goals" }).click();
    await lead.getByRole("heading", { name: "New goal" }).waitFor();
    await lead.getByLabel("Title").fill("Results for the inflammatory profile");
    await lead.getByLabel("Milestone", { exact: true }).fill("Studies with CRP-subgroup results");
    await lead.getByLabel("Kind").selectOption("studies_with_results");
    await lead.getByLabel("Target").fill("10");
    await lead.getByLabel("Subgroup contains").fill("CRP");
    await lead.getByRole("button", { name: "Create goal" }).click();
    await lead.getByRole("heading", { name: "Results for the inflammatory profile" }).waitFor();

    await lead.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Dashboard" }).click();
    const bar = lead.getByRole("progressbar", { name: "Progress of Results for the inflammatory profile" });
    await bar.waitFor();
    const before = Number(await bar.getAttribute("aria-valuenow"));
    const row = lead
      .getByRole("region", { name: "Goals" })
      .getByRole("listitem")
      .filter({ hasText: "Studies with CRP-subgroup results" })
      .last();
    await row.getByText(/\d+ \/ 10/).waitFor();
    const counted = (await row.textContent())!.match(/(\d+) \/ 10/)![1];

    const contributor = await signIn("immunology@demo.example");
    await contributor.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Studies & datasets" }).click();
    await contributor.getByLabel("Title").fill("Celecoxib add-on pilot");
    await contributor.getByLabel("Arm 1 intervention").fill("celecoxib");
    await contributor.getByLabel("Arm 2 intervention").fill("placebo");
    await contributor.getByLabel("Primary outcome").fill("Response");
    await contributor.getByLabel("Kind").selectOption("binary");
    await contributor.getByRole("button", { name: "Create study" }).click();
    await contributor.getByRole("heading", { name: "Celecoxib add-on pilot" }).waitFor();
    await contributor.getByLabel("Subgroup").fill("CRP ≥ 3 mg/L");
    await contributor.getByLabel("intervention events").fill("9");
    await contributor.getByLabel("intervention N").fill("12");
    await contributor.getByLabel("comparator events").fill("5");
    await contributor.getByLabel("comparator N").fill("11");
    await contributor.getByRole("button", { name: "Add result" }).click();
    await contributor.getByRole("cell", { name: "9/12 vs 5/11" }).waitFor();

    // No reload on the lead's side: the live channel revalidates the dashboard.
    await row.getByText(`${Number(counted) + 1} / 10`).waitFor();
    expect(Number(await bar.getAttribute("aria-valuenow"))).toBe(before + 10);
  });
});
