/**
 * Membership: the member list, invitation links, role changes and removal.
 * A workspace always keeps at least one lead.
 */
import { and, asc, count, desc, eq, gt, isNull } from "drizzle-orm";
import { getDb, type Transaction } from "#db/client.ts";
import { invitations, memberships, users, workspaces } from "#db/schema.ts";
import { ChangeRoleInput, CreateInvitationInput } from "#app/schemas/workspaces.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { CreatedInvitation, InvitationView, MemberView } from "#app/public-shapes/workspaces.ts";
import { hashSecret, newId, randomSecret } from "./crypto.server.ts";
import { conflict, notFound, unprocessable } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { findMembership, requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";

const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export async function listMembers(actor: PublicUser, workspaceId: string): Promise<MemberView[]> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return await getDb()
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(users.name));
}

export async function createInvitation(
  actor: PublicUser,
  workspaceId: string,
  input: unknown,
  now = new Date(),
): Promise<CreatedInvitation> {
  const token = randomSecret(20);
  return await writeTransaction(async ({ tx, record }) => {
    // Who may act is answered before what they sent: an observer learns nothing about valid input.
    await requireWorkspaceRole(actor.id, workspaceId, "lead", tx);
    const { role } = parseInput(CreateInvitationInput, input);
    const invitation = {
      id: newId(),
      workspaceId,
      tokenHash: hashSecret(token),
      role,
      createdBy: actor.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
    };
    await tx.insert(invitations).values(invitation);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "invitation.created",
      target: { type: "invitation", id: invitation.id },
      payload: { role, expiresAt: invitation.expiresAt.toISOString() },
    });
    return { id: invitation.id, token, role, expiresAt: invitation.expiresAt };
  });
}

/** Invitations of a workspace that can still be accepted. */
export async function listPendingInvitations(actor: PublicUser, workspaceId: string, now = new Date()): Promise<InvitationView[]> {
  await requireWorkspaceRole(actor.id, workspaceId, "lead");
  return await getDb()
    .select({
      id: invitations.id,
      role: invitations.role,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
      createdBy: users.name,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.createdBy))
    .where(
      and(
        eq(invitations.workspaceId, workspaceId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

export async function revokeInvitation(actor: PublicUser, workspaceId: string, invitationId: string): Promise<void> {
  await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "lead", tx);
    const invitation = (
      await tx
        .select()
        .from(invitations)
        .where(and(eq(invitations.id, invitationId), eq(invitations.workspaceId, workspaceId)))
    )[0];
    if (!invitation) throw notFound("No such invitation in this workspace.");
    if (invitation.acceptedAt || invitation.revokedAt) return;
    await tx.update(invitations).set({ revokedAt: new Date() }).where(eq(invitations.id, invitationId));
    await record({
      workspaceId,
      actorId: actor.id,
      type: "invitation.revoked",
      target: { type: "invitation", id: invitationId },
      payload: { role: invitation.role },
    });
  });
}

export type InvitationStatus = "valid" | "expired" | "used" | "revoked";

function invitationStatus(invitation: typeof invitations.$inferSelect, now: Date): InvitationStatus {
  if (invitation.revokedAt) return "revoked";
  if (invitation.acceptedAt) return "used";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

/**
 * What an invitation link leads to, for the page that offers to accept it.
 * The workspace's id is shown only to someone who is already a member.
 */
export async function previewInvitation(viewer: PublicUser | null, token: string, now = new Date()) {
  const row = (
    await getDb()
      .select({ invitation: invitations, workspaceName: workspaces.name, invitedBy: users.name })
      .from(invitations)
      .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
      .innerJoin(users, eq(users.id, invitations.createdBy))
      .where(eq(invitations.tokenHash, hashSecret(token)))
  )[0];
  if (!row) return null;
  const alreadyMember = viewer ? Boolean(await findMembership(row.invitation.workspaceId, viewer.id)) : false;
  return {
    alreadyMember,
    workspaceId: alreadyMember ? row.invitation.workspaceId : null,
    workspaceName: row.workspaceName,
    invitedBy: row.invitedBy,
    role: row.invitation.role,
    expiresAt: row.invitation.expiresAt,
    status: invitationStatus(row.invitation, now),
  };
}

const REFUSALS: Record<Exclude<InvitationStatus, "valid">, string> = {
  expired: "This invitation has expired. Ask a lead of the workspace for a new link.",
  used: "This invitation has already been used. Each link works once; ask a lead for a new one.",
  revoked: "This invitation was withdrawn by a lead of the workspace.",
};

export async function acceptInvitation(actor: PublicUser, token: string, now = new Date()) {
  return await writeTransaction(async ({ tx, record }) => {
    const invitation = (
      await tx
        .select()
        .from(invitations)
        .where(eq(invitations.tokenHash, hashSecret(token)))
    )[0];
    if (!invitation) throw notFound("This invitation link is not valid. Check that you copied all of it.");
    const status = invitationStatus(invitation, now);
    if (status !== "valid") throw unprocessable(REFUSALS[status]);
    const existing = await findMembership(invitation.workspaceId, actor.id, tx);
    if (existing) {
      throw conflict(`You are already a member of this workspace (as ${existing.role}).`, [
        { workspaceId: invitation.workspaceId, role: existing.role },
      ]);
    }
    await tx.update(invitations).set({ acceptedBy: actor.id, acceptedAt: now }).where(eq(invitations.id, invitation.id));
    await tx.insert(memberships).values({ workspaceId: invitation.workspaceId, userId: actor.id, role: invitation.role, createdAt: now });
    await record({
      workspaceId: invitation.workspaceId,
      actorId: actor.id,
      type: "member.joined",
      target: { type: "user", id: actor.id },
      payload: { role: invitation.role, invitationId: invitation.id, name: actor.name },
    });
    return { workspaceId: invitation.workspaceId, role: invitation.role };
  });
}

async function requireMember(tx: Transaction, workspaceId: string, userId: string) {
  const row = (
    await tx
      .select({ role: memberships.role, name: users.name, email: users.email, joinedAt: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
  )[0];
  if (!row) throw notFound("This person is not a member of the workspace.");
  return row;
}

async function assertAnotherLeadRemains(tx: Transaction, workspaceId: string) {
  const leads = (
    await tx
      .select({ n: count() })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "lead")))
  )[0]!.n;
  if (leads <= 1) {
    throw unprocessable("A workspace needs at least one lead. Make someone else a lead first.");
  }
}

export async function changeMemberRole(actor: PublicUser, workspaceId: string, userId: string, input: unknown): Promise<MemberView> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "lead", tx);
    const { role } = parseInput(ChangeRoleInput, input);
    const member = await requireMember(tx, workspaceId, userId);
    if (member.role === role) return { userId, ...member };
    if (member.role === "lead") await assertAnotherLeadRemains(tx, workspaceId);
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
    await record({
      workspaceId,
      actorId: actor.id,
      type: "member.role_changed",
      target: { type: "user", id: userId },
      payload: { name: member.name, before: member.role, after: role },
    });
    return { userId, ...member, role };
  });
}

export async function removeMember(actor: PublicUser, workspaceId: string, userId: string): Promise<void> {
  await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "lead", tx);
    const member = await requireMember(tx, workspaceId, userId);
    if (member.role === "lead") await assertAnotherLeadRemains(tx, workspaceId);
    await tx.delete(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
    await record({
      workspaceId,
      actorId: actor.id,
      type: "member.removed",
      target: { type: "user", id: userId },
      payload: { name: member.name, role: member.role },
    });
  });
}
