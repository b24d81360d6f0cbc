/** Debian's Chromium driven by playwright-core (a bundled browser cannot be downloaded here). */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startServer, type TestServer } from "./server.ts";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Starts the server (with `env`) and the browser before the tests of the
 * enclosing suite and closes both after them. Call it at the top of a
 * `describe`; read `server` and `browser` inside tests and later hooks.
 */
export function useServerAndBrowser(env?: Record<string, string>): { readonly server: TestServer; readonly browser: Browser } {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer(env);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error("the test server is not running (read it inside a test or hook)");
      return server;
    },
    get browser() {
      if (!browser) throw new Error("the browser is not running (read it inside a test or hook)");
      return browser;
    },
  };
}

/** The query that sends the login or sign-up form on to `landing`: none for the default landing page. */
function redirectQuery(landing: string): string {
  return landing === "/workspaces" ? "" : `?redirectTo=${encodeURIComponent(landing)}`;
}

/** Signs in through the login form and waits for the page it lands on (`landing`, a path). */
export async function signInInBrowser(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
  landing = "/workspaces",
): Promise<void> {
  await page.goto(`${baseUrl}/login${redirectQuery(landing)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}${landing}`);
}

/** Creates an account through the sign-up form and waits for the page it lands on (`landing`, a path). */
export async function signUpInBrowser(
  page: Page,
  baseUrl: string,
  { name, email, password }: { name: string; email: string; password: string },
  landing = "/workspaces",
): Promise<void> {
  await page.goto(`${baseUrl}/signup${redirectQuery(landing)}`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${baseUrl}${landing}`);
}

export interface PageProblems {
  /** console.error messages and uncaught exceptions, with the page's URL. */
  errors: string[];
  /** Content-Security-Policy violations the browser reported (`securitypolicyviolation`). */
  violations: { directive: string; blocked: string; url: string }[];
}

/**
 * Collects what a person would see in the developer console, on every page
 * of a browser context, across navigations: errors, and anything the
 * Content-Security-Policy blocked.
 */
export async function watchForPageProblems(context: BrowserContext): Promise<PageProblems> {
  const problems: PageProblems = { errors: [], violations: [] };
  await context.exposeBinding("__reportCspViolation", (_source, violation: PageProblems["violations"][number]) => {
    problems.violations.push(violation);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCspViolation: (v: unknown) => void }).__reportCspViolation({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        url: e.documentURI,
      });
    });
  });
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() === "error") problems.errors.push(`${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.errors.push(`${page.url()}: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  return problems;
}

/**
 * Everything in the page's DOM that could run script without a `<script>`
 * element: any `on…` attribute (on any element, images included), and any
 * `javascript:`, `vbscript:` or `data:` address in a link, form, frame or
 * embedded object (read the way the browser reads it, so `jav&#x09;ascript:`
 * counts). A `data:` image is only a picture and is let be; `srcdoc` is
 * always reported. Each finding names the element.
 */
export async function findScriptableMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ADDRESS_ATTRIBUTES = new Set([
      "href",
      "xlink:href",
      "src",
      "action",
      "formaction",
      "data",
      "poster",
      "background",
      "ping",
      "codebase",
    ]);
    const found: string[] = [];
    const describe = (element: Element) => element.outerHTML.slice(0, 200);
    for (const element of Array.from(document.querySelectorAll("*"))) {
      for (const attribute of Array.from(element.attributes)) {
        const name = attribute.name.toLowerCase();
        if (name.startsWith("on")) found.push(`${name} handler: ${describe(element)}`);
        else if (name === "srcdoc") found.push(`srcdoc: ${describe(element)}`);
        else if (ADDRESS_ATTRIBUTES.has(name)) {
          let scheme: string;
          try {
            scheme = new URL(attribute.value, document.baseURI).protocol;
          } catch {
            continue;
          }
          const dataImage = scheme === "data:" && element.localName === "img" && name === "src";
          if ((scheme === "javascript:" || scheme === "vbscript:" || scheme === "data:") && !dataImage)
            found.push(`${scheme} ${name}: ${describe(element)}`);
        }
      }
    }
    return found;
  });
}

/**
 * Hovers over and clicks what people's content may have turned into a link
 * or a handler: anchors (HTML or SVG) with no address or one that is not one
 * of our own paths, and every element with an `on…` attribute. Events are
 * dispatched, so hidden elements get them too. A click that leaves `url` is
 * followed by a return to it, and a window a click opened is closed. Answers
 * how many elements were tried.
 */
export async function clickUntrustedLinks(page: Page, url: string): Promise<number> {
  const SELECTOR = "a, area, [data-untrusted-probe]";
  const findTargets = () =>
    page.evaluate((selector) => {
      for (const element of Array.from(document.querySelectorAll("*"))) {
        if (Array.from(element.attributes).some((a) => a.name.toLowerCase().startsWith("on")))
          element.setAttribute("data-untrusted-probe", "");
      }
      return Array.from(document.querySelectorAll(selector)).flatMap((element, index) => {
        const href = element.getAttribute("href") ?? element.getAttribute("xlink:href");
        const ours = href !== null && href.startsWith("/") && !href.startsWith("//");
        return ours && !element.hasAttribute("data-untrusted-probe") ? [] : [index];
      });
    }, SELECTOR);
  const targets = await findTargets();
  for (const index of targets) {
    const target = page.locator(SELECTOR).nth(index);
    for (const event of ["mouseover", "focus", "click"]) await target.dispatchEvent(event).catch(() => {});
    for (const other of page.context().pages()) if (other !== page) await other.close();
    if (page.url() !== url) {
      await page.goto(url, { waitUntil: "networkidle" });
      await findTargets();
    }
  }
  // Let the events' consequences (a navigation refused, a policy report) arrive before the caller moves on.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  return targets.length;
}
