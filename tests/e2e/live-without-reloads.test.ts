/**
 * What one member does reaches the others from the event itself: their pages draw it without asking the server
 * again (no loader or API request), and the author sees their own comment before the server has answered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

const PASSWORD = "demo-password-for-tests";
const WORKSPACE = /Immuno-metabolic depression consortium/;

async function signIn(browser: Browser, baseUrl: string, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInInBrowser(page, baseUrl, email, PASSWORD);
  return page;
}

/** Every request a page makes for data (a route loader's `_data` or the JSON API), from now on. */
function countDataRequests(page: Page) {
  const seen: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.searchParams.has("_data") || url.pathname.startsWith("/api/")) seen.push(`${request.method()} ${url.pathname}${url.search}`);
  });
  return {
    /** The requests made while `work` runs and in the second after it (when a reload would have started). */
    async during(work: () => Promise<void>): Promise<string[]> {
      const from = seen.length;
      await work();
      await page.waitForTimeout(1000);
      return seen.slice(from);
    },
  };
}

/**
 * A page's discussion may load its own comments once the page is drawn: a request of the page's own, made
 * before any change, so requests are counted only once it shows its count of open threads.
 */
async function discussionLoaded(page: Page) {
  await page
    .getByRole("region", { name: "Discussion" })
    .getByText(/\d+ open/)
    .first()
    .waitFor();
}

async function openWorkspaceSection(page: Page, baseUrl: string, section: string) {
  await page.goto(`${baseUrl}/workspaces`);
  await page.getByRole("link", { name: WORKSPACE }).first().click();
  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: section }).click();
}

