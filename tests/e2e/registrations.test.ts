/**
 * A lead pre-registers the analysis in the browser before any data arrive
 * (first forgetting the profiles, and being told), the data then come in, and
 * the comparison marks the registered profile "pre-registered" with a link to
 * the registration, and the other "added after".
 */
import { beforeAll, describe, expect, it } from "vitest";
import { registerUser, type TestUser } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";
import { uploadDataset } from "#tests/support/datasets.ts";

const OUTCOME = "HAM-D change from baseline";

/** Deterministic participants: CRP in mg/L, HAM-D at baseline and week 8. */
function csv(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = Array.from({ length: 60 }, (_, i) => {
    const arm = i % 2 === 0 ? "infliximab" : "placebo";
    const crp = Number((0.2 + next() * 8).toFixed(2));
    const baseline = 18 + Math.floor(next() * 10);
    const drop = Math.round((arm === "infliximab" && crp > 3 ? 8 : 4) + next() * 6);
    return [`P${i + 1}`, arm, crp, baseline, baseline - drop].join(",");
  });
  return ["participant_id,arm,CRP (mg/L),hamd_baseline,hamd_week8", ...rows].join("\n");
}

describe("pre-registration", () => {
  const e2e = useServerAndBrowser({ SEED_DEMO: "0" });
  let lead: TestUser;
  let workspaceId: string;
  let studyId: string;

  beforeAll(async () => {
    lead = await registerUser(e2e.server.url, "Lead Researcher");
    workspaceId = (await lead.api.post("/api/v1/workspaces", { name: "CRP consortium" })).body.id;
    const ws = `/api/v1/workspaces/${workspaceId}`;
    const panelId = (await lead.api.post(`${ws}/panels`, { name: "Core panel", fromDefault: true })).body.id;
    expect((await lead.api.post(`${ws}/protocols`, { title: "CRP-stratified protocol", body: "# Aims\n" })).status).toBe(201);
    const study = await lead.api.post(`${ws}/studies`, {
      title: "Trial A",
      panelId,
      arms: [
        { name: "infliximab", class: "anti-inflammatory" },
        { name: "placebo", class: "placebo" },
      ],
      outcomes: [{ name: OUTCOME, kind: "continuous" }],
    });
    studyId = study.body.id;
    for (const [name, operator] of [
      ["High CRP", ">"],
      ["Low CRP", "<="],
    ])
      expect(
        (
          await lead.api.post(`${ws}/profiles`, {
            name,
            criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator, value: 3, unit: "mg/L" }] },
          })
        ).status,
      ).toBe(201);
  });

  it("pre-registers from the form, and the comparison then shows each profile's badge with a link", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInInBrowser(page, e2e.server.url, lead.email, lead.password);
    await page.goto(`${e2e.server.url}/workspaces/${workspaceId}/registrations`);
    await page.getByRole("heading", { name: "No registrations yet" }).waitFor();

    await page.getByLabel("Title").fill("Infliximab by CRP: primary analysis");
    await page.getByLabel("Protocol version").selectOption({ label: "CRP-stratified protocol, version 1" });
    await expect(page.getByLabel("Outcome").inputValue()).resolves.toBe(OUTCOME);
    // Forgetting the profiles: the form says what to fix and keeps what was typed.
    await page.getByRole("button", { name: "Pre-register" }).click();
    await page.getByText("Choose at least one patient profile to register.").waitFor();
    await expect(page.getByLabel("Title").inputValue()).resolves.toBe("Infliximab by CRP: primary analysis");

    // From the keyboard: tick High CRP with the space bar, submit with Enter in the title.
    await page.getByLabel("Protocol version").selectOption({ label: "CRP-stratified protocol, version 1" });
    await page.getByRole("checkbox", { name: /High CRP/ }).focus();
    await page.keyboard.press("Space");
    await expect(page.getByRole("checkbox", { name: /High CRP/ }).isChecked()).resolves.toBe(true);
    await page.getByLabel("Title").focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Infliximab by CRP: primary analysis" }).waitFor();
    const registrationUrl = page.url();
    expect(registrationUrl).toMatch(new RegExp(`/workspaces/${workspaceId}/registrations/[^/]+$`));
    await expect(page.getByTestId("registration-hash").textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
    await expect(page.getByTestId("registered-profiles").textContent()).resolves.toMatch(/High CRP\s+version 1/);

    // The data arrive after the registration.
    expect((await uploadDataset(lead.api, workspaceId, studyId, csv(11), { name: "Trial A data" })).status).toBe(201);

    await page.goto(`${e2e.server.url}/workspaces/${workspaceId}/comparison`);
    await page.getByTestId("comparison-matrix").waitFor();
    const badge = (profile: string) => page.getByRole("columnheader", { name: new RegExp(profile) }).getByTestId("registration-badge");
    await expect(badge("High CRP").getAttribute("data-status")).resolves.toBe("pre-registered");
    await expect(badge("High CRP").textContent()).resolves.toMatch(/^pre-registered/);
    await expect(badge("Low CRP").getAttribute("data-status")).resolves.toBe("added-after");
    await badge("High CRP").click();
    await page.waitForURL(registrationUrl);
    await page.getByRole("heading", { name: "Infliximab by CRP: primary analysis" }).waitFor();
    await page.close();
  });
});
