import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { EventList } from "#app/components/event-list.tsx";
import { HealthPanel } from "#app/components/goals/health-panel.tsx";
import { measurementText, ProgressBar, StatusBadge } from "#app/components/goals/progress.tsx";
import { DueTimeline } from "#app/components/goals/timeline.tsx";
import { Card, EmptyState } from "#app/components/ui/notice.tsx";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getDashboard } from "#app/services/dashboard.server.ts";
import { useLiveGoals } from "#app/realtime/use-live-goals.ts";
import { milestoneNeedsMeasuring } from "#app/realtime/patches/goals.ts";
import { either, family, researchData, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => await getDashboard(user, params.workspaceId!));
}

/** Goal edits and ticks patch the goals; the workspace's health and activity follow its data and reload. */
export const shouldRevalidate = revalidateOnLiveEvents(
  either(family("goal.created", "goal.milestone_added"), milestoneNeedsMeasuring, researchData, family("member.joined", "member.removed")),
);

export default function Dashboard() {
  const { goals: loaded, health, recentActivity, today } = useLoaderData<typeof loader>();
  const goals = useLiveGoals(loaded, today);
  const api = `/api/v1/workspaces/${useParams().workspaceId}`;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 className="text-xl font-semibold">Dashboard</h2>
        <p className="flex gap-4 text-sm">
          <a className="text-brand-700 underline" href={`${api}/goals.csv`} download>
            Goals as CSV
          </a>
          <a className="text-brand-700 underline" href={`${api}/goals.ics`} download>
            Due dates as calendar (.ics)
          </a>
        </p>
      </div>

      <section aria-labelledby="dashboard-goals" className="space-y-3">
        <h3 id="dashboard-goals" className="font-semibold">
          Goals
        </h3>
        {goals.length === 0 ? (
          <EmptyState
            title="No goals yet"
            action={
              <Link className="text-brand-700 underline" to="../goals" relative="path">
                Set goals
              </Link>
            }
          >
            Leads set shared goals with milestones; their progress shows here.
          </EmptyState>
        ) : (
          <ol className="space-y-3">
            {goals.map((g) => (
              <li key={g.id} className="rounded-lg border border-slate-200 bg-white p-4">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Link to={`../goals/${g.id}`} relative="path" className="font-medium text-slate-900 hover:underline">
                    {g.title}
                  </Link>
                  <StatusBadge status={g.status} overdue={g.overdue} />
                </div>
                <p className="mt-1 text-xs text-slate-500">
                  {g.dueDate ? `Due ${g.dueDate}${g.dueSoon ? " (within a week)" : ""}` : "No due date"}
                  {g.owner ? ` · owner ${g.owner.name}` : ""}
                </p>
                <div className="mt-2">
                  <ProgressBar progress={g.progress} label={`Progress of ${g.title}`} />
                </div>
                {g.milestones.length ? (
                  <ul className="mt-2 space-y-1 text-xs text-slate-600">
                    {g.milestones.map((m) => (
                      <li key={m.id} className="flex justify-between gap-3">
                        <span>{m.title}</span>
                        <span className="tabular-nums" data-testid={`milestone-${m.id}`}>
                          {measurementText(m)}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        {goals.length ? (
          <Card>
            <h4 className="text-sm font-semibold">Due dates</h4>
            <div className="mt-2">
              <DueTimeline goals={goals} today={today} />
            </div>
          </Card>
        ) : null}
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <HealthPanel health={health} />
        <section aria-labelledby="dashboard-activity" className="space-y-3">
          <div className="flex items-baseline justify-between">
            <h3 id="dashboard-activity" className="font-semibold">
              Recent activity
            </h3>
            <Link to="../activity" relative="path" className="text-sm text-brand-700 underline">
              All activity
            </Link>
          </div>
          {recentActivity.length ? (
            <EventList events={recentActivity} />
          ) : (
            <p className="text-sm text-slate-600">Nothing has happened yet.</p>
          )}
        </section>
      </div>
    </div>
  );
}
