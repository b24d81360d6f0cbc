/**
 * A contributor imports a site's REDCap data dictionary in the browser:
 * uploads it, reviews what each field becomes and why others are skipped,
 * maps the site's CRP field to the workspace's hs-CRP, and creates the panel.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { redcapFixture } from "#tests/fixtures/make-redcap.ts";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

describe("importing a panel from REDCap in the browser", () => {
  const e2e = useServerAndBrowser();

  it("uploads a dictionary, reviews it, maps a field to an existing biomarker and accepts", async () => {
    const base = e2e.server.url;
    const team = await workspaceWithRoles(base);
    const core = await team.lead.api.post(`/api/v1/workspaces/${team.workspaceId}/panels`, { name: "Core", fromDefault: true });
    expect(core.status).toBe(201);
    const page = await (await e2e.browser.newContext({ acceptDownloads: true })).newPage();
    await signInInBrowser(page, base, team.contributor.email, team.contributor.password);

    await page.goto(`${base}/workspaces/${team.workspaceId}/panels`);
    await page.getByRole("link", { name: "Import a panel from a REDCap data dictionary or CDISC ODM" }).click();
    await page.getByRole("heading", { name: "Import a panel from REDCap or CDISC ODM" }).waitFor();

    // A file that is not a dictionary is refused, naming the row.
    const file = page.getByLabel("Dictionary file");
    await file.setInputFiles({ name: "data.csv", mimeType: "text/csv", buffer: Buffer.from(redcapFixture("not-a-dictionary.csv")) });
    await page.getByRole("button", { name: "Review fields" }).click();
    await page.getByRole("alert").filter({ hasText: "row 1: This is not a REDCap data dictionary" }).waitFor();

    await file.setInputFiles({ name: "site-3.csv", mimeType: "text/csv", buffer: Buffer.from(redcapFixture("baseline-small.csv")) });
    await page.getByRole("button", { name: "Review fields" }).click();
    await page.getByRole("heading", { name: "11 fields become biomarkers" }).waitFor();
    await page.getByRole("heading", { name: "5 fields are skipped" }).waitFor();
    await page.getByText("a descriptive field shows text and holds no data").waitFor();
    const table = page.getByRole("table", { name: "Each field of the file and what it becomes" });
    await table
      .getByRole("row", { name: /crp_mgdl/ })
      .getByText("text (number), mg/dL")
      .waitFor();

    // Map the site's CRP in mg/dL to the workspace's hs-CRP in mg/L: the review shows the conversion.
    await page.getByLabel("What crp_mgdl becomes").selectOption({ label: "hs_crp · hs-CRP (mg/L)" });
    await page.getByLabel("What il6 becomes").selectOption({ label: "Leave out" });
    await page.getByRole("button", { name: "Review again" }).click();
    await page.getByText("mg/dL → mg/L (×10, UCUM)").waitFor();
    expect(await page.getByLabel("What il6 becomes").inputValue()).toBe("skip");
    await page.getByRole("heading", { name: "10 fields become biomarkers" }).waitFor();

    await page.getByRole("button", { name: "Create panel" }).click();
    await page.waitForURL(/\/panels\/[a-z0-9]+$/);
    await page.getByRole("heading", { name: "site-3" }).waitFor();
    await page.getByTestId("biomarker-hs_crp").waitFor();
    expect(await page.getByTestId("biomarker-crp_mgdl").count()).toBe(0);
    expect(await page.getByTestId("biomarker-il6").count()).toBe(0);
    await page.getByTestId("biomarker-sbp").getByText("mm[Hg]").first().waitFor();

    // The new panel downloads as a REDCap data dictionary, the mapped field under its workspace code.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download as REDCap data dictionary" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("site-3-v1-redcap-dictionary.csv");
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv).toMatch(/^Variable \/ Field Name,Form Name,Section Header,Field Type,Field Label,/);
    expect(csv).toContain("hs_crp,site_3,,text,hs-CRP (mg/L),,mg/L,number,0,300,,,,,,,,LOINC 30522-7");
  });
});
