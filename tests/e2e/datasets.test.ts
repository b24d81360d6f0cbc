/**
 * A researcher uploads a CSV in the browser: checks the column matching, sees
 * the progress bar, and lands on the dataset page with the mg/dL column
 * converted and the rows in the grid, where they sort and filter.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { registerUser } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";
import { studyWithDefaultPanel } from "#tests/support/datasets.ts";

function syntheticCsv(participants: number): string {
  const lines = ["participant_id,arm,CRP (mg/dL),bmi,hamd_week12"];
  for (let i = 1; i <= participants; i++) {
    const crp = i === 7 ? 45 : ((i * 37) % 90) / 100 + 0.05; // participant 7: 450 mg/L, implausible
    lines.push(
      `P${String(i).padStart(4, "0")},${i % 2 ? "infliximab" : "placebo"},${crp.toFixed(2)},${(24 + (i % 13)).toFixed(1)},${10 + (i % 15)}`,
    );
  }
  return lines.join("\n");
}

describe("uploading and viewing a dataset in the browser", () => {
  const e2e = useServerAndBrowser();

  it("uploads a CSV with a progress bar, and shows the converted column and the grid", async () => {
    const user = await registerUser(e2e.server.url, "Dr. Grid Uploader");
    const workspace = await user.api.post("/api/v1/workspaces", { name: "Upload consortium" });
    const { studyId } = await studyWithDefaultPanel(user.api, workspace.body.id, "Raison 2013");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-e2e-"));
    const file = path.join(dir, "raison-synthetic.csv");
    fs.writeFileSync(file, syntheticCsv(3000));

    const page = await (await e2e.browser.newContext()).newPage();
    await signInInBrowser(page, e2e.server.url, user.email, user.password);

    await page.goto(`${e2e.server.url}/workspaces/${workspace.body.id}/studies/${studyId}/datasets/new`);
    await page.getByRole("heading", { name: "Upload a dataset" }).waitFor();
    await page.getByLabel("File (CSV or XLSX)").setInputFiles(file);
    expect(await page.getByLabel("Dataset name").inputValue()).toBe("raison-synthetic");
    await page.getByLabel("Dataset name").fill("Raison 2013 (synthetic)");
    await page.getByRole("button", { name: "Check columns" }).click();

    // The proposed matching: CRP found by alias, in mg/dL, converted to the panel's mg/L.
    await page.getByRole("heading", { name: "Column matching" }).waitFor();
    expect(await page.getByLabel("Biomarker of CRP (mg/dL)").inputValue()).toBe("hs_crp");
    expect(await page.getByLabel("Unit of CRP (mg/dL)").inputValue()).toBe("mg/dL");
    await page.getByText("converted from mg/dL to mg/L").waitFor();
    expect(await page.getByLabel("Role of participant_id").inputValue()).toBe("participant_id");
    // The user leaves one column out.
    await page.getByLabel("Role of hamd_week12").selectOption("ignore");

    // Import: the progress bar appears, then the dataset page.
    const sawProgress = page.getByRole("progressbar").waitFor({ state: "attached" });
    await page.getByRole("button", { name: "Import dataset" }).click();
    await sawProgress;
    await page.waitForURL(/\/datasets\/[a-z0-9]+$/);

    await page.getByRole("heading", { name: "Raison 2013 (synthetic)" }).waitFor();
    await page.getByText("Synthetic data").waitFor();
    await page.getByText("version 1", { exact: true }).waitFor();
    await page.getByText("converted from mg/dL").first().waitFor();
    await page.getByText(/1 value of “CRP \(mg\/dL\)” \(hs_crp\) lie outside the plausible range/).waitFor();
    expect(await page.getByText("hamd_week12").count()).toBe(0);
    await page.getByRole("img", { name: "Histogram of CRP (mg/dL)" }).waitFor();

    // The grid: virtualised (not all 3000 rows in the DOM), filterable, sortable, with the flagged value highlighted.
    const grid = page.getByRole("grid", { name: "Dataset rows" });
    await grid.getByRole("gridcell", { name: "P0001", exact: true }).waitFor();
    await page.getByText("3000 rows", { exact: true }).waitFor();
    expect(await grid.getByRole("row").count()).toBeLessThan(100);
    await page.getByLabel("Filter rows").fill("P0007");
    await page.getByText("1 of 3000 rows", { exact: true }).waitFor();
    const flagged = grid.getByRole("gridcell", { name: "450", exact: true });
    expect(await flagged.getAttribute("class")).toContain("bg-amber-100");
    await page.getByLabel("Filter rows").fill("");
    await grid.getByRole("button", { name: /^CRP \(mg\/dL\)/ }).click(); // ascending
    await grid.getByRole("button", { name: /^CRP \(mg\/dL\)/ }).click(); // descending: the implausible value first
    const firstCrp = grid.getByRole("row").nth(1).getByRole("gridcell").nth(2);
    expect(await firstCrp.textContent()).toBe("450");

    // Export is one click away.
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const exported = fs.readFileSync((await (await download).path())!, "utf8");
    expect(exported.split("\r\n")[0]).toBe("participant_id,arm,hs_crp (mg/L),bmi (kg/m2)");
  });

  it("shows the server's progress on a large import, rows checked then written, and then the dataset", async () => {
    const user = await registerUser(e2e.server.url, "Dr. Large Uploader");
    const workspace = await user.api.post("/api/v1/workspaces", { name: "Large upload consortium" });
    const { studyId } = await studyWithDefaultPanel(user.api, workspace.body.id, "Large trial");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-e2e-"));
    const file = path.join(dir, "large.csv");
    fs.writeFileSync(file, syntheticCsv(60_000));

    const page = await (await e2e.browser.newContext()).newPage();
    await signInInBrowser(page, e2e.server.url, user.email, user.password);
    await page.goto(`${e2e.server.url}/workspaces/${workspace.body.id}/studies/${studyId}/datasets/new`);
    await page.getByRole("heading", { name: "Upload a dataset" }).waitFor();
    await page.getByLabel("File (CSV or XLSX)").setInputFiles(file);
    await page.getByRole("button", { name: "Check columns" }).click();
    await page.getByRole("heading", { name: "Column matching" }).waitFor();

    // Every determinate label the import bar shows, until the dataset page replaces it.
    const labels: string[] = [];
    const watching = (async () => {
      while (page.url().endsWith("/datasets/new")) {
        const label = await page
          .evaluate(() => {
            const bar = document.querySelector('[role="progressbar"][aria-label="Import progress"]');
            return bar?.hasAttribute("aria-valuenow") ? bar.getAttribute("aria-valuetext") : null;
          })
          .catch(() => null); // the page is navigating to the dataset
        if (label) labels.push(label);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await page.getByRole("button", { name: "Import dataset" }).click();
    await watching;
    await page.waitForURL(/\/datasets\/[a-z0-9]+$/, { timeout: 60_000 });
    await page.getByText("60000 rows", { exact: true }).waitFor();
    expect(labels.some((l) => /rows read and checked|of 60,000 rows written/.test(l))).toBe(true);
  });
});
