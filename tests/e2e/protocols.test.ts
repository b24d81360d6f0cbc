/**
 * Protocols in a real browser: a contributor writes a protocol, saves a
 * second version and reads the differences; a colleague who saved on a
 * stale version sees both texts side by side and merges instead of
 * overwriting.
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

  it("a contributor creates a protocol, saves a second version and sees the differences; a stale save is merged, not overwritten", async () => {
    const base = e2e.server.url;
    const team = await workspaceWithRoles(base);
    const protocolsUrl = `/workspaces/${team.workspaceId}/protocols`;
    const contributorContext = await e2e.browser.newContext();
    const leadContext = await e2e.browser.newContext();
    const contributor = await contributorContext.newPage();
    const lead = await leadContext.newPage();

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

    // A second version, with a note.
    await contributor.getByRole("navigation", { name: "Protocol" }).getByRole("link", { name: "Edit" }).click();
    await contributor.getByLabel("Text (markdown)").fill(FIRST_TEXT.replace("1500 g", "2000 g"));
    await contributor.getByLabel("Note about this change (optional)").fill("Centrifuge at 2000 g, as the assay kit says");
    await contributor.getByRole("button", { name: "Save as version 2" }).click();
    await contributor.waitForURL(`${base}${protocolUrl}`);
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

    // Both open the editor on version 2.
    await signInInBrowser(lead, base, team.lead.email, TEST_PASSWORD, `${protocolUrl}/edit`);
    await lead.getByRole("button", { name: "Save as version 3" }).waitFor();
    await contributor.goto(`${base}${protocolUrl}/edit`);

    // The contributor saves first.
    await contributor.getByLabel("Text (markdown)").fill(`${FIRST_TEXT.replace("1500 g", "2000 g")}\n## Shipping\n\nShip on dry ice.\n`);
    await contributor.getByRole("button", { name: "Save as version 3" }).click();
    await contributor.waitForURL(`${base}${protocolUrl}`);

    // The lead, still on version 2, saves a different change: refused, with both texts shown.
    const leadText = FIRST_TEXT.replace("1500 g", "2000 g").replace("08:00 and 10:00", "07:30 and 09:30");
    await lead.getByLabel("Text (markdown)").fill(leadText);
    await lead.getByLabel("Note about this change (optional)").fill("Earlier sampling window");
    await lead.getByRole("button", { name: /Save as version/ }).click();
    await lead.getByRole("heading", { name: "Someone saved version 3 while you were editing" }).waitFor();
    const mine = lead.getByRole("figure").filter({ hasText: "Your text (based on version 2)" });
    const theirs = lead.getByRole("figure").filter({ hasText: "Current text: version 3 by Contributing Researcher" });
    expect(await mine.locator("pre").innerText()).toContain("07:30 and 09:30");
    expect(await theirs.locator("pre").innerText()).toContain("Ship on dry ice.");
    const merged = lead.getByLabel("Merged text (markdown)");
    expect(await merged.inputValue()).toBe(leadText);

    // Live updates from colleagues refresh the page underneath, but never take the merge view away.
    const revalidated = lead.waitForResponse((r) => r.url().includes("_data=") && r.request().method() === "GET");
    await team.contributor.api.post(`/api/v1/workspaces/${team.workspaceId}/protocols`, { title: "Another protocol meanwhile" });
    await revalidated;
    await lead.getByRole("heading", { name: "Someone saved version 3 while you were editing" }).waitFor();
    expect(await merged.inputValue()).toBe(leadText);
    expect(await lead.getByLabel("Note about this change (optional)").inputValue()).toBe("Earlier sampling window");

    // The lead merges: the contributor's section added to their own text.
    await merged.fill(`${leadText}\n## Shipping\n\nShip on dry ice.\n`);
    await lead.getByRole("button", { name: "Save as version 4" }).click();
    await lead.waitForURL(`${base}${protocolUrl}`);
    await lead.getByText("Version 4 saved by Lead Researcher").waitFor();
    await lead.getByRole("heading", { level: 2, name: "Shipping" }).waitFor();
    await lead.getByText("between 07:30 and 09:30").waitFor();

    // Nothing was lost: all four versions are in the history.
    await lead.getByRole("navigation", { name: "Protocol" }).getByRole("link", { name: "History" }).click();
    for (const n of [1, 2, 3, 4]) await lead.getByRole("link", { name: `Version ${n}`, exact: true }).waitFor();

    await contributorContext.close();
    await leadContext.close();
  });
});
