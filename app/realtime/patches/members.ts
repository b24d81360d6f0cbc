/**
 * Membership events applied to what pages hold: the workspace layout's roster
 * (for @mentions and the caller's role) and the members page's table. Pure, so
 * each rule is tested without a browser.
 */
import type { PublicEvent } from "#app/domain/events.ts";
import type { Role } from "#app/domain/roles.ts";

interface Member {
  userId: string;
  name: string;
  role: Role;
}

type Joined = Extract<PublicEvent, { type: "member.joined" }>;

/**
 * A member list after a membership event: a role changed, someone removed,
 * someone joined (when `joiner` builds the row the list needs from the event;
 * a list that needs more than the event carries reloads instead). Answers
 * `members` itself when nothing changed.
 */
export function patchMembers<M extends Member>(members: M[], event: PublicEvent, joiner?: (event: Joined) => M): M[] {
  const userId = event.target.id;
  switch (event.type) {
    case "member.role_changed": {
      const index = members.findIndex((m) => m.userId === userId);
      if (index === -1 || members[index].role === event.payload.after) return members;
      const next = members.slice();
      next[index] = { ...members[index], role: event.payload.after };
      return next;
    }
    case "member.removed":
      return members.some((m) => m.userId === userId) ? members.filter((m) => m.userId !== userId) : members;
    case "member.joined": {
      if (!joiner || members.some((m) => m.userId === userId)) return members;
      return [...members, joiner(event)].sort((a, b) => a.name.localeCompare(b.name));
    }
    default:
      return members;
  }
}

interface WorkspaceLayoutData {
  workspace: { id: string; name: string; description: string; role: Role };
  me: { id: string };
  members: Member[];
}

/** The workspace layout's data after an event: its name, its roster, and the caller's own role. */
export function patchWorkspaceLayout<T extends WorkspaceLayoutData>(data: T, event: PublicEvent): T {
  if (event.type === "workspace.updated") {
    const { name, description } = event.payload.after;
    return name === data.workspace.name && description === data.workspace.description
      ? data
      : { ...data, workspace: { ...data.workspace, name, description } };
  }
  const members = patchMembers(data.members, event, (joined) => ({
    userId: joined.target.id,
    name: joined.payload.name,
    role: joined.payload.role,
  }));
  const myRole = event.type === "member.role_changed" && event.target.id === data.me.id ? event.payload.after : data.workspace.role;
  if (members === data.members && myRole === data.workspace.role) return data;
  return { ...data, members, workspace: { ...data.workspace, role: myRole } };
}

interface MembersPageData {
  workspace: { name: string; description: string; role: Role };
  me: string;
  members: Member[];
  invitations: { id: string }[];
}

/**
 * The members page after an event: roles and removals in the table, the
 * caller's own role (which decides what the page offers), the settings, and
 * invitations that were used or revoked. A new member's row needs their email,
 * which the event does not carry: the page reloads for a join.
 */
export function patchMembersPage<T extends MembersPageData>(data: T, event: PublicEvent): T {
  switch (event.type) {
    case "member.role_changed":
    case "member.removed": {
      const members = patchMembers(data.members, event);
      const role = event.type === "member.role_changed" && event.target.id === data.me ? event.payload.after : data.workspace.role;
      return members === data.members && role === data.workspace.role ? data : { ...data, members, workspace: { ...data.workspace, role } };
    }
    case "workspace.updated":
      return { ...data, workspace: { ...data.workspace, ...event.payload.after } };
    case "invitation.revoked":
      return withoutInvitation(data, event.target.id);
    case "member.joined":
      return withoutInvitation(data, event.payload.invitationId);
    default:
      return data;
  }
}

function withoutInvitation<T extends MembersPageData>(data: T, invitationId: string): T {
  return data.invitations.some((i) => i.id === invitationId)
    ? { ...data, invitations: data.invitations.filter((i) => i.id !== invitationId) }
    : data;
}
