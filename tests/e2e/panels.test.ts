/**
 * A contributor's journey with biomarker panels in a real browser: start from
 * the default panel, add a biomarker with a unit UCUM does not know (and see
 * why), fix it, download the data dictionary and import one (a refused file
 * names its row and column). An observer sees the panel
 * without any edit controls.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

describe("biomarker panels in the browser", () => {
  const e2e = useServerAndBrowser();

  it("a contributor starts from the default panel, fixes a bad unit, downloads and imports the dictionary, and is told of a stale save", async () => {
    const base = e2e.server.url;
    const team = await workspaceWithRoles(base);
    const context = await e2e.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signInInBrowser(page, base, team.contributor.email, team.contributor.password);

    // An empty workspace offers the default panel.
    await page.goto(`${base}/workspaces/${team.workspaceId}/panels`);
    await page.getByText("No biomarker panels yet").waitFor();
    await page.getByRole("button", { name: "Start from the default immuno-metabolic panel" }).click();
    await page.waitForURL(/\/panels\/[a-z0-9]+$/);
    const panelUrl = page.url();
    await page.getByRole("heading", { name: "Immuno-metabolic core panel" }).waitFor();
    const crp = page.getByTestId("biomarker-hs_crp");
    await crp.getByText("high > 3 mg/L").waitFor();
    await crp.getByText("milligram per liter").waitFor();
    await page
      .getByTestId("biomarker-insulin")
      .getByText(/1 pmol\/L = 0\.1667 u\[IU\]\/mL/)
      .waitFor();

    // A unit UCUM does not know is refused next to the field, with UCUM's suggestion; nothing typed is lost.
    const form = page.getByRole("form", { name: "Add a biomarker" });
    await form.getByLabel("Code", { exact: true }).fill("adiponectin");
    await form.getByLabel("Label", { exact: true }).fill("Adiponectin");
    await form.getByLabel("Unit", { exact: true }).fill("mcg/mL");
    await form.getByLabel("Cut-offs").fill("low<4");
    await form.getByRole("button", { name: "Add biomarker" }).click();
    const unitError = form.getByRole("alert").filter({ hasText: "is not a UCUM unit" });
    await unitError.waitFor();
    expect(await unitError.textContent()).toContain("did you mean “ug”");
    expect(await form.getByLabel("Label", { exact: true }).inputValue()).toBe("Adiponectin");
    expect(await page.getByTestId("biomarker-adiponectin").count()).toBe(0);

    // Fixed, it is added as a new version of the panel.
    await form.getByLabel("Unit", { exact: true }).fill("ug/mL");
    await form.getByRole("button", { name: "Add biomarker" }).click();
    const added = page.getByTestId("biomarker-adiponectin");
    await added.waitFor();
    await added.getByText("low < 4 ug/mL").waitFor();
    await page.getByText("Version 2 · 12 biomarkers").waitFor();
    await page.getByRole("link", { name: "Version 2" }).waitFor();

    // The data dictionary downloads as CSV with the new row.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download dictionary CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("immuno-metabolic-core-panel-v2-dictionary.csv");
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toBe(
      "code,label,loinc,specimen,unit,value_type,categories,plausible_min,plausible_max,cutoffs,molar_mass,unit_conventions,aliases,description",
    );
    expect(csv).toContain("adiponectin,Adiponectin,,,ug/mL,numeric,,,,low<4,,,,");

    // A dictionary with a problem is refused with the row and column named, and the panel stays as it was.
    const file = page.getByLabel("Dictionary CSV file");
    await file.setInputFiles({
      name: "dictionary.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("code,label,unit\nleptin,Leptin,ng/mL\ncortisol,Cortisol,nmol/LL\n"),
    });
    await page.getByLabel("What the file does").selectOption("merge");
    await page.getByRole("button", { name: "Import dictionary" }).click();
    const report = page.getByTestId("import-report");
    await report.getByText("The file has a problem, so nothing was imported.").waitFor();
    const problem = report.getByRole("row").filter({ hasText: "nmol/LL" });
    expect(await problem.getByRole("cell").allTextContents()).toEqual(["3", "unit", "“nmol/LL” is not a UCUM unit."]);
    await page.getByText("Version 2 · 12 biomarkers").waitFor();

    await file.setInputFiles({
      name: "dictionary.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("code,label,unit\ncortisol,Cortisol,nmol/L\n"),
    });
    await page.getByLabel("What the file does").selectOption("merge");
    await page.getByRole("button", { name: "Import dictionary" }).click();
    await page.getByText("Imported: the panel is now at version 3 (added cortisol).").waitFor();
    await page.getByTestId("biomarker-cortisol").waitFor();

    // Someone else changes the panel meanwhile: saving on the older version is refused and explained.
    const panelId = panelUrl.split("/").pop()!;
    const renamed = await team.lead.api.patch(`/api/v1/workspaces/${team.workspaceId}/panels/${panelId}`, {
      name: "Renamed by the lead",
      baseVersion: 3,
    });
    expect(renamed.status).toBe(200);
    await form.getByLabel("Code", { exact: true }).fill("resistin");
    await form.getByLabel("Label", { exact: true }).fill("Resistin");
    await form.getByLabel("Unit", { exact: true }).fill("ng/mL");
    await form.getByRole("button", { name: "Add biomarker" }).click();
    await form
      .getByText("Someone else changed this panel while you were editing: it is now at version 4. Nothing was saved.", { exact: false })
      .waitFor();
    expect(await page.getByTestId("biomarker-resistin").count()).toBe(0);
    expect(await form.getByLabel("Label", { exact: true }).inputValue()).toBe("Resistin");
    await form.getByRole("button", { name: "Add biomarker" }).click();
    await page.getByTestId("biomarker-resistin").waitFor();
    await page.getByText("Version 5 · 14 biomarkers").waitFor();

    // An observer reads the same panel with no way to change it.
    const observerContext = await e2e.browser.newContext();
    const observer = await observerContext.newPage();
    await signInInBrowser(observer, base, team.observer.email, team.observer.password);
    await observer.goto(panelUrl);
    await observer.getByTestId("biomarker-adiponectin").waitFor();
    expect(await observer.getByRole("button", { name: /Add biomarker|Remove|Import dictionary|Save details/ }).count()).toBe(0);
    expect(await observer.getByRole("link", { name: /^Edit / }).count()).toBe(0);
    await observer.getByRole("link", { name: "Download dictionary CSV" }).waitFor();

    await context.close();
    await observerContext.close();
  });
});
