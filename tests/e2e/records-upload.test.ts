/**
 * A site's REDCap records export uploaded in the browser with its data
 * dictionary: the check shows each event and the visit it becomes, the user
 * renames one visit and maps the site's CRP to the panel's hs-CRP, and the
 * dataset page shows the visit column and the converted values.
 */
import { describe, expect, it } from "vitest";
import { recordsFixture } from "#tests/fixtures/make-redcap.ts";
import { TRIAL } from "#tests/fixtures/redcap-records-corpus.ts";
import { registerUser } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";
import { studyWithDefaultPanel } from "#tests/support/datasets.ts";

describe("uploading a REDCap records export in the browser", () => {
  const e2e = useServerAndBrowser();

  it("maps events to visits, reduces the repeating instrument, and shows the dataset with its visits", async () => {
    const user = await registerUser(e2e.server.url, "Dr. Records Uploader");
    const workspace = await user.api.post("/api/v1/workspaces", { name: "Records consortium" });
    const { studyId } = await studyWithDefaultPanel(user.api, workspace.body.id, "Minocycline trial");
    const page = await (await e2e.browser.newContext()).newPage();
    await signInInBrowser(page, e2e.server.url, user.email, user.password);

    await page.goto(`${e2e.server.url}/workspaces/${workspace.body.id}/studies/${studyId}/datasets/new`);
    await page.getByRole("heading", { name: "Upload a dataset" }).waitFor();
    await page
      .getByLabel("File (CSV or XLSX)")
      .setInputFiles({ name: "trial-records.csv", mimeType: "text/csv", buffer: recordsFixture("longitudinal.csv") });
    await page
      .getByLabel("REDCap data dictionary (optional)")
      .setInputFiles({ name: "dictionary.csv", mimeType: "text/csv", buffer: recordsFixture("dictionary.csv") });
    await page.getByRole("button", { name: "Check columns" }).click();

    await page.getByRole("heading", { name: "Records", exact: true }).waitFor();
    await page.getByText("Read as a REDCap records export").waitFor();
    expect(await page.getByLabel("Visit of event baseline_arm_1").inputValue()).toBe("baseline");
    expect(await page.getByLabel("Visit of event week_12_arm_2").inputValue()).toBe("week 12");
    expect(await page.getByLabel("Role of visit", { exact: true }).inputValue()).toBe("visit");
    await page.getByText(/initials \(marked as an identifier/).waitFor();

    // Reducing the repeating instrument checks the file again: the instance column goes.
    await page.getByLabel(/Repeated instruments \(concomitant_meds\)/).selectOption("mean");
    await page.getByText(`${TRIAL.length * 3} rows read.`).waitFor();
    expect(await page.getByLabel("Role of instance", { exact: true }).count()).toBe(0);

    // The site's week 12 is the trial's end of treatment; its CRP is the panel's hs-CRP.
    for (const arm of [1, 2]) await page.getByLabel(`Visit of event week_12_arm_${arm}`).fill("end of treatment");
    await page.getByLabel("Role of crp (mg/dL)").selectOption("biomarker");
    await page.getByLabel("Biomarker of crp (mg/dL)").selectOption("hs_crp");
    await page.getByRole("button", { name: "Import dataset" }).click();

    await page.waitForURL(/\/datasets\/[a-z0-9]+$/);
    await page.getByRole("heading", { name: "trial-records" }).waitFor();
    await page.getByText(`${TRIAL.length * 3} rows`, { exact: true }).waitFor();
    const visits = page.getByTestId("dataset-visits");
    await visits.waitFor();
    expect(await visits.textContent()).toContain("baseline · week 4 · end of treatment");
    await page.getByText("converted from mg/dL").first().waitFor();
    const grid = page.getByRole("grid", { name: "Dataset rows" });
    await grid.getByRole("gridcell", { name: "end of treatment" }).first().waitFor();
    // 1001's baseline CRP, 0.52 mg/dL, stored as 5.2 mg/L.
    await grid
      .getByRole("gridcell", { name: String(TRIAL[0].crp[0] * 10), exact: true })
      .first()
      .waitFor();
  });
});
