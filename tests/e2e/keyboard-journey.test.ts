/**
 * A researcher who uses no mouse: with Tab, Shift+Tab, Enter, Space, Escape
 * and the arrow keys (and typing into fields) they sign in, open a study,
 * comment with an @mention, open and close a reply box, upload a dataset,
 * open the comparison, exclude a study from a forest plot and tick a
 * milestone. Every element that takes focus on the way shows a focus ring,
 * and no live update takes focus away.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";
import { must } from "#tests/support/demo-workspace.ts";

const PASSWORD = "demo-password-for-tests";
const MAX_TABS = 150;

/** The focused element, and whether it shows a ring (an outline, or a box-shadow with a spread as Tailwind's ring draws). */
async function focused(page: Page): Promise<{ name: string; ring: boolean } | null> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) > 0 && !style.outlineColor.endsWith(", 0)");
    const ring = /\) 0px 0px 0px [1-9]/.test(style.boxShadow);
    const name = element.getAttribute("aria-label") ?? element.textContent?.trim().slice(0, 40) ?? "";
    return { name: `${element.tagName.toLowerCase()} “${name}”`, ring: outline || ring };
  });
}

/** Presses `key` (Tab or Shift+Tab) until `target` has focus, noting every stop that shows no focus ring. */
async function tabTo(page: Page, target: Locator, what: string, ringless: string[], key: "Tab" | "Shift+Tab" = "Tab") {
  await target.waitFor({ state: "attached" });
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press(key);
    const stop = await focused(page);
    if (stop && !stop.ring) ringless.push(`${stop.name} (on the way to ${what})`);
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`${key} never reached ${what}`);
}

const hasFocus = (target: Locator) => target.evaluate((element) => element === document.activeElement);

