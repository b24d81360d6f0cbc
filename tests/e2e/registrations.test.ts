/**
 * A lead pre-registers the analysis in the browser before any data arrive
 * (first forgetting the profiles, and being told), naming BMI as an effect
 * modifier; the data then come in, and the comparison marks the registered
 * profile "pre-registered" with a link to the registration, and the other
 * "added after"; the who-benefits page calls BMI "pre-specified" beside the
 * analysis and on its matrix column, and IL-6, which nobody named, "exploratory".
 */
import { beforeAll, describe, expect, it } from "vitest";
import { registerUser, type TestUser } from "#tests/support/api.ts";
import { signInInBrowser, useServerAndBrowser } from "#tests/support/browser.ts";
import { uploadDataset } from "#tests/support/datasets.ts";

const OUTCOME = "HAM-D change from baseline";

/** Deterministic participants: CRP in mg/L, HAM-D at baseline and week 8, BMI and IL-6. */
function csv(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = Array.from({ length: 60 }, (_, i) => {
    const arm = i % 2 === 0 ? "infliximab" : "placebo";
    const crp = Number((0.2 + next() * 8).toFixed(2));
    const baseline = 18 + Math.floor(next() * 10);
    const drop = Math.round((arm === "infliximab" && crp > 3 ? 8 : 4) + next() * 6);
    const bmi = Number((22 + next() * 14).toFixed(1));
    const il6 = Number((0.5 + next() * 6).toFixed(2));
    return [`P${i + 1}`, arm, crp, baseline, baseline - drop, bmi, il6].join(",");
  });
  return ["participant_id,arm,CRP (mg/L),hamd_baseline,hamd_week8,BMI (kg/m2),IL-6 (pg/mL)", ...rows].join("\n");
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

  it("pre-registers from the form; the comparison and the who-benefits page then show their badges with a link", async () => {
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
    // BMI as an effect modifier, from the keyboard too: its box is one of the fieldset's checkboxes.
    const modifiers = page.getByRole("group", { name: "Effect modifiers (optional)" });
    await modifiers.getByRole("checkbox", { name: /^BMI/ }).focus();
    await page.keyboard.press("Space");
    await expect(modifiers.getByRole("checkbox", { name: /^BMI/ }).isChecked()).resolves.toBe(true);
    await page.getByLabel("Title").focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Infliximab by CRP: primary analysis" }).waitFor();
    const registrationUrl = page.url();
    expect(registrationUrl).toMatch(new RegExp(`/workspaces/${workspaceId}/registrations/[^/]+$`));
    await expect(page.getByTestId("registration-hash").textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
    await expect(page.getByTestId("registered-profiles").textContent()).resolves.toMatch(/High CRP\s+version 1/);
    await expect(page.getByTestId("registered-modifiers").textContent()).resolves.toMatch(/^BMI \(kg\/m2\)/);

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

    // Who benefits: BMI was named before the data, so the analysis says it was pre-specified, in words, with a link.
    await page.goto(`${e2e.server.url}/workspaces/${workspaceId}/effect-modification?biomarker=bmi`);
    const line = page.getByTestId("modifier-registration");
    await expect(line.textContent()).resolves.toMatch(/^BMI as effect modifier:\s*pre-specified/);
    const modifierBadge = line.getByTestId("modifier-registration-badge");
    await expect(modifierBadge.getAttribute("data-status")).resolves.toBe("pre-specified");
    // Each biomarker column of the matrix carries its own small mark: IL-6 was never named.
    const matrix = page.getByTestId("modification-matrix");
    await matrix.waitFor();
    const column = (name: string) =>
      matrix.getByRole("columnheader", { name: new RegExp(`^${name}`) }).getByTestId("modifier-column-badge");
    await expect(column("BMI").getAttribute("data-status")).resolves.toBe("pre-specified");
    await expect(column("IL-6").textContent()).resolves.toMatch(/^exploratory/);
    await modifierBadge.click();
    await page.waitForURL(registrationUrl);
    await page.getByTestId("registered-modifiers").waitFor();

    // A snapshot of the analysis keeps the mark it had when frozen, and its page shows it.
    const frozen = await lead.api.post(`/api/v1/workspaces/${workspaceId}/snapshots`, {
      title: "Infliximab × BMI",
      scope: "effect-modification",
      biomarker: "bmi",
    });
    expect(frozen.status).toBe(201);
    await page.goto(frozen.body.url);
    await expect(page.getByTestId("modifier-registration").textContent()).resolves.toMatch(/^BMI as effect modifier:\s*pre-specified/);
    await page.close();
  });
});
