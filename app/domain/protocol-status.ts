/**
 * A protocol's life cycle. A lead approves a draft; an approved protocol is
 * superseded when another replaces it. Approval belongs to one version: a new
 * version of an approved protocol is a draft again until a lead approves it.
 */
export const PROTOCOL_STATUSES = ["draft", "approved", "superseded"] as const;
export type ProtocolStatus = (typeof PROTOCOL_STATUSES)[number];

/** Which status may follow which. Withdrawing an approval and reopening a superseded protocol go back to draft. */
const NEXT: Record<ProtocolStatus, readonly ProtocolStatus[]> = {
  draft: ["approved", "superseded"],
  approved: ["superseded", "draft"],
  superseded: ["draft"],
};

export function canChangeStatus(from: ProtocolStatus, to: ProtocolStatus): boolean {
  return NEXT[from].includes(to);
}

export function nextStatuses(from: ProtocolStatus): readonly ProtocolStatus[] {
  return NEXT[from];
}

export const STATUS_LABELS: Record<ProtocolStatus, string> = {
  draft: "Draft",
  approved: "Approved",
  superseded: "Superseded",
};

/** What a lead's button says for a change of status. */
export const STATUS_ACTIONS: Record<ProtocolStatus, Partial<Record<ProtocolStatus, string>>> = {
  draft: { approved: "Approve this version", superseded: "Mark as superseded" },
  approved: { superseded: "Mark as superseded", draft: "Withdraw approval" },
  superseded: { draft: "Reopen as draft" },
};
