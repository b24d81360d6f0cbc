/**
 * Every page of the app, with the demo consortium's real ids, signed in as
 * its lead (the sign-in pages signed out): axe-core finds no serious or
 * critical WCAG 2.2 AA violation, also with the page's disclosures, composers
 * and panels open; and no page scrolls sideways at phone, tablet and desktop
 * widths. A route the sweep cannot reach fails by name.
 */
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { redcapFixture } from "#tests/fixtures/make-redcap.ts";
import { ApiClient } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";
import { demoObjectIds, must } from "#tests/support/demo-workspace.ts";
import { unsubscribeToken } from "#app/services/email-links.server.ts";
import { fillPath, isPageRoute, projectRoot, routeFiles, routePath } from "#tests/support/routes.ts";

const PASSWORD = "demo-password-for-tests";
/** Known to the test, so it can sign the unsubscribe link an email would carry. */
const APP_SECRET = "accessibility-sweep-secret-0123456789abcdef";
const AXE_SCRIPT = path.join(projectRoot, "node_modules", "axe-core", "axe.min.js");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"];
const WIDTHS = [375, 768, 1280];

/** Pages only a signed-out visitor sees (signed in, they redirect to the workspaces), or that an email opens without a session. */
const SIGNED_OUT = new Set(["_index.tsx", "login.tsx", "signup.tsx", "email.unsubscribe.tsx"]);
/** The query a page needs to be itself: the unsubscribe page reads the signed link of an email. */
const queries = (ids: Record<string, string>): Record<string, string> => ({
  "email.unsubscribe.tsx": `?${new URLSearchParams({ u: ids.userId, t: unsubscribeToken(APP_SECRET, ids.userId) })}`,
});
/** Routes that are no page of their own: where their GET sends the browser. */
const REDIRECT_ONLY: Record<string, string> = { "logout.tsx": "/" };

interface PageRoute {
  /** The route files that render at this URL (a layout and its index share one). */
  files: string[];
  url: string;
  signedOut: boolean;
}

function pageRoutes(ids: Record<string, string>): PageRoute[] {
  const byUrl = new Map<string, PageRoute>();
  for (const file of routeFiles().filter((f) => isPageRoute(f) && !(f in REDIRECT_ONLY))) {
    const url = fillPath(routePath(file), ids) + (queries(ids)[file] ?? "");
    const route = byUrl.get(url) ?? { files: [], url, signedOut: SIGNED_OUT.has(file) };
    route.files.push(file);
    byUrl.set(url, route);
  }
  return [...byUrl.values()];
}

interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** The serious and critical violations axe-core finds in the page as it is now. */
async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  // Colours are judged as they settle: a button that has just become enabled fades to its colour (transition-colors),
  // and mid-fade its contrast is neither the old one nor the one a person reads.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: any }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations
      .filter((v: any) => v.impact === "serious" || v.impact === "critical")
      .map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n: any) => n.target.join(" ")) }));
  }, AXE_TAGS);
}

