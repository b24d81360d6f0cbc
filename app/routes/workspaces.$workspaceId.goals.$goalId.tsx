import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { CommentsPanel } from "#app/components/comments/comments-panel.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { MilestoneFields } from "#app/components/goals/metric-fields.tsx";
import { MilestoneList } from "#app/components/goals/milestone-list.tsx";
import { ProgressBar, StatusBadge } from "#app/components/goals/progress.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField, TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { GOAL_STATUS_LABELS, GOAL_STATUSES } from "#app/domain/goals.ts";
import { nestFormData, numberField } from "#app/http/form-data.ts";
import type { FormFailure } from "#app/domain/form-failure.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { milestoneFromForm } from "#app/http/goal-form-input.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { validationFailed } from "#app/services/errors.server.ts";
import { addMilestone, getGoal, updateGoal, updateMilestone } from "#app/services/goals.server.ts";
import { listMembers } from "#app/services/members.server.ts";
import { useWorkspace } from "#app/realtime/workspace-context.tsx";
import { useLiveGoal } from "#app/realtime/use-live-goals.ts";
import { milestoneNeedsMeasuring } from "#app/realtime/patches/goals.ts";
import { either, family, researchData, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => ({
    goal: await getGoal(user, params.workspaceId!, params.goalId!),
    members: (await listMembers(user, params.workspaceId!)).map((m) => ({ userId: m.userId, name: m.name })),
    me: user.id,
  }));
}

/** Ticks, values and the goal's own edits patch the page; a new key result, a re-defined computed one, the data computed key results count, and the roster (owners) reload it. */
export const shouldRevalidate = revalidateOnLiveEvents(
  either(
    (event, params) => event.type === "goal.milestone_added" && event.payload.goalId === params.goalId,
    milestoneNeedsMeasuring,
    researchData,
    family("member.joined", "member.removed"),
  ),
);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  const goalId = params.goalId!;
  const form = await request.formData();
  const input = nestFormData(form.entries());
  const intent = String(input.intent ?? "");
  const baseVersion = numberField(input.baseVersion);
  return handleFormAction(
    async () => {
      switch (intent) {
        case "edit-goal":
          await updateGoal(user, workspaceId, goalId, {
            baseVersion,
            title: input.title,
            description: input.description,
            ownerId: input.ownerId || null,
            dueDate: input.dueDate || null,
            status: input.status,
          });
          break;
        case "set-status":
          await updateGoal(user, workspaceId, goalId, { baseVersion, status: input.status });
          break;
        case "add-milestone":
          await addMilestone(user, workspaceId, goalId, milestoneFromForm(input));
          break;
        case "tick":
          await updateMilestone(user, workspaceId, goalId, String(input.milestoneId), { baseVersion, done: input.done === "true" });
          break;
        case "set-value":
          await updateMilestone(user, workspaceId, goalId, String(input.milestoneId), { baseVersion, value: numberField(input.value) });
          break;
        default:
          throw validationFailed("Unknown action.");
      }
      return { ok: true as const, intent };
    },
    intent,
    Object.fromEntries(form),
  );
}

