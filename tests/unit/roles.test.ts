import { describe, expect, it } from "vitest";
import { isRole, ROLES, roleAtLeast, type Role } from "#app/domain/roles.ts";

describe("roleAtLeast", () => {
  it("lets every role do what it itself may do", () => {
    for (const role of ROLES) expect(roleAtLeast(role, role)).toBe(true);
  });

  it("lets a lead do what a contributor or an observer may do", () => {
    expect(roleAtLeast("lead", "contributor")).toBe(true);
    expect(roleAtLeast("lead", "observer")).toBe(true);
  });

  it("lets a contributor do what an observer may do, but not what only a lead may do", () => {
    expect(roleAtLeast("contributor", "observer")).toBe(true);
    expect(roleAtLeast("contributor", "lead")).toBe(false);
  });

  it("gives an observer nothing beyond observing", () => {
    expect(roleAtLeast("observer", "contributor")).toBe(false);
    expect(roleAtLeast("observer", "lead")).toBe(false);
  });

  it("orders ROLES from least to most privileged", () => {
    const pairs: [Role, Role][] = [];
    ROLES.forEach((lower, i) => ROLES.slice(i + 1).forEach((higher) => pairs.push([lower, higher])));
    for (const [lower, higher] of pairs) {
      expect(roleAtLeast(higher, lower), `${higher} ≥ ${lower}`).toBe(true);
      expect(roleAtLeast(lower, higher), `${lower} < ${higher}`).toBe(false);
    }
  });
});

describe("isRole", () => {
  it("accepts the three workspace roles", () => {
    expect(ROLES).toEqual(["observer", "contributor", "lead"]);
    for (const role of ROLES) expect(isRole(role)).toBe(true);
  });

  it("refuses other strings, including differently cased roles", () => {
    for (const value of ["admin", "owner", "Lead", "LEAD", " lead", "", "observer,lead"]) {
      expect(isRole(value), JSON.stringify(value)).toBe(false);
    }
  });

  it("refuses values that are not strings", () => {
    for (const value of [null, undefined, 0, 2, {}, ["lead"], true]) expect(isRole(value)).toBe(false);
  });
});
