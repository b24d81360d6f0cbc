/**
 * Writing a protocol together in real browsers: two members type into the
 * same paragraph at once and end with the same text, each seeing the other's
 * cursor; a comment anchored to a sentence stays on it while text is inserted
 * before it; an observer reads along but cannot type; and "Save version" cuts
 * the next version from the live text.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { TEST_PASSWORD, workspaceWithRoles } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

const TEXT = "# Sampling\n\nDraw blood at 8 am.\n\nSpin the tubes.\n";

/** The editor's text as its reader sees it, without the other people's cursors and name labels drawn into it. */
const editorText = (page: Page) =>
  page.locator(".cm-content").evaluate((content) => {
    const copy = content.cloneNode(true) as HTMLElement;
    for (const cursor of copy.querySelectorAll(".cm-ySelectionCaret, .cm-ySelectionInfo, .cm-widgetBuffer")) cursor.remove();
    return [...copy.querySelectorAll(".cm-line")].map((line) => line.textContent).join("\n");
  });

/** Resolves once both pages show the same text, answering it (and how long it took, for the log). */
async function sameText(a: Page, b: Page): Promise<string> {
  const started = Date.now();
  for (;;) {
    const [ta, tb] = await Promise.all([editorText(a), editorText(b)]);
    if (ta === tb) {
      console.log(`both pages showed the same text ${Date.now() - started} ms after the last keystroke`);
      return ta;
    }
    await a.waitForTimeout(25);
  }
}

/** Puts the caret at the end of the line holding `words`. */
async function caretAfter(page: Page, words: string) {
  await page.locator(".cm-line", { hasText: words }).click();
  await page.keyboard.press("End");
}

describe("writing a protocol together in the browser", () => {
  const e2e = useServerAndBrowser();

  it("two members type into one paragraph at once and see the same text, each other's cursors and an anchored comment that stays put", async () => {
    const base = e2e.server.url;
    const team = await workspaceWithRoles(base);
    const created = await team.lead.api.post(`/api/v1/workspaces/${team.workspaceId}/protocols`, { title: "Sampling SOP", body: TEXT });
    const live = `/workspaces/${team.workspaceId}/protocols/${created.body.id}/edit`;
    const lead = await (await e2e.browser.newContext()).newPage();
    const contributor = await (await e2e.browser.newContext()).newPage();
    await signInInBrowser(lead, base, team.lead.email, TEST_PASSWORD, live);
    await signInInBrowser(contributor, base, team.contributor.email, TEST_PASSWORD, live);
    for (const page of [lead, contributor]) {
      await page.locator(".cm-content").waitFor();
      await page.getByTestId("save-state").getByText("All changes saved").waitFor();
    }

    // Both type at the end of the same sentence at the same time.
    await caretAfter(lead, "Draw blood at 8 am.");
    await caretAfter(contributor, "Draw blood at 8 am.");
    await Promise.all([
      lead.keyboard.type(" Fasting for 8 hours.", { delay: 15 }),
      contributor.keyboard.type(" Use SST tubes.", { delay: 15 }),
    ]);
    await sameText(lead, contributor);
    // No character lost or doubled: the stored draft is the text with both sentences, one after the other.
    const protocolUrl = `/api/v1/workspaces/${team.workspaceId}/protocols/${created.body.id}`;
    for (const page of [lead, contributor]) await page.getByTestId("save-state").getByText("All changes saved").waitFor();
    const merged = (await team.lead.api.get(protocolUrl)).body.draft;
    expect([
      TEXT.replace("8 am.", "8 am. Fasting for 8 hours. Use SST tubes."),
      TEXT.replace("8 am.", "8 am. Use SST tubes. Fasting for 8 hours."),
    ]).toContain(merged);

    // Each sees the other's cursor, named.
    await lead.locator(".cm-ySelectionInfo", { hasText: "Contributing Researcher" }).waitFor({ state: "attached" });
    await contributor.locator(".cm-ySelectionInfo", { hasText: "Lead Researcher" }).waitFor({ state: "attached" });
    await lead.getByRole("list", { name: "In this document" }).getByText("Contributing Researcher").waitFor();

    // The lead comments on the sentence "Spin the tubes."
    await caretAfter(lead, "Spin the tubes.");
    await lead.keyboard.press("Shift+Home");
    await lead.getByRole("button", { name: "Comment on the selected text" }).click();
    await lead.getByLabel("Comment on this spot").fill("At what speed?");
    await lead.getByRole("button", { name: "Comment", exact: true }).click();
    await lead.getByTestId("text-comment").getByText("At what speed?").waitFor();
    await contributor.locator(".cm-commented", { hasText: "Spin the tubes." }).waitFor();

    // The contributor writes a new paragraph before it: the comment stays on its sentence.
    await caretAfter(contributor, "# Sampling");
    await contributor.keyboard.type("\n\nThis paragraph was written after the comment.", { delay: 10 });
    await sameText(lead, contributor);
    await lead.locator(".cm-commented", { hasText: "Spin the tubes." }).waitFor();
    expect(await lead.locator(".cm-commented").allInnerTexts()).toEqual(["Spin the tubes."]);
    expect(await lead.getByTestId("text-comment").getAttribute("data-removed")).toBe("false");

    // "Save version" cuts version 2 from the live text.
    await contributor.getByTestId("save-state").getByText("All changes saved").waitFor();
    await contributor.getByLabel("Note about this version (optional)").fill("Written together");
    await contributor.getByRole("button", { name: "Save version 2" }).click();
    await contributor.waitForURL(/\/versions\/2$/);
    const saved = await team.lead.api.get(`${protocolUrl}/versions/2`);
    expect(saved.body.body).toBe(merged.replace("# Sampling", "# Sampling\n\nThis paragraph was written after the comment."));
    expect(saved.body.note).toBe("Written together");
  });

  it("an observer reads the live text but cannot change it", async () => {
    const base = e2e.server.url;
    const team = await workspaceWithRoles(base);
    const created = await team.lead.api.post(`/api/v1/workspaces/${team.workspaceId}/protocols`, { title: "Read only", body: TEXT });
    const live = `/workspaces/${team.workspaceId}/protocols/${created.body.id}/edit`;
    const observer = await (await e2e.browser.newContext()).newPage();
    await signInInBrowser(observer, base, team.observer.email, TEST_PASSWORD, live);
    await observer.locator(".cm-content").waitFor();
    await observer.getByText("You can read the live draft as it is written").waitFor();
    expect(await observer.locator(".cm-content").getAttribute("contenteditable")).toBe("false");
    await observer.locator(".cm-line", { hasText: "Spin the tubes." }).click();
    await observer.keyboard.type("vandalism");
    expect(await editorText(observer)).not.toContain("vandalism");
    expect(await observer.getByRole("button", { name: /Save version/ }).count()).toBe(0);
    const protocol = await team.lead.api.get(`/api/v1/workspaces/${team.workspaceId}/protocols/${created.body.id}`);
    expect(protocol.body.draft).toBe(TEXT);
  });
});
