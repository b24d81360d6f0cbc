/**
 * One line of plain language per event, for the activity feed and the CSV export.
 * `switch (event.type)` narrows the payload to its type (see EventPayloads);
 * text() and num() still guard each value, because the trail keeps events
 * written before a field was added.
 */
import { EVENT_TYPES, type EventPayloads, type PublicEvent } from "./events.ts";

const text = (value: unknown) => (typeof value === "string" ? value : "");
const num = (value: unknown) => (typeof value === "number" ? String(value) : "?");

export function describeEvent(event: PublicEvent): string {
  switch (event.type) {
    case "workspace.created":
      return `created the workspace “${text(event.payload.name)}”`;
    case "workspace.updated":
      return "updated the workspace name or description";
    case "invitation.created":
      return `created an invitation link for a new ${text(event.payload.role)}`;
    case "invitation.revoked":
      return `withdrew an invitation link for a ${text(event.payload.role)}`;
    case "member.joined":
      return `joined as ${text(event.payload.role)}`;
    case "member.role_changed": {
      const p = event.payload;
      return `changed ${text(p.name)}’s role from ${text(p.before)} to ${text(p.after)}`;
    }
    case "member.removed":
      return `removed ${text(event.payload.name)} (${text(event.payload.role)}) from the workspace`;
    case "panel.created":
      return `created the biomarker panel “${text(event.payload.name)}”`;
    case "panel.updated":
      return describePanelUpdate(event.payload);
    case "panel.imported": {
      const p = event.payload;
      return `imported a data dictionary into “${text(p.panel)}” (${list(p.added).length} added, ${list(p.updated).length} changed, ${list(p.removed).length} removed)`;
    }
    case "site_summary.uploaded": {
      const p = event.payload;
      return `uploaded the site summary “${text(p.site)}” (version ${num(p.version)}) to “${text(p.study)}”: ${num(p.rows)} rows summarised at the site, ${num(p.withheld)} small cells withheld`;
    }
    case "study.created":
      return `created the study “${text(event.payload.title)}”`;
    case "study.updated":
      return `edited the study “${text(event.payload.after?.title)}” (version ${String(event.payload.version ?? "")})`;
    case "result.created": {
      const p = event.payload;
      return `added a result for ${text(p.study)}: ${text(p.intervention)} vs ${text(p.comparator)}${p.subgroup ? ` in ${text(p.subgroup)}` : ""}`;
    }
    case "result.updated":
      return `edited a result (now version ${String(event.payload.version ?? "")})`;
    case "profile.created":
      return `created the patient profile “${text(event.payload.name)}”: ${text(event.payload.criteria)}`;
    case "profile.updated":
      return `edited the patient profile “${text(event.payload.after?.name)}” (version ${String(event.payload.version ?? "")})`;
    case "snapshot.created":
      return `froze snapshot ${num(event.payload.number)} “${text(event.payload.title)}” (SHA-256 ${text(event.payload.hash).slice(0, 12)}…)`;
    case "snapshot.withdrawn":
      return `withdrew snapshot ${num(event.payload.number)} “${text(event.payload.title)}”: ${text(event.payload.reason)}`;
    case "registration.created":
      return `pre-registered “${text(event.payload.title)}” (registration ${num(event.payload.number)}, ${num(event.payload.profiles)} profiles, SHA-256 ${text(event.payload.hash).slice(0, 12)}…)`;
    case "result.mapped": {
      const p = event.payload;
      return p.after
        ? `mapped the result${p.subgroup ? ` for “${text(p.subgroup)}”` : ""} to the profile “${text(p.profile)}”`
        : `unmapped the result${p.subgroup ? ` for “${text(p.subgroup)}”` : ""} from its profile`;
    }
    case "dataset.imported": {
      const p = event.payload;
      const conversions = Array.isArray(p.conversions) ? p.conversions.length : 0;
      return `imported version ${String(p.version ?? "")} of the dataset “${text(p.name)}” (${String(p.rowCount ?? 0)} rows${conversions ? `, ${conversions} ${conversions === 1 ? "column" : "columns"} converted to the panel's units` : ""})`;
    }
    case "comment.created": {
      const comment = event.payload.comment;
      return `${comment?.parentId ? "replied in a thread" : "commented"} on a ${text(comment?.target?.type)}`;
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
      return `created the goal “${text(event.payload.title)}”`;
    case "goal.updated": {
      const { before, after } = event.payload;
      if (before?.status !== after?.status) return `set the goal “${text(after?.title)}” to ${text(after?.status).replace("_", " ")}`;
      return `edited the goal “${text(after?.title)}”`;
    }
    case "goal.milestone_added":
      return `added the milestone “${text(event.payload.title)}” to “${text(event.payload.goal)}”`;
    case "goal.milestone_updated": {
      const { before, after } = event.payload;
      if (after?.done === true && before?.done === false) return `ticked the milestone “${text(after.title)}”`;
      return `updated the milestone “${text(after?.title)}”`;
    }
    case "protocol.created":
      return `created the protocol “${text(event.payload.title)}”`;
    case "protocol.version_added": {
      const p = event.payload;
      return `saved version ${num(p.version)} of “${text(p.title)}”${text(p.note) ? `: ${text(p.note)}` : ""}`;
    }
    case "protocol.updated":
      return describeProtocolUpdate(event.payload);
    case "protocol.draft_edited":
      return `edited the live draft of “${text(event.payload.title)}” (since version ${num(event.payload.sinceVersion)})`;
    case "protocol.forked": {
      const p = event.payload;
      return p.direction === "in"
        ? `forked “${text(p.title)}” into this workspace from another workspace`
        : `forked version ${num(p.version)} of “${text(p.title)}” into another workspace`;
    }
    default:
      return EVENT_TYPES[event.type] ?? event.type;
  }
}

function describeProtocolUpdate(p: EventPayloads["protocol.updated"]): string {
  const before = p.before ?? {};
  const after = p.after ?? {};
  const parts: string[] = [];
  if (after.title !== undefined) parts.push(`renamed “${text(before.title)}” to “${text(after.title)}”`);
  if (after.status === "approved") parts.push(`approved version ${num(p.version)} of “${text(p.title)}”`);
  else if (after.status !== undefined) parts.push(`changed “${text(p.title)}” from ${text(before.status)} to ${text(after.status)}`);
  return parts.join(" and ") || "changed a protocol";
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function describePanelUpdate(p: EventPayloads["panel.updated"]): string {
  const panel = `“${text(p.panel)}”`;
  switch (p.change) {
    case "biomarker_added":
      return `added ${text(p.biomarker?.code)} to the panel ${panel}`;
    case "biomarker_updated":
      return `changed ${text(p.biomarker?.code)} in the panel ${panel} (${list(p.fields).join(", ")})`;
    case "biomarker_removed":
      return `removed ${text(p.biomarker?.code)} from the panel ${panel}`;
    default:
      return `edited the name or description of the panel ${panel}`;
  }
}

/** Times are shown in UTC so every member of an international consortium reads the same clock. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
