/**
 * A contributor imports a site's REDCap data dictionary in the browser:
 * uploads it, reviews what each field becomes and why others are skipped,
 * maps the site's CRP field to the workspace's hs-CRP, and creates the panel.
 * The categories of a choice field show in the review and on the panel, where
 * they are then edited from the keyboard: a row added, a code refused and
 * fixed without losing what was typed, a row removed.
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
    const reviewedSex = table.getByRole("list", { name: "Categories of sex" });
    expect(await reviewedSex.getByRole("listitem").allTextContents()).toEqual(["1 = Male", "2 = Female"]);

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
    expect(csv).toContain('sex,site_3,,dropdown,Sex,"1, Male | 2, Female",');

    // The panel shows the categories of the choice fields.
    const categoriesOf = (code: string, label: string) =>
      page.getByTestId(`biomarker-${code}`).getByRole("list", { name: `Categories of ${label}` });
    expect(await categoriesOf("sex", "Sex").getByRole("listitem").allTextContents()).toEqual(["1 = Male", "2 = Female"]);
    expect(await categoriesOf("smoker", "Current smoker?").getByRole("listitem").allTextContents()).toEqual(["1 = Yes", "0 = No"]);

    // Editing them: a row added from the keyboard, with a code already taken, is refused next to it and keeps what was typed.
    await page.getByRole("link", { name: "Edit Sex" }).click();
    const form = page.getByRole("form", { name: "Edit Sex" });
    expect(await form.getByLabel("Category 2 label").inputValue()).toBe("Female");
    await form.getByRole("button", { name: "Add a category" }).click();
    await page.keyboard.type("2");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Other, or not said");
    expect(await form.getByLabel("Category 3 label").inputValue()).toBe("Other, or not said");
    await form.getByLabel("Category 1 label").fill("Man");
    await form.getByRole("button", { name: "Save changes" }).click();
    const taken = form.getByRole("alert").filter({ hasText: "The category code “2” is already used by category 2" });
    await taken.waitFor();
    expect(await form.getByLabel("Category 3 code").getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByLabel("Category 3 label").inputValue()).toBe("Other, or not said");
    expect(await form.getByLabel("Category 1 label").inputValue()).toBe("Man");
    expect(await categoriesOf("sex", "Sex").getByRole("listitem").allTextContents()).toEqual(["1 = Male", "2 = Female"]);

    await form.getByLabel("Category 3 code").fill("9");
    await form.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Version 2 · 10 biomarkers").waitFor();
    await page.waitForFunction(() => !document.querySelector('form[aria-labelledby="update-biomarker-heading"]'));
    expect(await categoriesOf("sex", "Sex").getByRole("listitem").allTextContents()).toEqual([
      "1 = Man",
      "2 = Female",
      "9 = Other, or not said",
    ]);

    // A row removed: focus moves on to the next row, and the saved list no longer has it.
    await page.getByRole("link", { name: "Edit Sex" }).click();
    await form.getByRole("button", { name: "Remove category 2 (2)" }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Category 2 code");
    expect(await form.getByLabel("Category 2 code").inputValue()).toBe("9");
    await form.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Version 3 · 10 biomarkers").waitFor();
    await page.waitForFunction(() => !document.querySelector('form[aria-labelledby="update-biomarker-heading"]'));
    expect(await categoriesOf("sex", "Sex").getByRole("listitem").allTextContents()).toEqual(["1 = Man", "9 = Other, or not said"]);
  });
});