/** Opens what a page hides until asked (disclosures, composers, panels): one state per name, checked after the page itself. */
type Opener = (page: Page) => Promise<void>;
const OPENERS: Record<string, Record<string, Opener>> = {
  "workspaces.$workspaceId.studies.$studyId.tsx": {
    "comment composer with @mention suggestions": async (page) => {
      await page.getByLabel("New comment").pressSequentially("Asking @");
      await page.getByRole("listbox", { name: "Mention a member" }).getByRole("option").first().waitFor();
    },
    "reply composer": async (page) => {
      await page.getByLabel("New comment").fill("");
      await page.getByTestId("comment-thread").first().getByRole("button", { name: "Reply" }).click();
      await page.getByTestId("comment-thread").first().getByLabel("Reply").waitFor();
    },
  },
  "workspaces.$workspaceId.panels_.$panelId.tsx": {
    "categories of a new category biomarker, with a refused row": async (page) => {
      const form = page.getByRole("form", { name: "Add a biomarker" });
      await form.getByLabel("Value type").selectOption("category");
      await form.getByRole("button", { name: "Add a category" }).click();
      await form.getByRole("button", { name: "Add biomarker" }).click();
      await form.getByRole("alert").filter({ hasText: "A category's code cannot be empty." }).waitFor();
      // Judged once the form is idle again: a button fading back from "Saving…" has neither colour.
      await page.waitForFunction(() => {
        const button = Array.from(document.querySelectorAll("button")).find((b) => b.textContent === "Add biomarker");
        return button !== undefined && !button.disabled;
      });
    },
  },
  "workspaces.$workspaceId.panels_.import.tsx": {
    "review of a REDCap data dictionary": async (page) => {
      const dictionary = Buffer.from(redcapFixture("baseline-small.csv"));
      await page.getByLabel("Dictionary file").setInputFiles({ name: "site.csv", mimeType: "text/csv", buffer: dictionary });
      await page.getByRole("button", { name: "Review fields" }).click();
      await page.getByRole("heading", { name: "11 fields become biomarkers" }).waitFor();
    },
  },
  "workspaces.$workspaceId.comparison.tsx": {
    "forest plot of a cell": async (page) => {
      await page.getByTestId("matrix-cell").first().click();
      await page.getByTestId("forest-panel").waitFor();
    },
  },
  "workspaces.$workspaceId.snapshots.$snapshotId.tsx": {
    "frozen forest plot of a cell": async (page) => {
      await page.getByTestId("matrix-cell").first().click();
      await page.getByTestId("forest-panel").waitFor();
    },
  },
};

/** Every <details> on the page, opened: menus and disclosures are checked unfolded. */
async function openAllDetails(page: Page): Promise<number> {
  return page.evaluate(() => {
    const closed = Array.from(document.querySelectorAll("details:not([open])"));
    for (const details of closed) (details as HTMLDetailsElement).open = true;
    return closed.length;
  });
}

/** Goes to `url` and answers why the page is not there, or null. */
async function visit(page: Page, baseUrl: string, url: string): Promise<string | null> {
  const response = await page.goto(`${baseUrl}${url}`, { waitUntil: "load" });
  // The live socket keeps the network busy, so "idle" is not a signal: wait for React to take over the page.
  await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer")));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  const landed = new URL(page.url()).pathname;
  if (!response || response.status() >= 400) return `answered ${response?.status() ?? "nothing"}`;
  if (landed !== new URL(url, baseUrl).pathname) return `redirected to ${landed}`;
  return null;
}

async function signedInPage(browser: Browser, baseUrl: string, width: number, signedIn: boolean): Promise<Page> {
  // The app's Content-Security-Policy rightly refuses the injected axe-core script.
  const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  if (signedIn) await signInInBrowser(page, baseUrl, "lead@demo.example", PASSWORD);
  return page;
}