describe("a keyboard-only journey", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });
  let csvFile: string;
  let goalTitle: string;
  let milestoneTitle: string;
  let studyPath: string;
  let colleague: ApiClient;
  let commentsPath: string;

  beforeAll(async () => {
    const anonymous = new ApiClient(e2e.server.url);
    const lead = anonymous.withToken(
      (await must(anonymous.post("/api/v1/auth/token", { email: "lead@demo.example", password: PASSWORD }), "token")).token,
    );
    const ws = `/api/v1/workspaces/${(await must(lead.get("/api/v1/workspaces"), "workspaces")).items[0].id}`;
    const studies = (await must(lead.get(`${ws}/studies`), "studies")).items as { id: string; title: string }[];
    const lin = await must(lead.get(`${ws}/studies/${studies.find((s) => s.title.startsWith("Lin 2015"))!.id}`), "study");
    studyPath = `${ws.replace("/api/v1", "")}/studies/${lin.id}`;
    commentsPath = `${ws}/comments`;
    colleague = anonymous.withToken(
      (await must(anonymous.post("/api/v1/auth/token", { email: "immunology@demo.example", password: PASSWORD }), "token")).token,
    );
    const arms = (lin.arms as { name: string }[]).map((a) => a.name);
    const rows = [
      "participant_id,arm,hs_crp",
      ...Array.from({ length: 40 }, (_, i) => `K${i + 1},${arms[i % arms.length]},${(1 + (i % 7) / 2).toFixed(1)}`),
    ];
    csvFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "consilience-keyboard-")), "keyboard-upload.csv");
    fs.writeFileSync(csvFile, rows.join("\n"));
    // A goal with a milestone to tick.
    goalTitle = "Keyboard readiness";
    milestoneTitle = "Screen reader review";
    await must(lead.post(`${ws}/goals`, { title: goalTitle, milestones: [{ title: milestoneTitle, metric: "checkbox" }] }), "goal");
  });

  it("signs in, comments, uploads, excludes a study and ticks a milestone with the keyboard alone, always seeing where focus is", async () => {
    const page = await (await e2e.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(15_000);
    const ringless: string[] = [];
    const go = async (target: Locator, what: string, key: "Tab" | "Shift+Tab" = "Tab") => tabTo(page, target, what, ringless, key);

    // Sign in.
    await page.goto(`${e2e.server.url}/login`);
    await go(page.getByLabel("Email"), "the email field");
    await page.keyboard.type("lead@demo.example");
    await go(page.getByLabel("Password"), "the password field");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${e2e.server.url}/workspaces`);

    // Open a study.
    await go(page.getByRole("link", { name: /Immuno-metabolic depression consortium/ }), "the workspace");
    await page.keyboard.press("Enter");
    const workspaceNav = page.getByRole("navigation", { name: "Workspace" });
    await go(workspaceNav.getByRole("link", { name: "Studies & datasets" }), "the studies section");
    await page.keyboard.press("Enter");
    await go(page.getByRole("link", { name: /Lin 2015/ }), "the study");
    await page.keyboard.press("Enter");
    await page.getByRole("region", { name: "Discussion" }).waitFor();

    // Comment with an @mention picked from the suggestions with the arrow keys.
    await go(page.getByLabel("New comment"), "the comment box");
    await page.keyboard.type("Keyboard check for @Dr.");
    const suggestions = page.getByRole("listbox", { name: "Mention a member" });
    await suggestions.waitFor();
    const wanted = (await suggestions.getByRole("option").allTextContents()).indexOf("Dr. Tomás Okafor");
    expect(wanted).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < wanted; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.keyboard.type("please confirm the CRP cut-off.");
    await go(page.getByRole("button", { name: "Comment", exact: true }), "the Comment button");
    await page.keyboard.press("Enter");
    const thread = page.getByTestId("comment-thread").filter({ hasText: "Keyboard check for" });
    await thread.getByText("@Dr. Tomás Okafor").waitFor();

    // A reply box opens with focus in it; Escape closes it and focus returns to its button.
    const replyButton = thread.getByRole("button", { name: "Reply", exact: true });
    await go(replyButton, "the thread's Reply button", "Shift+Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => hasFocus(thread.getByLabel("Reply"))).toBe(true);
    await page.keyboard.press("Escape");
    await expect.poll(() => hasFocus(replyButton)).toBe(true);

    // Upload a dataset: the file chooser opens from the keyboard.
    await go(page.getByRole("link", { name: "Upload a dataset" }), "the upload link", "Shift+Tab");
    await page.keyboard.press("Enter");
    await go(page.getByLabel("File (CSV or XLSX)"), "the file field");
    const chooser = page.waitForEvent("filechooser");
    await page.keyboard.press("Space");
    await (await chooser).setFiles(csvFile);
    await go(page.getByRole("button", { name: "Check columns" }), "Check columns");
    await page.keyboard.press("Enter");
    await go(page.getByRole("button", { name: "Import dataset" }), "Import dataset");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/datasets\/[a-z0-9]+$/);
    await page.getByRole("heading", { name: "keyboard-upload" }).waitFor();

    // The comparison: open a cell's forest plot and exclude a study.
    await go(workspaceNav.getByRole("link", { name: "Comparison" }), "the comparison section", "Shift+Tab");
    await page.keyboard.press("Enter");
    const matrix = page.getByTestId("comparison-matrix");
    const cell = matrix
      .getByRole("row", { name: /Anti-inflammatory \(all\)/ })
      .getByTestId("matrix-cell")
      .nth(1);
    await go(cell, "the anti-inflammatory × High CRP cell");
    await page.keyboard.press("Enter");
    const panel = page.getByTestId("forest-panel");
    const nettis = panel.getByRole("checkbox", { name: /Nettis 2021/ });
    await go(nettis, "the Nettis 2021 checkbox");
    await page.keyboard.press("Space");
    await page.getByText(/Sensitivity analysis: 1 study is excluded/).waitFor();
    expect(await nettis.isChecked()).toBe(false);
    expect(await hasFocus(nettis), "the recomputed plot leaves focus on the checkbox").toBe(true);

    // Tick a milestone.
    await go(workspaceNav.getByRole("link", { name: "Goals" }), "the goals section", "Shift+Tab");
    await page.keyboard.press("Enter");
    await go(page.getByRole("link", { name: goalTitle }), `the goal “${goalTitle}”`);
    await page.keyboard.press("Enter");
    await go(page.getByRole("button", { name: `Tick ${milestoneTitle}` }), "the milestone's button");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: `Untick ${milestoneTitle}` }).waitFor();

    expect(ringless, "focused elements without a visible focus ring").toEqual([]);
  });

  it("a colleague's comment is said in the workspace's one polite live region, and the half-written comment keeps focus", async () => {
    const page = await (await e2e.browser.newContext()).newPage();
    await signInInBrowser(page, e2e.server.url, "lead@demo.example", PASSWORD);
    await page.goto(`${e2e.server.url}${studyPath}`);
    const box = page.getByLabel("New comment");
    await box.focus();
    await page.keyboard.type("A half-written thought");
    const studyId = studyPath.split("/").pop()!;
    await must(colleague.post(commentsPath, { target: { type: "study", id: studyId }, body: "Posted while you type" }), "comment");

    const region = page.locator('[aria-live="polite"][data-testid="live-announcements"]');
    await expect.poll(() => region.textContent()).toBe("Dr. Tomás Okafor commented on a study");
    await page.getByText("Posted while you type").waitFor();
    expect(await page.locator("[aria-live]").filter({ hasText: "commented on a study" }).count()).toBe(1);
    expect(await hasFocus(box)).toBe(true);
    expect(await box.inputValue()).toBe("A half-written thought");
  });
});
