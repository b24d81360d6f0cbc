/**
 * A researcher asks who benefits: opens "Who benefits", sees each trial's
 * treatment × hs-CRP interaction and the pooled line, switches the biomarker,
 * excludes a trial and sees the pooled line and diamond move at once, then
 * downloads the R script, which (with the data CSV beside it) refits every
 * trial in R and finds the same numbers.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect } from "vitest";
import { ApiClient } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";
import { itWithR, rscript } from "#tests/support/rscript.ts";

const PASSWORD = "demo-password-for-tests";

describe("who benefits: effect modification in the browser", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });
  let lead: ApiClient;

  beforeAll(async () => {
    const token = await new ApiClient(e2e.server.url).post("/api/v1/auth/token", { email: "lead@demo.example", password: PASSWORD });
    lead = new ApiClient(e2e.server.url, token.body.token);
  });

  itWithR(
    "shows the interaction per trial and pooled, re-pools when a trial is excluded, and exports an R script that agrees",
    async () => {
      const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      await signInInBrowser(page, e2e.server.url, "lead@demo.example", PASSWORD);
      await page.getByRole("link", { name: /Immuno-metabolic depression consortium/ }).click();
      await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Who benefits" }).click();

      // The demo's anti-inflammatory trials (synthetic) were built with a benefit that grows with CRP.
      const summary = page.getByTestId("interaction-summary");
      await expect.poll(() => summary.textContent()).toMatch(/per doubling of hs-CRP, pooled within 2 trials/);
      await expect(summary.textContent()).resolves.toMatch(/grows with hs-CRP/);
      await page.getByTestId("modification-plot").waitFor();
      await expect(page.getByTestId("trial-line").count()).resolves.toBe(2);
      await expect(page.getByTestId("cutoff").count()).resolves.toBeGreaterThan(0);

      // Another biomarker, on its own scale: BMI per 5 kg/m2.
      await page.locator('select[name="biomarker"]').selectOption("bmi");
      await expect.poll(() => summary.textContent()).toMatch(/per 5 kg\/m2 of BMI/);
      await page.locator('select[name="biomarker"]').selectOption("hs_crp");
      await expect.poll(() => summary.textContent()).toMatch(/per doubling of hs-CRP/);

      // The matrix of every intervention against every biomarker opens a cell's analysis.
      const matrix = page.getByTestId("modification-matrix");
      await matrix.waitFor();
      await matrix
        .getByRole("row", { name: /^minocycline/ })
        .getByTestId("modification-cell")
        .first()
        .click();
      await expect.poll(() => summary.textContent()).toMatch(/pooled within 1 trial/);
      await page.locator('select[name="intervention"]').selectOption("class:anti-inflammatory");
      await expect.poll(() => summary.textContent()).toMatch(/pooled within 2 trials/);

      // Exclude a trial: the pooled line and diamond move to the remaining trial's own estimate, without a round trip.
      const line = page.getByTestId("pooled-line");
      const diamond = page.getByTestId("interaction-diamond");
      const before = Number(await line.getAttribute("data-slope"));
      const nettisRow = page.getByTestId("trial-row").filter({ hasText: "Nettis 2021" });
      const nettis = (await nettisRow.locator("td").nth(3).textContent())!.split(" ")[0].replace("−", "-");
      await page.getByRole("checkbox", { name: /Include Raison 2013/ }).uncheck();
      await page.getByText(/Sensitivity analysis: 1 trial is excluded/).waitFor();
      await expect.poll(async () => Number(await line.getAttribute("data-slope"))).not.toBe(before);
      const after = Number(await diamond.getAttribute("data-estimate"));
      expect(after.toFixed(2)).toBe(Number(nettis).toFixed(2));
      await expect.poll(() => summary.textContent()).toMatch(/pooled within 1 trial/);

      // The R script reproduces what the page shows, exclusion included.
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("r-script").click()]);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-em-"));
      const scriptPath = path.join(dir, download.suggestedFilename());
      await download.saveAs(scriptPath);
      const script = fs.readFileSync(scriptPath, "utf8");
      expect(script).toContain("library(metafor)");
      expect(script).toContain("lm(y ~ arm + x + arm:x");
      const dataUrl = new URL(script.match(/^#\s+(http\S+\/effect-modification\/data\.csv\S*)$/m)![1]);
      const data = await lead.get(dataUrl.pathname + dataUrl.search);
      expect(data.status).toBe(200);
      fs.writeFileSync(path.join(dir, "effect-modification-data.csv"), data.body);
      const output = execFileSync(rscript(), [path.basename(scriptPath)], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] }).toString();
      expect(output).toContain("The numbers agree with Consilience.");
      expect(output).toMatch(/k = 1/);
      await page.close();
    },
  );
});
