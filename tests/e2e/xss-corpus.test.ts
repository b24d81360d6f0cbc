/**
 * Nothing a member writes runs as script in a colleague's browser. Every
 * payload of tests/fixtures/xss-payloads.txt goes, through the API, into every
 * user-written field that pages show; the pages are then opened in Chromium
 * with a trap (`__xss`) and a dialog handler (`alert`). A payload that ran
 * would call one of them. The Content-Security-Policy is the second line, not
 * the first: anything it had to block (a handler, a `javascript:` link) means
 * the page carried script it should not have, so the test fails on any
 * violation. It also reads every rendered page for `on…` attributes and
 * `javascript:`/`vbscript:`/`data:` addresses, and hovers over and clicks every
 * link the payloads made.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { registerUser, type TestUser } from "#tests/support/api.ts";
import {
  clickUntrustedLinks,
  findScriptableMarkup,
  signInInBrowser,
  useServerAndBrowser,
  watchForPageProblems,
} from "#tests/support/browser.ts";
import { studyWithDefaultPanel, uploadDataset } from "#tests/support/datasets.ts";

const root = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const PAYLOADS = fs
  .readFileSync(path.join(root, "tests", "fixtures", "xss-payloads.txt"), "utf8")
  .split("\n")
  .filter((line) => line.length > 0);

/** Packs payloads into texts of at most `max` characters, one payload per line. */
function pack(payloads: string[], max: number): string[] {
  const texts: string[] = [];
  let current = "";
  for (const p of payloads) {
    if (current && current.length + 2 + p.length > max) {
      texts.push(current);
      current = "";
    }
    current = current ? `${current}\n\n${p}` : p;
  }
  if (current) texts.push(current);
  return texts;
}

