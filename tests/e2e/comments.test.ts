/** Two members discuss a study live: comments, replies with @mentions and resolution appear without reload. */
import { describe, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

const PASSWORD = "demo-password-for-tests";

async function signIn(browser: Browser, baseUrl: string, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInInBrowser(page, baseUrl, email, PASSWORD);
  return page;
}

describe("discussing a study live", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });

  it("a comment, a reply mentioning its author, and the resolution reach the other member without reload", async () => {
    const lead = await signIn(e2e.browser, e2e.server.url, "lead@demo.example");
    const immunologist = await signIn(e2e.browser, e2e.server.url, "immunology@demo.example");
    for (const page of [lead, immunologist]) {
      await page.getByRole("link", { name: /Immuno-metabolic depression consortium/ }).click();
      await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Studies & datasets" }).click();
      await page.getByRole("link", { name: /Lin 2015/ }).click();
      await page.getByRole("region", { name: "Discussion" }).getByText("0 open").waitFor();
    }

    await lead.getByLabel("New comment").fill("Was the **CRP > 5** split pre-specified?");
    await lead.getByRole("button", { name: "Comment", exact: true }).click();

    const thread = immunologist.getByTestId("comment-thread").filter({ hasText: "Was the CRP > 5 split pre-specified?" });
    await thread.waitFor();
    await immunologist.getByRole("region", { name: "Discussion" }).getByText("1 open").waitFor();

    await thread.getByRole("button", { name: "Reply" }).click();
    const reply = thread.getByLabel("Reply");
    await reply.pressSequentially("Yes, @Mar");
    await immunologist.getByRole("option", { name: "Dr. Maria Jansen" }).click();
    await reply.pressSequentially("see the statistical analysis plan.");
    await thread.getByRole("button", { name: "Reply", exact: true }).last().click();

    const leadThread = lead.getByTestId("comment-thread").filter({ hasText: "Was the CRP > 5 split pre-specified?" });
    await leadThread.getByText("@Dr. Maria Jansen").waitFor();
    // The mention lands in the lead's inbox: the unread count goes up without a reload.
    await lead
      .getByTestId("unread-count")
      .filter({ hasText: /^[1-9]\d*$/ })
      .waitFor();
    await leadThread.getByText("see the statistical analysis plan.").waitFor();

    await leadThread.getByRole("button", { name: "Resolve" }).click();
    await immunologist.getByRole("region", { name: "Discussion" }).getByText("0 open").waitFor();
    await immunologist.getByRole("button", { name: "Show 1 resolved thread" }).waitFor();
  });
});
