/** A contributor records a trial and its subgroup result in the browser; a mistake is explained next to the field. */
import { afterAll, beforeAll, describe, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "#tests/support/browser.ts";
import { startServer, type TestServer } from "#tests/support/server.ts";

describe("recording a study and its results", () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer({ SEED_DEMO: "1", DEMO_PASSWORD: "demo-password-for-tests" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("creates a study with two arms, refuses impossible counts, then shows the result", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Email").fill("immunology@demo.example");
    await page.getByLabel("Password").fill("demo-password-for-tests");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: /Immuno-metabolic depression consortium/ }).click();
    await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Studies & datasets" }).click();

    // The seeded trials are listed; the contributor adds another.
    await page.getByRole("link", { name: /Raison 2013/ }).waitFor();
    await page.getByLabel("Title").fill("Celecoxib add-on pilot");
    await page.getByLabel("Arm 1 intervention").fill("celecoxib");
    await page.getByLabel("Arm 2 intervention").fill("placebo");
    await page.getByLabel("Primary outcome").fill("Response");
    await page.getByLabel("Kind").selectOption("binary");
    await page.getByRole("button", { name: "Create study" }).click();
    await page.getByRole("heading", { name: "Celecoxib add-on pilot" }).waitFor();

    await page.getByLabel("Subgroup").fill("CRP ≥ 3 mg/L");
    await page.getByLabel("intervention events").fill("9");
    await page.getByLabel("intervention N").fill("12");
    await page.getByLabel("comparator events").fill("5");
    await page.getByLabel("comparator N").fill("4");
    await page.getByRole("button", { name: "Add result" }).click();
    await page.getByText("Events cannot exceed N.").waitFor();

    await page.getByLabel("comparator N").fill("11");
    await page.getByRole("button", { name: "Add result" }).click();
    await page.getByRole("cell", { name: "9/12 vs 5/11" }).waitFor();
    await page.getByRole("cell", { name: "CRP ≥ 3 mg/L" }).waitFor();
  });
});
