import { NavLink } from "@remix-run/react";

const SECTIONS = [
  { to: "", label: "Overview", end: true },
  { to: "dashboard", label: "Dashboard" },
  { to: "protocols", label: "Protocols" },
  { to: "panels", label: "Biomarker panels" },
  { to: "studies", label: "Studies & datasets" },
  { to: "profiles", label: "Profiles" },
  { to: "comparison", label: "Comparison" },
  { to: "effect-modification", label: "Who benefits" },
  { to: "snapshots", label: "Snapshots" },
  { to: "registrations", label: "Pre-registrations" },
  { to: "goals", label: "Goals" },
  { to: "activity", label: "Activity" },
  { to: "members", label: "Members" },
] as const;

/** Phones scroll the row of sections; wider screens wrap it, so no section hides past the edge. */
export function WorkspaceNav({ workspaceId }: { workspaceId: string }) {
  return (
    <nav aria-label="Workspace" className="-mb-px flex gap-1 overflow-x-auto md:flex-wrap md:overflow-visible">
      {SECTIONS.map((s) => (
        <NavLink
          key={s.label}
          to={`/workspaces/${workspaceId}${s.to ? `/${s.to}` : ""}`}
          end={"end" in s ? s.end : false}
          prefetch="intent"
          className={({ isActive }) =>
            `whitespace-nowrap border-b-2 px-3 py-2 text-sm ${
              isActive
                ? "border-brand-600 font-medium text-brand-700"
                : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
            }`
          }
        >
          {s.label}
        </NavLink>
      ))}
    </nav>
  );
}
