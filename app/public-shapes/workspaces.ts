/** How the API writes workspaces, members, invitations and the audit trail. */
import type { z } from "zod";
import type { PublicEvent } from "#app/domain/events.ts";
import type { Role } from "#app/domain/roles.ts";
import type {
  AcceptedInvitationJson,
  CreatedInvitationJson,
  EventJson,
  EventListJson,
  InvitationJson,
  MemberJson,
  WorkspaceJson,
} from "#app/schemas/workspaces.ts";

export interface WorkspaceView {
  id: string;
  name: string;
  description: string;
  role: Role;
  createdAt: Date;
}

export interface MemberView {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

/** A pending invitation, with the name of the lead who made it. */
export interface InvitationView {
  id: string;
  role: Role;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
}

/** An invitation just made: the only time its token is shown. */
export interface CreatedInvitation {
  id: string;
  token: string;
  role: Role;
  expiresAt: Date;
}

export const workspaceJson = (w: WorkspaceView): z.output<typeof WorkspaceJson> => ({
  id: w.id,
  name: w.name,
  description: w.description,
  role: w.role,
  createdAt: w.createdAt.toISOString(),
});

export const memberJson = (m: MemberView): z.output<typeof MemberJson> => ({
  userId: m.userId,
  name: m.name,
  email: m.email,
  role: m.role,
  joinedAt: m.joinedAt.toISOString(),
});

export const invitationJson = (i: InvitationView): z.output<typeof InvitationJson> => ({
  id: i.id,
  role: i.role,
  createdBy: i.createdBy,
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
});

/** The link a lead shares, on our public origin (never the Host the request named). */
export function invitationUrl(publicOrigin: string, token: string): string {
  return new URL(`/invitations/${token}`, publicOrigin).toString();
}

export const createdInvitationJson = (i: CreatedInvitation, publicOrigin: string): z.output<typeof CreatedInvitationJson> => ({
  id: i.id,
  token: i.token,
  url: invitationUrl(publicOrigin, i.token),
  role: i.role,
  expiresAt: i.expiresAt.toISOString(),
});

export const acceptedInvitationJson = (a: { workspaceId: string; role: Role }): z.output<typeof AcceptedInvitationJson> => ({
  workspaceId: a.workspaceId,
  role: a.role,
});

/** Events are kept in their public shape already (app/domain/events.ts); this only checks it against the contract. */
export const eventJson = (e: PublicEvent): z.output<typeof EventJson> => e;

export const eventPageJson = (page: { items: PublicEvent[]; nextCursor: string | null }): z.output<typeof EventListJson> => ({
  items: page.items.map(eventJson),
  nextCursor: page.nextCursor,
});
