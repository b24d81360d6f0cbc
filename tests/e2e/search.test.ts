/** A member finds a study from the header's search field with the keyboard alone, and follows the result to it. */
import { describe, expect, it } from "vitest";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

const PASSWORD = "demo-password-for-tests";

describe("searching a workspace", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });

  it("/ focuses the search field; the results come grouped by kind with the words marked, and a result leads to its page", async () => {
    const page = await (await e2e.browser.newContext()).newPage();
    await signInInBrowser(page, e2e.server.url, "lead@demo.example", PASSWORD);
    await page.getByRole("link", { name: /Immuno-metabolic depression consortium/ }).click();
    await page.getByRole("heading", { name: "Immuno-metabolic depression consortium" }).waitFor();

    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("/");
    const field = page.getByRole("searchbox", { name: "Search this workspace" });
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type("pioglitazone");
    await page.keyboard.press("Enter");

    await page.getByRole("heading", { name: /Search results for “pioglitazone”/ }).waitFor();
    const studies = page.getByRole("region", { name: "Studies" });
    const result = studies.getByRole("link", { name: /Lin 2015: pioglitazone add-on/ });
    await result.waitFor();
    expect(await studies.locator("mark").first().textContent()).toBe("pioglitazone");

    await result.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/studies\/[^/?#]+$/);
    await page
      .getByRole("heading", { name: /Lin 2015: pioglitazone add-on/ })
      .first()
      .waitFor();
  });
});
