/**
 * The marking rules of decision 031: a profile is pre-registered when a
 * registration for the analysis's outcome, made strictly before the first data
 * that feed its column, names it with the criteria it has now; an effect
 * modifier is pre-specified when such a registration names the biomarker, as
 * an effect modifier or in a registered profile's criteria.
 */
import { describe, expect, it } from "vitest";
import { markEffectModifier, markProfiles, type RegistrationRef } from "#app/domain/registrations.ts";

const high = { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 3, unit: "mg/L" }] };
const low = { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: "<=", value: 3, unit: "mg/L" }] };

function registration(number: number, createdAt: string, profiles: RegistrationRef["profiles"], outcome = "HAM-D change"): RegistrationRef {
  return { id: `r${number}`, number, title: `Registration ${number}`, hash: "0".repeat(64), createdAt, outcome, profiles };
}

const mark = (
  profiles: { id: string; version: number; criteria: unknown }[],
  registrations: RegistrationRef[],
  firstDataAt: Record<string, string | null>,
  outcome: string | null = "HAM-D change",
) => markProfiles({ outcome, profiles, registrations, firstDataAt: new Map(Object.entries(firstDataAt)) });

describe("marking profiles against pre-registrations", () => {
  it("marks nothing when the workspace has no registration", () => {
    expect(mark([{ id: "p", version: 1, criteria: high }], [], { p: null })).toBeNull();
  });

  it("calls a profile registered with its current criteria before its data pre-registered, citing that registration", () => {
    const [m] = mark(
      [{ id: "p", version: 2, criteria: high }],
      [registration(1, "2026-01-01T00:00:00.000Z", [{ id: "p", version: 1, criteria: high }])],
      {
        p: "2026-02-01T00:00:00.000Z",
      },
    )!;
    expect(m).toMatchObject({ status: "pre-registered", registration: { id: "r1", number: 1 }, registeredVersion: 1, currentVersion: 2 });
  });

  it("ignores key order in criteria, but not a moved cut-off", () => {
    const reordered = { items: [{ unit: "mg/L", value: 3, operator: ">", code: "hs_crp", kind: "biomarker" }], op: "and" };
    const moved = { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 2, unit: "mg/L" }] };
    const registered = [registration(1, "2026-01-01T00:00:00.000Z", [{ id: "p", version: 1, criteria: high }])];
    expect(mark([{ id: "p", version: 1, criteria: reordered }], registered, { p: null })![0].status).toBe("pre-registered");
    const changed = mark([{ id: "p", version: 3, criteria: moved }], registered, { p: null })![0];
    expect(changed).toMatchObject({ status: "changed-since-registration", registeredVersion: 1, currentVersion: 3 });
  });

  it("judges 'before' strictly: a registration at the very millisecond of the first data does not count", () => {
    const at = "2026-03-01T12:00:00.000Z";
    const registered = [registration(1, at, [{ id: "p", version: 1, criteria: high }])];
    expect(mark([{ id: "p", version: 1, criteria: high }], registered, { p: at })![0]).toMatchObject({
      status: "added-after",
      registration: { id: "r1" },
      registeredVersion: null,
    });
    expect(mark([{ id: "p", version: 1, criteria: high }], registered, { p: "2026-03-01T12:00:00.001Z" })![0].status).toBe(
      "pre-registered",
    );
  });

  it("counts every registration when no data feed the column yet", () => {
    const registered = [registration(1, "2030-01-01T00:00:00.000Z", [{ id: "p", version: 1, criteria: high }])];
    expect(mark([{ id: "p", version: 1, criteria: high }], registered, { p: null })![0].status).toBe("pre-registered");
  });

  it("calls a profile no timely registration names added after, whether never registered or registered too late", () => {
    const registered = [
      registration(1, "2026-01-01T00:00:00.000Z", [{ id: "a", version: 1, criteria: high }]),
      registration(2, "2026-06-01T00:00:00.000Z", [{ id: "late", version: 1, criteria: low }]),
    ];
    const marks = mark(
      [
        { id: "a", version: 1, criteria: high },
        { id: "new", version: 1, criteria: low },
        { id: "late", version: 1, criteria: low },
      ],
      registered,
      { a: "2026-02-01T00:00:00.000Z", new: "2026-02-01T00:00:00.000Z", late: "2026-02-01T00:00:00.000Z" },
    )!;
    expect(marks.map((m) => [m.profileId, m.status, m.registration?.id ?? null])).toEqual([
      ["a", "pre-registered", "r1"],
      ["new", "added-after", null],
      ["late", "added-after", "r2"],
    ]);
  });

  it("counts only registrations of the analysis's outcome (case and spacing aside)", () => {
    const registered = [registration(1, "2026-01-01T00:00:00.000Z", [{ id: "p", version: 1, criteria: high }], "Response")];
    expect(mark([{ id: "p", version: 1, criteria: high }], registered, { p: null }, "HAM-D change")![0].status).toBe("added-after");
    expect(mark([{ id: "p", version: 1, criteria: high }], registered, { p: null }, "  response ")![0].status).toBe("pre-registered");
    expect(mark([{ id: "p", version: 1, criteria: high }], registered, { p: null }, null)![0].status).toBe("added-after");
  });

  it("prefers a timely registration with the current criteria over a later timely one that registered other criteria, and vice versa cites the latest", () => {
    const registered = [
      registration(1, "2026-01-01T00:00:00.000Z", [{ id: "p", version: 1, criteria: high }]),
      registration(2, "2026-01-15T00:00:00.000Z", [{ id: "p", version: 2, criteria: low }]),
    ];
    const firstData = { p: "2026-02-01T00:00:00.000Z" };
    expect(mark([{ id: "p", version: 3, criteria: high }], registered, firstData)![0]).toMatchObject({
      status: "pre-registered",
      registration: { id: "r1" },
    });
    expect(mark([{ id: "p", version: 4, criteria: { op: "or", items: high.items } }], registered, firstData)![0]).toMatchObject({
      status: "changed-since-registration",
      registration: { id: "r2" },
      registeredVersion: 2,
    });
  });
});

