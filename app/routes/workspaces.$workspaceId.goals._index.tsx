import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { MilestoneFields } from "#app/components/goals/metric-fields.tsx";
import { ProgressBar, StatusBadge } from "#app/components/goals/progress.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField, TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Card, EmptyState, Notice } from "#app/components/ui/notice.tsx";
import { GOAL_STATUS_LABELS, GOAL_STATUSES } from "#app/domain/goals.ts";
import { nestFormData } from "#app/http/form-data.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { hasMilestone, milestoneFromForm } from "#app/http/goal-form-input.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { createGoal, listGoals } from "#app/services/goals.server.ts";
import { listMembers } from "#app/services/members.server.ts";
import { useWorkspace } from "#app/realtime/workspace-context.tsx";
import { useLiveGoals } from "#app/realtime/use-live-goals.ts";
import { milestoneNeedsMeasuring } from "#app/realtime/patches/goals.ts";
import { either, family, researchData, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => ({
    goals: await listGoals(user, params.workspaceId!),
    members: (await listMembers(user, params.workspaceId!)).map((m) => ({ userId: m.userId, name: m.name })),
    me: user.id,
  }));
}

/** Goal edits and ticks patch the list; new goals and key results, the data computed key results count, and the roster reload it. */
export const shouldRevalidate = revalidateOnLiveEvents(
  either(family("goal.created", "goal.milestone_added"), milestoneNeedsMeasuring, researchData, family("member.joined", "member.removed")),
);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = await request.formData();
  const input = nestFormData(form.entries());
  return handleFormAction(
    async () => {
      const goal = await createGoal(user, params.workspaceId!, {
        title: input.title,
        description: input.description,
        ownerId: input.ownerId || null,
        dueDate: input.dueDate || null,
        status: input.status,
        milestones: hasMilestone(input.milestone) ? [milestoneFromForm(input.milestone)] : [],
      });
      throw redirect(`/workspaces/${params.workspaceId}/goals/${goal.id}`);
    },
    "create",
    Object.fromEntries(form),
  );
}

export default function Goals() {
  const { goals: loaded, members, me } = useLoaderData<typeof loader>();
  const goals = useLiveGoals(loaded);
  const { workspace } = useWorkspace();
  const isLead = workspace?.role === "lead";
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
      <section aria-labelledby="goals-heading">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="goals-heading" className="text-xl font-semibold">
            Goals
          </h2>
          <Link to="../dashboard" relative="path" className="text-sm text-brand-700 underline">
            Open the dashboard
          </Link>
        </div>
        {goals.length === 0 ? (
          <div className="mt-4">
            <EmptyState title="No shared goals yet">
              Goals have milestones and key results; some count themselves from the workspace’s data (“studies with results: 3 / 5”).{" "}
              {isLead ? "Set the first one with the form." : "The workspace’s leads set them."}
            </EmptyState>
          </div>
        ) : (
          <ul className="mt-4 space-y-3">
            {goals.map((g) => (
              <li key={g.id}>
                <Link to={g.id} className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-brand-300">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className="font-medium">{g.title}</span>
                    <StatusBadge status={g.status} overdue={g.overdue} />
                  </div>
                  <p className="mt-1 text-xs text-slate-500">
                    {g.dueDate ? `Due ${g.dueDate}` : "No due date"} · {g.owner ? `owner ${g.owner.name}` : "no owner"}
                    {g.owner?.id === me ? " (you)" : ""} · {g.milestones.length} milestone{g.milestones.length === 1 ? "" : "s"}
                  </p>
                  <div className="mt-2">
                    <ProgressBar progress={g.progress} label={`Progress of ${g.title}`} />
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      {isLead ? (
        <Card className="h-fit">
          <h3 className="text-lg font-semibold">New goal</h3>
          <Form method="post" className="mt-4 space-y-3" noValidate>
            {result?.formError ? <Notice tone="error">{result.formError}</Notice> : null}
            <TextField label="Title" name="title" required defaultValue={result?.values?.title} error={result?.fieldErrors.title} />
            <TextAreaField
              label="Description"
              name="description"
              rows={3}
              defaultValue={result?.values?.description}
              error={result?.fieldErrors.description}
            />
            <div className="grid gap-3 sm:grid-cols-2">
              <SelectField
                label="Owner"
                name="ownerId"
                defaultValue={result?.values?.ownerId ?? me}
                options={[{ value: "", label: "Nobody yet" }, ...members.map((m) => ({ value: m.userId, label: m.name }))]}
                error={result?.fieldErrors.ownerId}
              />
              <TextField
                label="Due date"
                name="dueDate"
                type="date"
                defaultValue={result?.values?.dueDate}
                error={result?.fieldErrors.dueDate}
              />
            </div>
            <SelectField
              label="Status"
              name="status"
              defaultValue={result?.values?.status ?? "on_track"}
              options={GOAL_STATUSES.map((s) => ({ value: s, label: GOAL_STATUS_LABELS[s] }))}
            />
            <fieldset className="rounded-md border border-slate-200 p-3">
              <legend className="px-1 text-sm font-medium text-slate-700">First milestone (optional)</legend>
              <MilestoneFields
                prefix="milestone."
                members={members}
                errors={result?.fieldErrors ?? {}}
                errorPrefix="milestones.0."
                values={result?.values}
              />
            </fieldset>
            <Button disabled={busy}>{busy ? "Creating…" : "Create goal"}</Button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
