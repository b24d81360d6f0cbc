/** One line of plain language per event, for the activity feed and the CSV export. */
import { EVENT_TYPES, type PublicEvent } from "./events.ts";

const text = (value: unknown) => (typeof value === "string" ? value : "");

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
    default:
      return EVENT_TYPES[event.type] ?? event.type;
  }
}

/** Times are shown in UTC so every member of an international consortium reads the same clock. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
