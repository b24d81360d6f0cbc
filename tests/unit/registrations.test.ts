/**
 * The marking rule of decision 031: a profile is pre-registered when a
 * registration for the analysis's outcome, made strictly before the first data
 * that feed its column, names it with the criteria it has now.
 */
import { describe, expect, it } from "vitest";
import { markProfiles, type RegistrationRef } from "#app/domain/registrations.ts";

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