const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`;

async function must(promise: Promise<{ status: number; body: any }>, what: string) {
  const response = await promise;
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Runs `work` over `items`, a few at a time. */
async function pool<T>(items: T[], size: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

describe("a corpus of script-injection payloads in every field pages show", () => {
  const e2e = useServerAndBrowser();

  it("runs none of them in Chromium", async () => {
    const base = e2e.server.url;
    const lead = await registerUser(base, "Corpus Lead");
    const api = lead.api;
    // Each field's copy of a payload starts with the field's tag ("F03 …"), to tell which field a page shows.
    const fields = new Map<string, string[]>(); // field → the tagged payloads placed in it
    const field = (name: string, max = Infinity): string[] => {
      const tag = `F${String(fields.size + 1).padStart(2, "0")}`;
      const texts = PAYLOADS.map((p) => `${tag} ${p}`).filter((t) => t.length <= max);
      fields.set(name, texts);
      return texts;
    };

    // Workspaces: a name each, descriptions packed.
    const wsNames = field("workspace name", 120);
    const wsDescriptions = pack(field("workspace description"), 2000);
    await pool(wsNames, 4, async (name, i) => {
      await must(api.post("/api/v1/workspaces", { name, description: wsDescriptions[i % wsDescriptions.length] }), "workspace");
    });
    const wsId = (await must(api.post("/api/v1/workspaces", { name: "Plain consortium" }), "workspace")).id;
    const ws = `/api/v1/workspaces/${wsId}`;

    // Protocols: titles, and one protocol whose text holds every payload (edited once, for the history and comparison pages).
    await pool(
      field("protocol title", 300),
      4,
      async (title) => void (await must(api.post(`${ws}/protocols`, { title, body: "Plain text" }), "protocol")),
    );
    const protocolText = field("protocol text");
    const protocol = await must(api.post(`${ws}/protocols`, { title: "All payloads", body: protocolText.join("\n\n") }), "protocol");
    await must(
      api.post(`${ws}/protocols/${protocol.id}/versions`, { body: [...protocolText].reverse().join("\n\n"), baseVersion: 1 }),
      "version",
    );

    // Panels: names and descriptions; biomarker labels and descriptions on one panel of their own,
    // so that dataset columns are not matched to payload-labelled biomarkers.
    const panelDescriptions = pack(field("panel description"), 2000);
    await pool(field("panel name", 120), 4, async (name, i) => {
      await must(api.post(`${ws}/panels`, { name, description: panelDescriptions[i % panelDescriptions.length] }), "panel");
    });
    const { studyId } = await studyWithDefaultPanel(api, wsId, "Study with payload comments");
    const labelPanel = await must(api.post(`${ws}/panels`, { name: "Payload biomarkers" }), "panel");
    const panelId: string = labelPanel.id;
    let version: number = labelPanel.version;
    const labels = field("biomarker label", 120);
    for (const [i, label] of labels.entries()) {
      const added = await api.post(`${ws}/panels/${panelId}/biomarkers`, {
        code: `x${i}`,
        label,
        baseVersion: version,
      });
      if (added.status !== 201) throw new Error(`biomarker: ${added.status} ${JSON.stringify(added.body)}`);
      version = added.body.version ?? version + 1;
    }

    // Studies: titles.
    await pool(field("study title", 300), 4, async (title) => void (await must(api.post(`${ws}/studies`, { title }), "study")));

    // Profiles: names and descriptions.
    const profileDescriptions = pack(field("profile description"), 2000);
    const profileNames = field("profile name", 120);
    await pool(profileNames, 4, async (name, i) => {
      await must(
        api.post(`${ws}/profiles`, {
          name,
          description: profileDescriptions[i % profileDescriptions.length],
          criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 3, unit: "mg/L" }] },
        }),
        "profile",
      );
    });

    // Goals: titles and descriptions.
    const goalDescriptions = pack(field("goal description"), 2000);
    await pool(field("goal title", 300), 4, async (title, i) => {
      await must(api.post(`${ws}/goals`, { title, description: goalDescriptions[i % goalDescriptions.length] }), "goal");
    });

    // Comments on the study: markdown bodies, many payloads each.
    for (const body of pack(field("comment body"), 10_000)) {
      await must(api.post(`${ws}/comments`, { target: { type: "study", id: studyId }, body }), "comment");
    }

    // Datasets: every payload as a column header, and as a cell value.
    const headerNames = field("dataset column header");
    const headerCsv = [
      "participant_id,arm," + headerNames.map(csvField).join(","),
      "p1,infliximab," + headerNames.map(() => "1").join(","),
    ].join("\n");
    const headers = await uploadDataset(api, wsId, studyId, headerCsv, { name: "Payload headers" });
    if (headers.status !== 201) throw new Error(`dataset headers: ${headers.status} ${JSON.stringify(headers.body)}`);
    const cellValues = field("dataset cell");
    const perRow = 15;
    const cellRows: string[] = [`participant_id,arm,${Array.from({ length: perRow }, (_, k) => `note_${k}`).join(",")}`];
    for (let r = 0; r * perRow < cellValues.length; r++) {
      const cells = cellValues.slice(r * perRow, (r + 1) * perRow);
      while (cells.length < perRow) cells.push("");
      cellRows.push(`p${r},placebo,${cells.map(csvField).join(",")}`);
    }
    const cellsUpload = await uploadDataset(api, wsId, studyId, cellRows.join("\n"), { name: "Payload cells" });
    if (cellsUpload.status !== 201) throw new Error(`dataset cells: ${cellsUpload.status} ${JSON.stringify(cellsUpload.body)}`);

    // Members: display names, a batch of colleagues renamed round by round.
    const colleagues: TestUser[] = [];
    await pool(Array.from({ length: 20 }), 2, async () => {
      const user = await registerUser(base, "Colleague");
      const invitation = await must(api.post(`${ws}/invitations`, { role: "contributor" }), "invitation");
      await must(user.api.post(`/api/v1/invitations/${invitation.token}/accept`), "accept");
      colleagues.push(user);
    });
    const names = field("user display name", 100);
    const nameRounds: string[][] = [];
    for (let i = 0; i < names.length; i += colleagues.length) nameRounds.push(names.slice(i, i + colleagues.length));

    // ---- The browser.
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 4000 } });
    const problems = await watchForPageProblems(context);
    // A link to elsewhere that gets clicked goes nowhere (and the run needs no network).
    await context.route(
      (url) => !url.href.startsWith(base),
      (route) => route.abort(),
    );
    const executed: string[] = [];
    await context.exposeBinding("__xss", (source) => void executed.push(`__xss() on ${source.page.url()}`));
    context.on("page", (page) =>
      page.on("dialog", (dialog) => {
        executed.push(`${dialog.type()}(${dialog.message()}) on ${page.url()}`);
        void dialog.dismiss();
      }),
    );
    const page = await context.newPage();
    await signInInBrowser(page, base, lead.email, lead.password);
    // The trap and the dialog watch do catch a script that runs (then start counting from zero).
    await page.evaluate(() => (window as unknown as { __xss: () => void }).__xss());
    await page.evaluate(() => alert(1));
    expect(executed).toHaveLength(2);
    executed.length = 0;

    let rendered = 0;
    let clicked = 0;
    const scriptable: string[] = []; // handlers and script addresses found in rendered pages
    const pageTexts: string[] = []; // what a reader sees on each page rendered
    const wsPage = `/workspaces/${wsId}`;
    const visit = async (target: Page, url: string) => {
      const response = await target.goto(base + url, { waitUntil: "networkidle" });
      expect(response?.status(), url).toBe(200);
      scriptable.push(...(await findScriptableMarkup(target)).map((finding) => `${url}: ${finding}`));
      // Focus and hover handlers: pass the pointer over the page and tab through it.
      await target.mouse.move(10, 10);
      await target.mouse.move(700, 3000, { steps: 20 });
      for (let k = 0; k < 5; k++) await target.keyboard.press("Tab");
      pageTexts.push(await target.evaluate(() => document.body.innerText));
      clicked += await clickUntrustedLinks(target, base + url);
      rendered++;
    };

    const onePerDescription = async (area: string, descriptions: string[]) => {
      const items = (await must(api.get(`${ws}/${area}?limit=1000`), area)).items as { id: string; description: string }[];
      return descriptions.map((d) => items.find((item) => item.description === d)?.id ?? `missing-${area}-description`);
    };
    const datasets = (await must(api.get(`${ws}/studies/${studyId}`), "study")).datasets as { id: string }[];
    const pages = [
      "/workspaces",
      wsPage,
      `${wsPage}/dashboard`,
      `${wsPage}/activity`,
      `${wsPage}/protocols`,
      `${wsPage}/protocols/${protocol.id}`,
      `${wsPage}/protocols/${protocol.id}/history`,
      `${wsPage}/protocols/${protocol.id}/versions/1`,
      `${wsPage}/protocols/${protocol.id}/compare?from=1&to=2`,
      `${wsPage}/panels`,
      `${wsPage}/panels/${panelId}`,
      `${wsPage}/studies`,
      `${wsPage}/studies/${studyId}`,
      `${wsPage}/profiles`,
      `${wsPage}/goals`,
      `${wsPage}/comparison`,
      ...datasets.map((d) => `${wsPage}/datasets/${d.id}`),
      // Descriptions show on an object's own page: one page per packed description.
      ...(await onePerDescription("profiles", profileDescriptions)).map((id) => `${wsPage}/profiles/${id}`),
      ...(await onePerDescription("goals", goalDescriptions)).map((id) => `${wsPage}/goals/${id}`),
    ];
    for (const url of pages) await visit(page, url);
    for (const round of nameRounds) {
      await Promise.all(round.map((name, k) => must(colleagues[k].api.patch("/api/v1/me", { name }), "rename")));
      await visit(page, `${wsPage}/members`);
    }
    await context.close();

    const placements = [...fields.values()].reduce((n, texts) => n + texts.length, 0);
    // How many of each field's payloads a reader saw verbatim, as text (markdown fields render some as formatting).
    const seen = [...fields].map(([name, texts]) => ({
      name,
      placed: texts.length,
      seen: texts.filter((t) => pageTexts.some((page) => page.includes(t))).length,
    }));
    console.log(
      `figure xss: ${PAYLOADS.length} payloads × ${fields.size} fields (${placements} placements), ${rendered} pages rendered, ` +
        `${clicked} links and handlers the payloads made hovered and clicked; ${executed.length} executed, ` +
        `${problems.violations.length} blocked by the CSP, ${scriptable.length} handlers or script addresses in the pages, ${problems.errors.length} console errors`,
    );
    console.log(seen.map((f) => `  ${f.name}: ${f.seen} of ${f.placed} shown verbatim`).join("\n"));
    expect(
      seen.filter((f) => f.seen === 0).map((f) => f.name),
      "fields no rendered page showed",
    ).toEqual([]);
    expect(executed).toEqual([]);
    // The policy had nothing to block: no page carried script it should not have.
    expect(problems.violations).toEqual([]);
    expect(scriptable).toEqual([]);
    expect(problems.errors).toEqual([]);
  }, 300_000);
});
