/** Comments pinned to a dataset cell: the marker and the text reach another member without reload. */
import { describe, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

const PASSWORD = "demo-password-for-tests";

async function openSyntheticDataset(browser: Browser, baseUrl: string, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInInBrowser(page, baseUrl, email, PASSWORD);
  await page.getByRole("link", { name: /Immuno-metabolic depression consortium/ }).click();
  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Studies & datasets" }).click();
  await page.getByRole("link", { name: /Raison 2013/ }).click();
  await page.getByRole("link", { name: /Infliximab trial \(synthetic\)/ }).click();
  await page.getByRole("grid", { name: "Dataset rows" }).getByRole("gridcell").first().waitFor();
  return page;
}

describe("discussing a dataset cell", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });

  it("a comment on a cell shows its marker and text to another member at once, and a reply comes back", async () => {
    const lead = await openSyntheticDataset(e2e.browser, e2e.server.url, "lead@demo.example");
    const colleague = await openSyntheticDataset(e2e.browser, e2e.server.url, "immunology@demo.example");

    const cell = (page: Page) => page.locator('[data-cell="5:CRP (mg/dL)"]');
    await cell(lead).click();
    await lead.getByRole("heading", { name: /Row 6, CRP/ }).waitFor();
    await lead.getByLabel("Comment on this spot").fill("Looks transposed: confirm with the site lab?");
    await lead.getByRole("button", { name: "Comment", exact: true }).click();

    // The other member sees the marker on the same cell and the thread in the discussion, without reload.
    await colleague.locator('[data-cell="5:CRP (mg/dL)"][data-commented]').waitFor();
    const thread = colleague.getByTestId("comment-thread").filter({ hasText: "confirm with the site lab?" });
    await thread.getByText("On row 6, column CRP (mg/dL)").waitFor();

    await thread.getByRole("button", { name: "Reply" }).click();
    await thread.getByLabel("Reply").fill("Rechecked: 11.2 mg/L, kept and flagged.");
    await thread.getByRole("button", { name: "Reply", exact: true }).last().click();
    await lead.getByText("Rechecked: 11.2 mg/L, kept and flagged.").waitFor();
  });
});
