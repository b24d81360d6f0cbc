/** A contributor records a trial and its subgroup result in the browser; a mistake is explained next to the field. */
import { describe, it } from "vitest";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

describe("recording a study and its results", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: "demo-password-for-tests" });

  it("creates a study with two arms, refuses impossible counts, then shows the result", async () => {
    const page = await e2e.browser.newPage();
    await signInInBrowser(page, e2e.server.url, "immunology@demo.example", "demo-password-for-tests");
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
