/** Debian's Chromium driven by playwright-core (a bundled browser cannot be downloaded here). */
import fs from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

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
