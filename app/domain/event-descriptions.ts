/** One line of plain language per event, for the activity feed and the CSV export. */
import { EVENT_TYPES, type PublicEvent } from "./events.ts";

const text = (value: unknown) => (typeof value === "string" ? value : "");
const num = (value: unknown) => (typeof value === "number" ? String(value) : "?");

export function describeEvent(event: PublicEvent): string {
  const p = event.payload;
  switch (event.type) {
    case "workspace.created":
      return `created the workspace “${text(p.name)}”`;
    case "workspace.updated":
      return "updated the workspace name or description";
    case "invitation.created":
      return `created an invitation link for a new ${text(p.role)}`;
    case "invitation.revoked":
      return `withdrew an invitation link for a ${text(p.role)}`;
    case "member.joined":
      return `joined as ${text(p.role)}`;
    case "member.role_changed":
      return `changed ${text(p.name)}’s role from ${text(p.before)} to ${text(p.after)}`;
    case "member.removed":
      return `removed ${text(p.name)} (${text(p.role)}) from the workspace`;
    case "panel.created":
      return `created the biomarker panel “${text(p.panel) || text(p.name)}”`;
    case "panel.updated":
      return describePanelUpdate(p);
    case "panel.imported":
      return `imported a data dictionary into “${text(p.panel)}” (${list(p.added).length} added, ${list(p.updated).length} changed, ${list(p.removed).length} removed)`;
    case "study.created":
      return `created the study “${text(p.title)}”`;
    case "study.updated":
      return `edited the study “${text((p.after as Record<string, unknown> | undefined)?.title)}” (version ${String(p.version ?? "")})`;
    case "result.created":
      return `added a result for ${text(p.study)}: ${text(p.intervention)} vs ${text(p.comparator)}${p.subgroup ? ` in ${text(p.subgroup)}` : ""}`;
    case "result.updated":
      return `edited a result (now version ${String(p.version ?? "")})`;
    case "profile.created":
      return `created the patient profile “${text(p.name)}”: ${text(p.criteria)}`;
    case "profile.updated":
      return `edited the patient profile “${text((p.after as Record<string, unknown> | undefined)?.name)}” (version ${String(p.version ?? "")})`;
    case "result.mapped":
      return p.after
        ? `mapped the result${p.subgroup ? ` for “${text(p.subgroup)}”` : ""} to the profile “${text(p.profile)}”`
        : `unmapped the result${p.subgroup ? ` for “${text(p.subgroup)}”` : ""} from its profile`;
    case "dataset.imported": {
      const conversions = Array.isArray(p.conversions) ? p.conversions.length : 0;
      return `imported version ${String(p.version ?? "")} of the dataset “${text(p.name)}” (${String(p.rowCount ?? 0)} rows${conversions ? `, ${conversions} ${conversions === 1 ? "column" : "columns"} converted to the panel's units` : ""})`;
    }
    case "comment.created": {
      const comment = (p.comment ?? {}) as { parentId?: string | null; target?: { type?: string } };
      return `${comment.parentId ? "replied in a thread" : "commented"} on a ${text(comment.target?.type)}`;
    }
    case "comment.edited":
      return "edited their comment";
    case "comment.deleted":
      return "deleted a comment (its text stays in this trail)";
    case "comment.resolved":
      return "resolved a thread";
    case "comment.reopened":
      return "reopened a thread";
    case "goal.created":
      return `created the goal “${text(p.title)}”`;
    case "goal.updated": {
      const before = (p.before ?? {}) as Record<string, unknown>;
      const after = (p.after ?? {}) as Record<string, unknown>;
      if (before.status !== after.status) return `set the goal “${text(after.title)}” to ${text(after.status).replace("_", " ")}`;
      return `edited the goal “${text(after.title)}”`;
    }
    case "goal.milestone_added":
      return `added the milestone “${text(p.title)}” to “${text(p.goal)}”`;
    case "goal.milestone_updated": {
      const after = (p.after ?? {}) as Record<string, unknown>;
      if (after.done === true && (p.before as Record<string, unknown> | undefined)?.done === false) return `ticked the milestone “${text(after.title)}”`;
      return `updated the milestone “${text(after.title)}”`;
    }
    case "protocol.created":
      return `created the protocol “${text(p.title)}”`;
    case "protocol.version_added":
      return `saved version ${num(p.version)} of “${text(p.title)}”${text(p.note) ? `: ${text(p.note)}` : ""}`;
    case "protocol.updated":
      return describeProtocolUpdate(p);
    case "protocol.forked":
      return p.direction === "in"
        ? `forked “${text(p.title)}” into this workspace from another workspace`
        : `forked version ${num(p.version)} of “${text(p.title)}” into another workspace`;
    default:
      return EVENT_TYPES[event.type] ?? event.type;
  }
}

function describeProtocolUpdate(p: Record<string, unknown>): string {
  const before = (p.before ?? {}) as Record<string, unknown>;
  const after = (p.after ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (after.title !== undefined) parts.push(`renamed “${text(before.title)}” to “${text(after.title)}”`);
  if (after.status === "approved") parts.push(`approved version ${num(p.version)} of “${text(p.title)}”`);
  else if (after.status !== undefined) parts.push(`changed “${text(p.title)}” from ${text(before.status)} to ${text(after.status)}`);
  return parts.join(" and ") || "changed a protocol";
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function describePanelUpdate(p: Record<string, unknown>): string {
  const panel = `“${text(p.panel)}”`;
  const code = text((p.biomarker as { code?: unknown } | undefined)?.code);
  switch (p.change) {
    case "biomarker_added":
      return `added ${code} to the panel ${panel}`;
    case "biomarker_updated":
      return `changed ${code} in the panel ${panel} (${list(p.fields).join(", ")})`;
    case "biomarker_removed":
      return `removed ${code} from the panel ${panel}`;
    default:
      return `edited the name or description of the panel ${panel}`;
  }
}

/** Times are shown in UTC so every member of an international consortium reads the same clock. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
