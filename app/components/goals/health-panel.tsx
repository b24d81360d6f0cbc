import { Link } from "@remix-run/react";
import { formatUtc } from "#app/domain/event-descriptions.ts";

interface Health {
  studies: number;
  studiesWithoutData: { id: string; title: string }[];
  datasetsWithProblems: { id: string; name: string; studyId: string; columns: string[] }[] | null;
  profilesNoDatasetCanEvaluate: { id: string; name: string }[] | null;
  openCommentThreads: number | null;
  activeMembers: { userId: string; name: string; role: string; changes: number; lastActiveAt: string | null }[];
  activeWindowDays: number;
}

function Row({ label, value, children }: { label: string; value: string; children?: React.ReactNode }) {
  return (
    <li className="px-4 py-3">
      <div className="flex items-baseline justify-between gap-3">
        <span className="text-sm">{label}</span>
        <span className="text-sm font-semibold tabular-nums">{value}</span>
      </div>
      {children}
    </li>
  );
}

const NOT_YET = "not available yet";

/** What needs attention in the workspace, each count with links to the things it counts. */
export function HealthPanel({ health }: { health: Health }) {
  const { studiesWithoutData: bare, datasetsWithProblems: datasets, profilesNoDatasetCanEvaluate: profiles } = health;
  return (
    <section aria-labelledby="dashboard-health" className="space-y-3">
      <h3 id="dashboard-health" className="font-semibold">
        Workspace health
      </h3>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        <Row label="Studies without data (no results or datasets)" value={`${bare.length} of ${health.studies}`}>
          {bare.length ? (
            <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs">
              {bare.map((s) => (
                <li key={s.id}>
                  <Link className="inline-block py-1 text-brand-700 underline" to={`../studies/${s.id}`} relative="path">
                    {s.title}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
        </Row>
        <Row label="Datasets with unmapped or unconvertible columns" value={datasets ? String(datasets.length) : NOT_YET}>
          {datasets?.length ? (
            <ul className="mt-1 space-y-1 text-xs">
              {datasets.map((d) => (
                <li key={d.id}>
                  <Link className="inline-block py-1 text-brand-700 underline" to={`../studies/${d.studyId}`} relative="path">
                    {d.name}
                  </Link>{" "}
                  <span className="text-slate-500">({d.columns.join(", ")})</span>
                </li>
              ))}
            </ul>
          ) : null}
        </Row>
        <Row label="Patient profiles no dataset can evaluate" value={profiles ? String(profiles.length) : NOT_YET}>
          {profiles?.length ? <p className="mt-1 text-xs text-slate-600">{profiles.map((p) => p.name).join(", ")}</p> : null}
        </Row>
        <Row label="Open comment threads" value={health.openCommentThreads === null ? NOT_YET : String(health.openCommentThreads)} />
        <Row
          label={`Active in the last ${health.activeWindowDays} days`}
          value={`${health.activeMembers.filter((m) => m.changes > 0).length} of ${health.activeMembers.length}`}
        >
          <ul className="mt-1 space-y-0.5 text-xs text-slate-600">
            {health.activeMembers.map((m) => (
              <li key={m.userId} className="flex justify-between gap-3">
                <span>
                  {m.name} <span className="text-slate-500">({m.role})</span>
                </span>
                <span>
                  {m.lastActiveAt ? `${m.changes} change${m.changes === 1 ? "" : "s"}, last ${formatUtc(m.lastActiveAt)}` : "no changes"}
                </span>
              </li>
            ))}
          </ul>
        </Row>
      </ul>
    </section>
  );
}