describe("marking an effect modifier against pre-registrations", () => {
  const named = (number: number, createdAt: string, effectModifiers: string[], outcome = "HAM-D change"): RegistrationRef => ({
    ...registration(number, createdAt, [], outcome),
    effectModifiers,
  });
  const modifier = (
    biomarker: string,
    registrations: RegistrationRef[],
    firstDataAt: string | null,
    outcome: string | null = "HAM-D change",
  ) => markEffectModifier({ outcome, biomarker, registrations, firstDataAt });

  it("marks nothing when the workspace has no registration", () => {
    expect(modifier("hs_crp", [], "2026-02-01T00:00:00.000Z")).toBeNull();
    expect(modifier("hs_crp", [], null)).toBeNull();
  });

  it("calls a biomarker named before the data pre-specified, citing the latest registration that counts", () => {
    const registered = [
      named(1, "2026-01-01T00:00:00.000Z", ["bmi", "hs_crp"]),
      named(2, "2026-01-20T00:00:00.000Z", ["hs_crp"]),
      named(3, "2026-01-25T00:00:00.000Z", ["il6"]),
    ];
    expect(modifier("hs_crp", registered, "2026-02-01T00:00:00.000Z")).toMatchObject({
      biomarker: "hs_crp",
      status: "pre-specified",
      registration: { id: "r2", number: 2, hash: "0".repeat(64), createdAt: "2026-01-20T00:00:00.000Z" },
      basis: "effect-modifier",
      firstDataAt: "2026-02-01T00:00:00.000Z",
      reason: expect.stringMatching(/registration 2/),
    });
    expect(modifier("bmi", registered, "2026-02-01T00:00:00.000Z")).toMatchObject({ status: "pre-specified", registration: { id: "r1" } });
  });

  it("calls a biomarker no registration names exploratory, citing nothing", () => {
    const mark = modifier("leptin", [named(1, "2026-01-01T00:00:00.000Z", ["hs_crp"])], "2026-02-01T00:00:00.000Z");
    expect(mark).toMatchObject({ status: "exploratory", registration: null, basis: null });
    expect(mark!.reason).toMatch(/No registration/);
  });

  it("judges 'before' strictly, to the millisecond, and cites the registration made too late", () => {
    const at = "2026-03-01T12:00:00.000Z";
    const registered = [named(1, at, ["hs_crp"])];
    expect(modifier("hs_crp", registered, at)).toMatchObject({
      status: "exploratory",
      registration: { id: "r1" },
      basis: "effect-modifier",
      reason: expect.stringMatching(/only after data/),
    });
    expect(modifier("hs_crp", registered, "2026-03-01T12:00:00.001Z")!.status).toBe("pre-specified");
    expect(modifier("hs_crp", registered, "2026-03-01T11:59:59.999Z")!.status).toBe("exploratory");
  });

  it("counts every registration when no data feed the analysis yet", () => {
    expect(modifier("hs_crp", [named(1, "2030-01-01T00:00:00.000Z", ["hs_crp"])], null)!.status).toBe("pre-specified");
  });

  it("counts only registrations of the analysis's outcome, matched as the comparison matches outcomes", () => {
    const registered = [named(1, "2026-01-01T00:00:00.000Z", ["hs_crp"], "HAM-D  Change ")];
    expect(modifier("hs_crp", registered, null, "ham-d change")!.status).toBe("pre-specified");
    expect(modifier("hs_crp", registered, null, "Response")).toMatchObject({ status: "exploratory", registration: null });
    expect(modifier("hs_crp", registered, null, null)).toMatchObject({ status: "exploratory", registration: null });
  });

  it("takes a biomarker a registered profile's criteria use, however nested, as pre-specified", () => {
    const nested = {
      op: "or",
      items: [
        { kind: "attribute", name: "bmi", operator: ">=", value: 30 },
        { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">=", value: 3, unit: "mg/L" }] },
      ],
    };
    const registered = [registration(1, "2026-01-01T00:00:00.000Z", [{ id: "p", name: "Inflamed", version: 1, criteria: nested }])];
    const mark = modifier("hs_crp", registered, "2026-02-01T00:00:00.000Z");
    expect(mark).toMatchObject({ status: "pre-specified", registration: { id: "r1" }, basis: "profile-criteria" });
    expect(mark!.reason).toMatch(/“Inflamed”/);
    // A participant attribute that happens to share a biomarker's code is not that biomarker.
    expect(modifier("bmi", registered, "2026-02-01T00:00:00.000Z")!.status).toBe("exploratory");
    // The profile as registered counts, at the registration's time: too late is too late either way.
    expect(modifier("hs_crp", registered, "2025-12-31T23:59:59.999Z")).toMatchObject({ status: "exploratory", basis: "profile-criteria" });
  });

  it("prefers saying the modifier was named when the citing registration does both", () => {
    const both = { ...registration(1, "2026-01-01T00:00:00.000Z", [{ id: "p", version: 1, criteria: high }]), effectModifiers: ["hs_crp"] };
    expect(modifier("hs_crp", [both], null)!.basis).toBe("effect-modifier");
  });
});
