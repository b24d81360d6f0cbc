/** Debian's Chromium driven by playwright-core (a bundled browser cannot be downloaded here). */
import fs from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startServer, type TestServer } from "./server.ts";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

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
export async function signInInBrowser(page: Page, baseUrl: string, email: string, password: string, landing = "/workspaces"): Promise<void> {
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