describe("accessibility of every page", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD, APP_SECRET });
  let routes: PageRoute[];

  beforeAll(async () => {
    const anonymous = new ApiClient(e2e.server.url);
    const token = await must(anonymous.post("/api/v1/auth/token", { email: "lead@demo.example", password: PASSWORD }), "token");
    const lead = anonymous.withToken(token.token);
    const workspaces = (await must(lead.get("/api/v1/workspaces"), "workspaces")).items as { id: string; name: string }[];
    const demo = workspaces.find((w) => /Immuno-metabolic/.test(w.name)) ?? workspaces[0];
    routes = pageRoutes(await demoObjectIds(lead, demo.id, null));
  });

  it("every page, and what it opens, has no serious or critical axe violation", async () => {
    const unreachable: string[] = [];
    const found: string[] = [];
    const summary: { route: string; state: string; violations: number }[] = [];
    for (const signedIn of [false, true]) {
      const page = await signedInPage(e2e.browser, e2e.server.url, 1280, signedIn);
      for (const route of routes.filter((r) => r.signedOut !== signedIn)) {
        const name = route.files.join(" + ");
        const problem = await visit(page, e2e.server.url, route.url);
        if (problem) {
          unreachable.push(`${name} (${route.url}): ${problem}`);
          continue;
        }
        const check = async (state: string) => {
          const violations = await axeViolations(page);
          summary.push({ route: name, state, violations: violations.length });
          for (const v of violations)
            found.push(`${name} [${state}] ${v.impact} ${v.id}: ${v.help} — ${v.targets.slice(0, 4).join(" | ")}`);
        };
        await check("page");
        const openers = route.files.flatMap((f) => Object.entries(OPENERS[f] ?? {}));
        for (const [state, open] of openers) {
          try {
            await open(page);
          } catch (error) {
            unreachable.push(`${name} [${state}]: could not be opened (${(error as Error).message.split("\n")[0]})`);
            continue;
          }
          await check(state);
        }
        if ((await openAllDetails(page)) > 0) await check("details open");
      }
      await page.context().close();
    }
    for (const [file, target] of Object.entries(REDIRECT_ONLY)) {
      const page = await signedInPage(e2e.browser, e2e.server.url, 1280, false);
      await page.goto(`${e2e.server.url}${routePath(file)}`);
      if (new URL(page.url()).pathname !== target) unreachable.push(`${file}: expected to redirect to ${target}, landed on ${page.url()}`);
      await page.context().close();
    }
    console.table(summary);
    for (const line of found) console.log(line);
    console.log(`Accessibility sweep: ${summary.length} states of ${routes.length} pages, ${found.length} serious or critical violations`);
    expect(unreachable, "routes the sweep could not reach").toEqual([]);
    expect(found, "serious or critical axe violations").toEqual([]);
  }, 600_000);

  for (const width of WIDTHS) {
    it(`no page scrolls sideways at ${width} px`, async () => {
      const unreachable: string[] = [];
      const overflowing: string[] = [];
      for (const signedIn of [false, true]) {
        const page = await signedInPage(e2e.browser, e2e.server.url, width, signedIn);
        for (const route of routes.filter((r) => r.signedOut !== signedIn)) {
          const name = route.files.join(" + ");
          const problem = await visit(page, e2e.server.url, route.url);
          if (problem) {
            unreachable.push(`${name}: ${problem}`);
            continue;
          }
          const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
            const viewport = window.innerWidth;
            // The outermost elements that reach past the viewport's right edge, to say what to fix.
            // A scroll box clips its content, except what is absolutely placed against an ancestor outside it.
            const clipped = (e: Element) => {
              if (["absolute", "fixed"].includes(getComputedStyle(e).position)) return false;
              for (let up = e.parentElement; up && up !== document.body; up = up.parentElement)
                if (getComputedStyle(up).overflowX !== "visible") return true;
              return false;
            };
            const wide = Array.from(document.body.querySelectorAll("*")).filter(
              (e) => e.getBoundingClientRect().right > viewport + 0.5 && !clipped(e),
            );
            const outermost = wide.filter((e) => !wide.some((other) => other !== e && other.contains(e)));
            return {
              scrollWidth: document.documentElement.scrollWidth,
              innerWidth: viewport,
              culprits: outermost
                .slice(0, 3)
                .map((e) => `${e.tagName.toLowerCase()}.${String(e.className).split(" ").slice(0, 3).join(".")}`),
            };
          });
          if (scrollWidth > innerWidth) overflowing.push(`${name}: ${scrollWidth} > ${innerWidth} (${culprits.join(", ")})`);
        }
        await page.context().close();
      }
      console.log(`Overflow at ${width} px: ${routes.length} pages, ${overflowing.length} scroll sideways`);
      expect(unreachable, "routes the sweep could not reach").toEqual([]);
      expect(overflowing, `pages that scroll sideways at ${width} px`).toEqual([]);
    });
  }
});