export default function GoalPage() {
  const { goal: loaded, members, me } = useLoaderData<typeof loader>();
  const goal = useLiveGoal(loaded);
  const role = useWorkspace().workspace.role;
  const isLead = role === "lead";
  const isOwner = goal.owner?.id === me;
  const result = useActionData<typeof action>();
  const failure = (intent: string) => (result && !result.ok && result.intent === intent ? (result as FormFailure) : undefined);
  const busy = useNavigation().state === "submitting";
  const edit = failure("edit-goal");
  const statusFailure = failure("set-status");
  const added = failure("add-milestone");
  return (
    <div className="space-y-6">
      <div>
        <Link to=".." relative="path" className="text-sm text-brand-700 underline">
          All goals
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h2 className="text-xl font-semibold">{goal.title}</h2>
          <StatusBadge status={goal.status} overdue={goal.overdue} />
        </div>
        <p className="mt-1 text-sm text-slate-600">
          {goal.dueDate ? `Due ${goal.dueDate}` : "No due date"} · {goal.owner ? `owner ${goal.owner.name}` : "no owner"} · version{" "}
          {goal.version}
        </p>
        {goal.description ? <p className="mt-2 max-w-prose whitespace-pre-line text-slate-700">{goal.description}</p> : null}
        <div className="mt-3 max-w-xl">
          <ProgressBar progress={goal.progress} label={`Progress of ${goal.title}`} />
        </div>
      </div>

      <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
        <section aria-labelledby="milestones-heading" className="space-y-3">
          <h3 id="milestones-heading" className="font-semibold">
            Milestones and key results
          </h3>
          <MilestoneList milestones={goal.milestones} me={me} role={role} />
        </section>

        <div className="space-y-6">
          {isLead ? (
            <Card>
              <h3 className="font-semibold">Edit the goal</h3>
              <Form method="post" className="mt-3 space-y-3" noValidate key={goal.version}>
                {edit?.formError ? <Notice tone="error">{edit.formError}</Notice> : null}
                <input type="hidden" name="intent" value="edit-goal" />
                <input type="hidden" name="baseVersion" value={goal.version} />
                <TextField label="Title" name="title" defaultValue={edit?.values.title ?? goal.title} error={edit?.fieldErrors.title} />
                <TextAreaField
                  label="Description"
                  name="description"
                  rows={3}
                  defaultValue={edit?.values.description ?? goal.description}
                />
                <SelectField
                  label="Owner"
                  name="ownerId"
                  defaultValue={edit?.values.ownerId ?? goal.owner?.id ?? ""}
                  options={[{ value: "", label: "Nobody yet" }, ...members.map((m) => ({ value: m.userId, label: m.name }))]}
                  error={edit?.fieldErrors.ownerId}
                />
                <TextField
                  label="Due date"
                  type="date"
                  name="dueDate"
                  defaultValue={edit?.values.dueDate ?? goal.dueDate ?? ""}
                  error={edit?.fieldErrors.dueDate}
                />
                <SelectField
                  label="Status"
                  name="status"
                  defaultValue={edit?.values.status ?? goal.status}
                  options={GOAL_STATUSES.map((s) => ({ value: s, label: GOAL_STATUS_LABELS[s] }))}
                />
                <Button disabled={busy}>Save changes</Button>
              </Form>
            </Card>
          ) : isOwner ? (
            <Card>
              <h3 className="font-semibold">How is it going?</h3>
              <Form method="post" className="mt-3 space-y-3" key={goal.version}>
                {statusFailure?.formError ? <Notice tone="error">{statusFailure.formError}</Notice> : null}
                <input type="hidden" name="intent" value="set-status" />
                <input type="hidden" name="baseVersion" value={goal.version} />
                <SelectField
                  label="Status"
                  name="status"
                  defaultValue={goal.status}
                  options={GOAL_STATUSES.map((s) => ({ value: s, label: GOAL_STATUS_LABELS[s] }))}
                />
                <Button disabled={busy}>Update status</Button>
              </Form>
            </Card>
          ) : null}

          {isLead ? (
            <Card>
              <h3 className="font-semibold">Add a milestone</h3>
              <Form method="post" className="mt-3 space-y-3" noValidate>
                {added?.formError ? <Notice tone="error">{added.formError}</Notice> : null}
                <input type="hidden" name="intent" value="add-milestone" />
                <MilestoneFields members={members} errors={added?.fieldErrors ?? {}} values={added?.values} />
                <Button disabled={busy}>Add milestone</Button>
              </Form>
            </Card>
          ) : null}
          <CommentsPanel target={{ type: "goal", id: goal.id }} title="Discussion" />
        </div>
      </div>
    </div>
  );
}
