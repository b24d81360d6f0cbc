/**
 * The Content-Security-Policy in a real browser: every page of a member's
 * round works (hydrated, live, navigable without reloads) and the browser
 * reports no violation and no console error along the way.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { signInInBrowser, useServerAndBrowser, watchForPageProblems, type PageProblems } from "#tests/support/browser.ts";

const PASSWORD = "demo-password-for-tests";

describe("pages under the Content-Security-Policy", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });

  async function signedIn(email: string): Promise<{ page: Page; problems: PageProblems }> {
    const context = await e2e.browser.newContext();
    const problems = await watchForPageProblems(context);
    const page = await context.newPage();
    await signInInBrowser(page, e2e.server.url, email, PASSWORD);
    return { page, problems };
  }

  it("a member's round through every section runs without a violation or a console error", async () => {
    const lead = await signedIn("lead@demo.example");
    const colleague = await signedIn("immunology@demo.example");
    for (const { page } of [lead, colleague]) {
      await page.getByRole("link", { name: /Immuno-metabolic depression consortium/ }).click();
      await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Studies & datasets" }).click();
      await page.getByRole("link", { name: /Raison 2013/ }).click();
      await page.getByRole("region", { name: "Discussion" }).getByLabel("New comment").waitFor();
    }

    // A comment travels over the live channel (a WebSocket the policy must allow) to the other member.
    await lead.page.getByRole("region", { name: "Discussion" }).getByLabel("New comment").fill("Policy check: **bold** and `code`.");
    await lead.page.getByRole("button", { name: "Comment", exact: true }).click();
    await colleague.page.getByTestId("comment-thread").filter({ hasText: "Policy check: bold and code." }).waitFor();

    const visited = new Set<string>();
    lead.page.on("framenavigated", (frame) => {
      if (frame === lead.page.mainFrame()) visited.add(new URL(frame.url()).pathname);
    });
    // A dataset's grid (virtualised rows, positioned by style attributes), if the study has one.
    const dataset = lead.page.locator('main a[href*="/datasets/"]:not([href$="/new"])').first();
    if (await dataset.count()) {
      await dataset.click();
      await lead.page.waitForURL(/\/datasets\//);
      await lead.page.getByRole("grid").or(lead.page.getByRole("table")).first().waitFor();
    }

    // Client-side navigation through every section, and into the first item of each list,
    // loads each route's script file.
    const nav = lead.page.getByRole("navigation", { name: "Workspace" });
    const sections = await nav.getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
    expect(sections.length).toBeGreaterThanOrEqual(8);
    for (const href of sections) {
      await nav.locator(`a[href="${href}"]`).click();
      await lead.page.waitForURL(e2e.server.url + href);
      const item = lead.page.locator(`a[href^="${href}/"]:not([download]):not([href$="/new"])`).first();
      if (/\/(protocols|panels|goals|studies)$/.test(href) && (await item.count())) {
        const itemHref = (await item.getAttribute("href"))!;
        await item.click();
        await lead.page.waitForURL(e2e.server.url + itemHref);
        await lead.page
          .getByRole("heading", { level: 1 })
          .or(lead.page.getByRole("heading", { level: 2 }))
          .first()
          .waitFor();
      }
    }
    await lead.page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Dr. Maria Jansen" }).click();
    await lead.page.waitForURL(`${e2e.server.url}/settings`);
    await lead.page.goto(`${e2e.server.url}/settings/tokens`);
    await lead.page.goto(`${e2e.server.url}/no/such/page`);
    await lead.page.getByRole("heading", { name: /404/ }).waitFor();
    // Signing out posts a form to our own origin (form-action 'self').
    await lead.page.goto(`${e2e.server.url}/workspaces`);
    await lead.page.getByRole("button", { name: "Sign out" }).click();
    await lead.page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" }).waitFor();

    console.log(
      `figure csp: ${visited.size} distinct pages in one round (${[...visited].map((p) => p.replace(/[a-z0-9]{16}/g, ":id")).join(", ")}), ` +
        `${lead.problems.violations.length + colleague.problems.violations.length} violations`,
    );
    expect(lead.problems.violations).toEqual([]);
    expect(colleague.problems.violations).toEqual([]);
    // The 404 page itself logs its status as a failed resource load; nothing else may appear.
    const unexpected = [...lead.problems.errors, ...colleague.problems.errors].filter(
      (e) => !/\/no\/such\/page: Failed to load resource: the server responded with a status of 404/.test(e),
    );
    expect(unexpected).toEqual([]);
  });

  it("reports what it blocks: an injected inline script does not run and is seen as a violation", async () => {
    const { page, problems } = await signedIn("observer@demo.example");
    const ran = await page.evaluate(async () => {
      const script = document.createElement("script");
      script.textContent = "window.__injected = true;";
      document.body.appendChild(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => problems.violations.map((v) => v.directive)).toContain("script-src-elem");
  });
});
