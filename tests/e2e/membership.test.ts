/**
 * The foundation's journey in a real browser: sign up, create a workspace,
 * invite a colleague who accepts in their own browser, change their role,
 * remove them, and see that they lose access.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signUpInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";

const PASSWORD = "a long enough password";

describe("running a consortium workspace in the browser", () => {
  const e2e = useServerAndBrowser();

  it("a lead invites a colleague, changes their role, and removing them ends their access", async () => {
    const base = e2e.server.url;
    const id = randomUUID().slice(0, 8);
    const leadContext = await e2e.browser.newContext();
    const colleagueContext = await e2e.browser.newContext();
    const lead = await leadContext.newPage();
    const colleague = await colleagueContext.newPage();

    // The lead signs up and creates the workspace.
    await signUpInBrowser(lead, base, { name: "Dr. Ada Lead", email: `ada.${id}@example.org`, password: PASSWORD });
    await lead.getByText("You are not in any workspace yet").waitFor();
    await lead.getByLabel("Name").fill("Inflammation & mood consortium");
    await lead.getByLabel("Description").fill("Trials of anti-inflammatory add-on treatment.");
    await lead.getByRole("button", { name: "Create workspace" }).click();
    await lead.waitForURL(/\/workspaces\/[a-z0-9]+$/);
    const workspaceUrl = lead.url();
    await lead.getByRole("heading", { level: 1, name: "Inflammation & mood consortium" }).waitFor();

    // An empty section explains what belongs there.
    await lead.getByRole("link", { name: "Protocols" }).click();
    await lead.getByText("No protocols shared yet").waitFor();

    // The lead creates an invitation link for a contributor.
    await lead.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Members" }).click();
    await lead.getByLabel("Role", { exact: true }).selectOption("contributor");
    await lead.getByRole("button", { name: "Create invitation link" }).click();
    const invitationUrl = await lead.getByLabel("Invitation link").inputValue();
    expect(invitationUrl).toMatch(/\/invitations\/[a-z0-9]+$/);

    // The colleague opens the link in their own browser, signs up from it and accepts.
    await colleague.goto(invitationUrl);
    await colleague.getByText("Join “Inflammation & mood consortium”").waitFor();
    await colleague.getByRole("main").getByRole("link", { name: "Create an account" }).click();
    await colleague.getByLabel("Name").fill("Dr. Ben Colleague");
    await colleague.getByLabel("Email").fill(`ben.${id}@example.org`);
    await colleague.getByLabel("Password").fill(PASSWORD);
    await colleague.getByRole("button", { name: "Create account" }).click();
    await colleague.waitForURL(invitationUrl);
    await colleague.getByRole("button", { name: "Accept and join" }).click();
    await colleague.waitForURL(workspaceUrl);
    await colleague.getByText("you are a contributor").waitFor();

    // The link works once.
    const stranger = await (await e2e.browser.newContext()).newPage();
    await stranger.goto(invitationUrl);
    await stranger.getByText("already been used").waitFor();

    // The lead sees the new member (live, without reloading) and makes them an observer.
    const colleagueRow = lead.getByTestId(`member-ben.${id}@example.org`);
    await colleagueRow.waitFor();
    await colleagueRow.getByLabel("Role of Dr. Ben Colleague", { exact: true }).selectOption("observer");
    await colleagueRow.getByRole("button", { name: "Save role of Dr. Ben Colleague" }).click();
    await colleague.reload();
    await colleague.getByText("you are an observer").waitFor();

    // The audit trail shows the role change with before and after.
    await lead.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Activity" }).click();
    await lead.getByText("changed Dr. Ben Colleague’s role from contributor to observer").waitFor();

    // The lead removes the colleague, who loses access at once.
    await lead.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Members" }).click();
    lead.once("dialog", (dialog) => void dialog.accept());
    await lead.getByRole("button", { name: "Remove Dr. Ben Colleague" }).click();
    await lead.getByTestId(`member-ben.${id}@example.org`).waitFor({ state: "detached" });

    const response = await colleague.goto(workspaceUrl);
    expect(response?.status()).toBe(404);
    await colleague.goto(`${base}/workspaces`);
    await colleague.getByText("You are not in any workspace yet").waitFor();

    await leadContext.close();
    await colleagueContext.close();
  });
});
