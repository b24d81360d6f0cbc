/**
 * The one place that decides what a user may do in a workspace, from their
 * membership row. Non-members get 404, so a workspace's existence is not leaked.
 */
import { and, eq } from "drizzle-orm";
import { getDb, type Transaction } from "#db/client.ts";
import { memberships } from "#db/schema.ts";
import { roleAtLeast, type Role } from "#app/domain/roles.ts";
import { forbidden, notFound } from "./errors.server.ts";

export async function findMembership(workspaceId: string, userId: string, tx: Transaction | ReturnType<typeof getDb> = getDb()) {
  return (
    await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
  )[0];
}

const NEEDS: Record<Role, string> = {
  observer: "a member",
  contributor: "a contributor or a lead",
  lead: "a lead",
};

/** The caller's role in the workspace, when it is at least `minimum`; else 404 or 403. */
export async function requireWorkspaceRole(userId: string, workspaceId: string, minimum: Role, tx?: Transaction): Promise<Role> {
  const membership = await findMembership(workspaceId, userId, tx);
  if (!membership) throw notFound("No workspace with this id, or you are not a member of it.");
  if (!roleAtLeast(membership.role, minimum)) {
    throw forbidden(
      `Only ${NEEDS[minimum]} of this workspace may do this; you are ${membership.role === "observer" ? "an observer" : `a ${membership.role}`}.`,
    );
  }
  return membership.role;
}