describe("live changes without reloads", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });
  let lead: Page;
  let immunologist: Page;

  beforeAll(async () => {
    lead = await signIn(e2e.browser, e2e.server.url, "lead@demo.example");
    immunologist = await signIn(e2e.browser, e2e.server.url, "immunology@demo.example");
  });
  afterAll(async () => {
    await lead?.context().close();
    await immunologist?.context().close();
  });

  it("a comment, a reply and a resolution reach the other member's study page with no request", async () => {
    for (const page of [lead, immunologist]) {
      await openWorkspaceSection(page, e2e.server.url, "Studies & datasets");
      await page.getByRole("link", { name: /Raison 2013/ }).click();
      await discussionLoaded(page);
    }
    const openThreads = await immunologist.getByTestId("open-thread-count").innerText();
    const watched = countDataRequests(immunologist);
    const thread = immunologist.getByTestId("comment-thread").filter({ hasText: "Is the CRP > 5 mg/L cut-off pre-registered?" });

    const afterComment = await watched.during(async () => {
      await lead.getByLabel("New comment").fill("Is the CRP > 5 mg/L cut-off pre-registered?");
      await lead.getByRole("button", { name: "Comment", exact: true }).click();
      await thread.waitFor();
    });
    expect(afterComment, "requests after a comment").toEqual([]);

    const leadThread = lead.getByTestId("comment-thread").filter({ hasText: "Is the CRP > 5 mg/L cut-off pre-registered?" });
    const afterReply = await watched.during(async () => {
      await leadThread.getByRole("button", { name: "Reply" }).click();
      await leadThread.getByLabel("Reply").fill("It is in the statistical analysis plan, section 4.");
      await leadThread.getByRole("button", { name: "Reply", exact: true }).last().click();
      await thread.getByText("It is in the statistical analysis plan, section 4.").waitFor();
    });
    expect(afterReply, "requests after a reply").toEqual([]);

    const afterResolve = await watched.during(async () => {
      await leadThread.getByRole("button", { name: "Resolve" }).click();
      await immunologist.getByTestId("open-thread-count").getByText(openThreads, { exact: true }).waitFor();
    });
    expect(afterResolve, "requests after a resolution").toEqual([]);
  });

  it("a ticked milestone moves the other member's goal page with no request", async () => {
    for (const page of [lead, immunologist]) {
      await openWorkspaceSection(page, e2e.server.url, "Goals");
      await page
        .getByRole("link", { name: /Harmonise all baseline biomarker data/ })
        .first()
        .click();
      await discussionLoaded(page);
    }
    const bar = immunologist.getByRole("progressbar", { name: "Progress of Default biomarker panel agreed by all sites" });
    await expect.poll(() => bar.getAttribute("aria-valuenow")).toBe("100");
    const watched = countDataRequests(immunologist);
    const afterUntick = await watched.during(async () => {
      await lead.getByRole("button", { name: "Untick Default biomarker panel agreed by all sites" }).click();
      await expect.poll(() => bar.getAttribute("aria-valuenow")).toBe("0");
    });
    expect(afterUntick, "requests after a milestone was unticked").toEqual([]);
  });

  it("a role change reaches the other member's members page with no request", async () => {
    for (const page of [lead, immunologist]) await openWorkspaceSection(page, e2e.server.url, "Members");
    const observerRow = immunologist.getByTestId("member-observer@demo.example");
    await observerRow.getByText("observer", { exact: true }).waitFor();
    const watched = countDataRequests(immunologist);
    const afterRoleChange = await watched.during(async () => {
      const row = lead.getByTestId("member-observer@demo.example");
      await row.getByRole("combobox").selectOption("contributor");
      await row.getByRole("button", { name: /Save role of/ }).click();
      await observerRow.getByText("contributor", { exact: true }).waitFor();
    });
    expect(afterRoleChange, "requests after a role change").toEqual([]);
  });

  it("the author sees a new comment at once, marked as sending, and gets it back with the reason when the server refuses it", async () => {
    await openWorkspaceSection(lead, e2e.server.url, "Studies & datasets");
    await lead.getByRole("link", { name: /Lin 2015/ }).click();
    const discussion = lead.getByRole("region", { name: "Discussion" });
    await discussion.getByText(/\d+ open/).waitFor();

    // Hold the answer until the page has been looked at: whatever shows meanwhile was drawn before the server answered.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await lead.route("**/api/v1/workspaces/*/comments", async (route) => {
      if (route.request().method() === "POST") await held;
      await route.continue();
    });
    await lead.getByLabel("New comment").fill("Insulin resistance was measured by HOMA-IR at baseline.");
    await lead.getByRole("button", { name: "Comment", exact: true }).click();
    const sending = discussion.getByTestId("comment").filter({ hasText: "Insulin resistance was measured by HOMA-IR at baseline." });
    await sending.and(lead.locator("[data-sending=true]")).waitFor();
    await discussion.getByText("Sending…").waitFor();
    expect(await lead.getByLabel("New comment").inputValue()).toBe("");
    release();
    await sending.and(lead.locator(":not([data-sending])")).waitFor();
    await lead.unroute("**/api/v1/workspaces/*/comments");

    // Longer than a comment may be: the server refuses it.
    const tooLong = `A very long note. ${"x".repeat(10_001)}`;
    await lead.getByLabel("New comment").fill(tooLong);
    await lead.getByRole("button", { name: "Comment", exact: true }).click();
    await discussion.getByText("A comment has at most 10,000 characters.").waitFor();
    expect(await discussion.locator("[data-sending=true]").count()).toBe(0);
    expect(await discussion.getByTestId("comment").filter({ hasText: "A very long note." }).count()).toBe(0);
    expect(await lead.getByLabel("New comment").inputValue()).toBe(tooLong);
  });

  it("the author's comment shows once when its live event comes before the server's answer", async () => {
    await openWorkspaceSection(lead, e2e.server.url, "Studies & datasets");
    await lead.getByRole("link", { name: /Raison 2013/ }).click();
    const discussion = lead.getByRole("region", { name: "Discussion" });
    // The server saves the comment (and sends its event) at once; only its answer to this page is held.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await lead.route("**/api/v1/workspaces/*/comments", async (route) => {
      if (route.request().method() !== "POST") return await route.continue();
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    const text = "Were the CRP samples frozen at −80 °C before assay?";
    await lead.getByLabel("New comment").fill(text);
    await lead.getByRole("button", { name: "Comment", exact: true }).click();
    const shown = discussion.getByTestId("comment").filter({ hasText: text });
    // The saved copy from the event has replaced the sending one before the answer arrives.
    await shown.and(lead.locator(":not([data-sending])")).waitFor();
    expect(await shown.count()).toBe(1);
    release();
    await lead.waitForTimeout(500);
    expect(await shown.count()).toBe(1);
    await lead.unroute("**/api/v1/workspaces/*/comments");
  });

  it("a saved protocol version reaches the other member's protocol header with no request, and its body with one", async () => {
    for (const page of [lead, immunologist]) {
      await openWorkspaceSection(page, e2e.server.url, "Protocols");
      await page.getByRole("link", { name: "Blood sampling and hs-CRP assay SOP" }).click();
      await page.getByRole("navigation", { name: "Protocol" }).waitFor();
      await discussionLoaded(page);
    }
    const header = immunologist.locator("header").filter({ hasText: "Blood sampling and hs-CRP assay SOP" });
    const version = Number((await header.getByText(/^Version \d+/).innerText()).match(/\d+/)![0]);
    const [, workspaceId, protocolId] = new URL(lead.url()).pathname.match(/\/workspaces\/([^/]+)\/protocols\/([^/]+)/)!;
    const watched = countDataRequests(immunologist);
    const afterSave = await watched.during(async () => {
      const status = await lead.evaluate(
        async ({ workspaceId, protocolId, version }) => {
          const api = `/api/v1/workspaces/${workspaceId}/protocols/${protocolId}`;
          const current = await (await fetch(`${api}/versions/${version}`)).json();
          const response = await fetch(`${api}/versions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ baseVersion: version, body: `${current.body}\n\nCentrifuge within 30 minutes.\n`, note: "Timing" }),
          });
          return response.status;
        },
        { workspaceId, protocolId, version },
      );
      expect(status).toBe(201);
      await header.getByText(`Version ${version + 1}`).waitFor();
      await immunologist.getByText("Centrifuge within 30 minutes.").waitFor();
    });
    expect(afterSave, "requests after a protocol version was saved").toEqual([
      expect.stringMatching(
        /^GET \/workspaces\/[^/]+\/protocols\/[^/?]+\?_data=routes%2Fworkspaces\.%24workspaceId\.protocols\.%24protocolId\._index$/,
      ),
    ]);
  });

  it("a study edit, a dataset imported and a result added or edited reach the other member's study page with no request", async () => {
    for (const page of [lead, immunologist]) {
      await openWorkspaceSection(page, e2e.server.url, "Studies & datasets");
      await page.getByRole("link", { name: /Raison 2013/ }).click();
      await page.getByRole("region", { name: "Results" }).first().waitFor();
      await discussionLoaded(page);
    }
    const [, workspaceId, studyId] = new URL(lead.url()).pathname.match(/\/workspaces\/([^/]+)\/studies\/([^/]+)/)!;
    const results = immunologist.getByRole("region", { name: "Results" }).first();
    const watched = countDataRequests(immunologist);
    const afterChanges = await watched.during(async () => {
      const statuses = await lead.evaluate(
        async ({ workspaceId, studyId }) => {
          const api = `/api/v1/workspaces/${workspaceId}`;
          const send = (method: string, path: string, body: unknown) =>
            fetch(`${api}${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
          const study = await (await fetch(`${api}/studies/${studyId}`)).json();
          const edited = await send("PATCH", `/studies/${studyId}`, {
            baseVersion: study.version,
            population: "Outpatients with treatment-resistant depression, recruited at two sites",
          });
          const csv = [
            "participant_id,arm,hs_crp",
            ...Array.from({ length: 12 }, (_, i) => `L${i + 1},${study.arms[i % study.arms.length].name},${(1 + i / 4).toFixed(2)}`),
          ].join("\n");
          const form = new FormData();
          form.append("file", new Blob([csv], { type: "text/csv" }), "late-site.csv");
          form.append("name", "Late site baseline");
          const imported = await fetch(`${api}/studies/${studyId}/datasets`, { method: "POST", body: form });
          const [first] = (await (await fetch(`${api}/results?studyId=${studyId}`)).json()).items;
          const resultEdited = await send("PATCH", `/results/${first.id}`, {
            baseVersion: first.version,
            notes: "SDs re-checked against the supplement",
          });
          const resultAdded = await send("POST", "/results", {
            studyId,
            outcomeId: first.outcome.id,
            interventionArmId: first.intervention.id,
            comparatorArmId: first.comparator.id,
            subgroup: "CRP ≥ 5 mg/L, sites pooled again",
            data: first.data,
            source: "Re-analysis",
          });
          return [edited.status, imported.status, resultEdited.status, resultAdded.status];
        },
        { workspaceId, studyId },
      );
      expect(statuses).toEqual([200, 201, 200, 201]);
      await immunologist.getByText("Outpatients with treatment-resistant depression, recruited at two sites").first().waitFor();
      await immunologist.getByRole("link", { name: /Late site baseline/ }).waitFor();
      await results.getByText("SDs re-checked against the supplement").waitFor();
      await results.getByText("CRP ≥ 5 mg/L, sites pooled again").waitFor();
    });
    expect(afterChanges, "requests after the study was edited, a dataset imported and results edited and added").toEqual([]);
    // The colleague's edit form now starts from the new version, so their own edit is not refused as stale.
    expect(await immunologist.getByLabel("Population").inputValue()).toBe(
      "Outpatients with treatment-resistant depression, recruited at two sites",
    );
  });
});
