/**
 * The event vocabulary: every change the app records, shared by the server
 * (which writes them) and the browser (which shows and applies them).
 * Adding a kind of change means adding a line here first.
 */
export const EVENT_TYPES = {
  "user.registered": "signed up",
  "user.renamed": "changed their name",
  "user.password_changed": "changed their password",
  "token.created": "created an access token",
  "token.revoked": "revoked an access token",
  "workspace.created": "created the workspace",
  "workspace.updated": "updated the workspace settings",
  "invitation.created": "created an invitation",
  "invitation.revoked": "revoked an invitation",
  "member.joined": "joined the workspace",
  "member.role_changed": "changed a member's role",
  "member.removed": "removed a member",
  "audit.exported": "exported the audit trail",
  "workspace.exported": "exported the whole workspace",
  "protocol.created": "created a protocol",
  "protocol.version_added": "saved a new protocol version",
  "protocol.updated": "changed a protocol's title or status",
  "protocol.forked": "forked a protocol",
  "panel.created": "created a biomarker panel",
  "panel.updated": "edited a biomarker panel",
  "panel.imported": "imported a data dictionary into a panel",
  "study.created": "created a study",
  "study.updated": "edited a study",
  "dataset.imported": "imported a dataset",
  "result.created": "added a result",
  "result.updated": "edited a result",
  "result.mapped": "mapped a result to a patient profile",
  "profile.created": "created a patient profile",
  "profile.updated": "edited a patient profile",
  "comment.created": "commented",
  "comment.edited": "edited a comment",
  "comment.deleted": "deleted a comment",
  "comment.resolved": "resolved a thread",
  "comment.reopened": "reopened a thread",
  "goal.created": "created a goal",
  "goal.updated": "edited a goal",
  "goal.milestone_added": "added a milestone to a goal",
  "goal.milestone_updated": "updated a milestone",
} as const;

export type EventType = keyof typeof EVENT_TYPES;

export function isEventType(value: unknown): value is EventType {
  return typeof value === "string" && Object.hasOwn(EVENT_TYPES, value);
}

/** An event as the API and the live channel carry it. */
export interface PublicEvent {
  id: string;
  workspaceId: string | null;
  type: EventType;
  actor: { id: string; name: string };
  target: { type: string; id: string };
  payload: Record<string, unknown>;
  createdAt: string;
}
