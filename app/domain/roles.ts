/**
 * Workspace roles. observer reads and comments; contributor also creates and
 * edits resources; lead also manages members, goals and workspace settings.
 */
export const ROLES = ["observer", "contributor", "lead"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { observer: 0, contributor: 1, lead: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** True when `role` grants at least what `minimum` grants. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  observer: "Reads everything and comments",
  contributor: "Also creates and edits protocols, panels, studies and results",
  lead: "Also manages members, goals and workspace settings",
};
