import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { ChangePasswordInput, CreateTokenInput, email, IssueTokenInput, RegisterInput, SignInInput } from "#app/schemas/accounts.ts";
import { TOKEN_LIFETIMES_DAYS } from "#app/domain/access-tokens.ts";
import { ChangeRoleInput, CreateInvitationInput, CreateWorkspaceInput, EventsQuery, role } from "#app/schemas/workspaces.ts";

/** The messages a schema gives for `input`, by dotted field path. */
function problems(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
}

const valid = { email: "ada@example.org", name: "Ada Lovelace", password: "analytical engine" };

describe("account input", () => {
  it("trims an email address and lower-cases it", () => {
    expect(email.parse("  Ada.Lovelace@Example.ORG \n")).toBe("ada.lovelace@example.org");
    expect(RegisterInput.parse({ ...valid, email: " ADA@EXAMPLE.ORG " }).email).toBe("ada@example.org");
    expect(SignInInput.parse({ email: "Ada@Example.org ", password: "x" }).email).toBe("ada@example.org");
  });

  it("refuses something that is not an email address, in words", () => {
    expect(problems(RegisterInput, { ...valid, email: "ada at example" }).email).toMatch(/valid email address/);
    expect(problems(RegisterInput, { ...valid, email: "" }).email).toMatch(/email/i);
    expect(problems(RegisterInput, { ...valid, email: `${"a".repeat(250)}@example.org` }).email).toMatch(/254/);
  });

  it("refuses a short password with a message naming the minimum length", () => {
    const message = problems(RegisterInput, { ...valid, password: "short" }).password;
    expect(message).toMatch(/at least 10 characters/);
    expect(RegisterInput.safeParse({ ...valid, password: "x".repeat(10) }).success).toBe(true);
    expect(RegisterInput.safeParse({ ...valid, password: "x".repeat(9) }).success).toBe(false);
  });

  it("applies the same minimum when a password is changed", () => {
    expect(problems(ChangePasswordInput, { currentPassword: "old one", newPassword: "short" }).newPassword).toMatch(
      /at least 10 characters/,
    );
  });

  it("does not trim or otherwise alter a password", () => {
    expect(RegisterInput.parse({ ...valid, password: "  spaced out  " }).password).toBe("  spaced out  ");
  });

  it("trims a name and refuses a blank one", () => {
    expect(RegisterInput.parse({ ...valid, name: "  Ada Lovelace " }).name).toBe("Ada Lovelace");
    expect(problems(RegisterInput, { ...valid, name: "   " }).name).toBe("Enter your name.");
  });

  it("asks for each missing field by name", () => {
    expect(Object.keys(problems(RegisterInput, {})).sort()).toEqual(["email", "name", "password"]);
  });

  it("gives a token a default label and lifetime, and accepts only the offered lifetimes", () => {
    expect(CreateTokenInput.parse({})).toEqual({ label: "API token", expiresInDays: 90 });
    for (const days of TOKEN_LIFETIMES_DAYS) expect(CreateTokenInput.parse({ expiresInDays: days }).expiresInDays).toBe(days);
    expect(CreateTokenInput.parse({ expiresInDays: "30" }).expiresInDays).toBe(30);
    expect(problems(CreateTokenInput, { expiresInDays: 45 }).expiresInDays).toMatch(/7, 30, 90, 365 days/);
  });

  it("issues a token from credentials with an optional label", () => {
    expect(IssueTokenInput.parse({ email: "A@B.org", password: "pw" })).toEqual({
      email: "a@b.org",
      password: "pw",
      expiresInDays: 90,
    });
    expect(IssueTokenInput.parse({ email: "a@b.org", password: "pw", label: " laptop " }).label).toBe("laptop");
  });
});

describe("workspace input", () => {
  it("accepts exactly the roles observer, contributor and lead", () => {
    expect(role.options).toEqual(["observer", "contributor", "lead"]);
    for (const r of ["observer", "contributor", "lead"]) {
      expect(ChangeRoleInput.parse({ role: r })).toEqual({ role: r });
      expect(CreateInvitationInput.parse({ role: r })).toEqual({ role: r });
    }
  });

  it("refuses any other role with a message listing the roles", () => {
    for (const r of ["admin", "Lead", "", undefined]) {
      expect(problems(ChangeRoleInput, { role: r }).role, String(r)).toBe("Choose a role: observer, contributor, lead.");
    }
  });

  it("trims a workspace name, refuses a blank one and defaults the description to empty", () => {
    expect(CreateWorkspaceInput.parse({ name: "  Lipid consortium " })).toEqual({ name: "Lipid consortium", description: "" });
    expect(problems(CreateWorkspaceInput, { name: "  " }).name).toBe("Give the workspace a name.");
    expect(problems(CreateWorkspaceInput, { name: "x".repeat(121) }).name).toMatch(/120/);
  });

  it("reads the events query from strings, with defaults and bounds", () => {
    expect(EventsQuery.parse({})).toEqual({ after: 0, limit: 100 });
    expect(EventsQuery.parse({ after: "17", limit: "5" })).toEqual({ after: 17, limit: 5 });
    expect(problems(EventsQuery, { limit: "0" }).limit).toBeDefined();
    expect(problems(EventsQuery, { limit: "1001" }).limit).toBeDefined();
    expect(problems(EventsQuery, { after: "-1" }).after).toBeDefined();
    expect(problems(EventsQuery, { limit: "many" }).limit).toBe("limit must be a number.");
  });
});
