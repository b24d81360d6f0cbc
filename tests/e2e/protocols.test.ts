/**
 * Protocols in a real browser: a contributor writes a protocol, saves a
 * second version from the live draft and reads the differences; a script's
 * save based on an old version is refused instead of overwriting.
 */
import { describe, expect, it } from "vitest";
import { TEST_PASSWORD, workspaceWithRoles } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

const FIRST_TEXT = `# Blood sampling

Fasting venous blood between 08:00 and 10:00.

## Processing

Centrifuge at 1500 g for 10 minutes.

## Storage

Aliquot serum and store at -80 °C.
`;

describe("writing protocols together in the browser", () => {
  const e2e = useServerAndBrowser();

  it("a contributor creates a protocol, saves a second version from the live draft and sees the differences; a stale script save is refused", async () => {
    const base = e2e.server.url;
    const team = await workspaceWithRoles(base);
    const protocolsUrl = `/workspaces/${team.workspaceId}/protocols`;
    const contributorContext = await e2e.browser.newContext();
    const contributor = await contributorContext.newPage();

    // The contributor starts the first protocol from the empty state.
    await signInInBrowser(contributor, base, team.contributor.email, TEST_PASSWORD, protocolsUrl);
    await contributor.getByText("No protocols shared yet").waitFor();
    await contributor.getByLabel("Title").fill("Blood sampling and hs-CRP assay SOP");
    await contributor.getByLabel("Text (markdown)").fill(FIRST_TEXT);
    await contributor.getByLabel("Note for version 1 (optional)").fill("First draft from the immunology lab");
    await contributor.getByRole("button", { name: "Create protocol" }).click();
    await contributor.waitForURL(/\/protocols\/[a-z0-9]+$/);
    const protocolUrl = new URL(contributor.url()).pathname;
    await contributor.getByRole("heading", { level: 2, name: "Blood sampling and hs-CRP assay SOP" }).waitFor();
    await contributor.getByRole("heading", { level: 2, name: "Processing" }).waitFor();
    // The outline links to each section's anchor.
    const sections = contributor.getByRole("navigation", { name: "Sections" });
    expect(await sections.getByRole("link", { name: "Storage" }).getAttribute("href")).toBe("#storage");

    // A second version, written in the live draft and saved with a note.
    await contributor.getByRole("navigation", { name: "Protocol" }).getByRole("link", { name: "Write together" }).click();
    await contributor.getByTestId("save-state").getByText("All changes saved").waitFor();
    await contributor.locator(".cm-line", { hasText: "Centrifuge at 1500 g" }).click();
    await contributor.keyboard.press("End");
    await contributor.keyboard.press("Shift+Home");
    await contributor.keyboard.type("Centrifuge at 2000 g for 10 minutes.");
    await contributor.getByTestId("save-state").getByText("All changes saved").waitFor();
    await contributor.getByLabel("Note about this version (optional)").fill("Centrifuge at 2000 g, as the assay kit says");
    await contributor.getByRole("button", { name: "Save version 2" }).click();
    await contributor.waitForURL(`${base}${protocolUrl}/versions/2`);
    await contributor.getByRole("navigation", { name: "Protocol" }).getByRole("link", { name: "Current version" }).click();
    await contributor.getByText("Version 2 saved by Contributing Researcher").waitFor();

    // The differences between the two versions, chosen with the selects.
    await contributor.getByRole("navigation", { name: "Protocol" }).getByRole("link", { name: "Compare versions" }).click();
    await contributor.getByLabel("From version", { exact: true }).selectOption("1");
    await contributor.getByLabel("To version", { exact: true }).selectOption("2");
    await contributor.getByRole("button", { name: "Compare" }).click();
    await contributor.getByRole("heading", { name: "Changes from version 1 to version 2" }).waitFor();
    const removed = contributor.locator('[data-diff="removed"]');
    const added = contributor.locator('[data-diff="added"]');
    expect(await removed.count()).toBe(1);
    expect(await removed.innerText()).toContain("1500 g");
    expect(await added.innerText()).toContain("2000 g");

    // A script that read version 1 saves its own change: refused (409), nothing overwritten.
    const stale = await team.lead.api.post(`/api/v1/workspaces/${team.workspaceId}/protocols/${protocolUrl.split("/").pop()}/versions`, {
      baseVersion: 1,
      body: FIRST_TEXT.replace("08:00 and 10:00", "07:30 and 09:30"),
    });
    expect(stale.status).toBe(409);

    // Both versions are in the history.
    await contributor.getByRole("navigation", { name: "Protocol" }).getByRole("link", { name: "History" }).click();
    for (const n of [1, 2]) await contributor.getByRole("link", { name: `Version ${n}`, exact: true }).waitFor();

    await contributorContext.close();
  });
});
