/** The members page's pieces: the member table, invitations and the lead's settings. */
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { ROLE_DESCRIPTIONS, ROLES, type Role } from "#app/domain/roles.ts";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField, TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Card, EmptyState, Notice } from "#app/components/ui/notice.tsx";

type ActionResult =
  | { ok: true; intent: string; invitation?: { url: string; role: string; expiresAt: string } }
  | { ok: false; intent?: string; formError: string | null; fieldErrors: Record<string, string> }
  | undefined;

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: r[0].toUpperCase() + r.slice(1) }));

function failureFor(result: ActionResult, intent: string) {
  return result && !result.ok && result.intent === intent ? result : undefined;
}

interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
}

export function MemberTable({ members, me, isLead, result }: { members: Member[]; me: string; isLead: boolean; result: ActionResult }) {
  const failure = failureFor(result, "change-role") ?? failureFor(result, "remove");
  return (
    <Card>
      <h2 className="text-lg font-semibold">Members</h2>
      {failure ? (
        <div className="mt-3">
          <Notice tone="error">{failure.formError ?? Object.values(failure.fieldErrors)[0]}</Notice>
        </div>
      ) : null}
      <div className="relative -mx-5 overflow-x-auto px-5">
        <table className="mt-3 w-full min-w-[28rem] text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-3 font-medium">Name</th>
              <th className="py-2 pr-3 font-medium">Role</th>
              <th className="hidden py-2 pr-3 font-medium sm:table-cell">Joined</th>
              {isLead ? (
                <th className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {members.map((m) => (
              <tr key={m.userId} data-testid={`member-${m.email}`}>
                <td className="py-2 pr-3">
                  <div className="font-medium">
                    {m.name} {m.userId === me ? <span className="text-xs font-normal text-slate-500">(you)</span> : null}
                  </div>
                  <div className="text-xs text-slate-500">{m.email}</div>
                </td>
                <td className="py-2 pr-3">
                  {isLead ? (
                    <Form method="post" className="flex items-center gap-2">
                      <input type="hidden" name="intent" value="change-role" />
                      <input type="hidden" name="userId" value={m.userId} />
                      <label className="sr-only" htmlFor={`role-${m.userId}`}>
                        Role of {m.name}
                      </label>
                      <select
                        id={`role-${m.userId}`}
                        name="role"
                        defaultValue={m.role}
                        key={m.role}
                        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
                      >
                        {ROLE_OPTIONS.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                      <Button variant="secondary" className="px-2 py-1" aria-label={`Save role of ${m.name}`}>
                        Save
                      </Button>
                    </Form>
                  ) : (
                    <span className="capitalize">{m.role}</span>
                  )}
                </td>
                <td className="hidden py-2 pr-3 text-slate-500 sm:table-cell">{formatUtc(m.joinedAt)}</td>
                {isLead ? (
                  <td className="py-2 text-right">
                    <Form
                      method="post"
                      onSubmit={(e) => {
                        if (!confirm(`Remove ${m.name} from the workspace? They lose access at once.`)) e.preventDefault();
                      }}
                    >
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="userId" value={m.userId} />
                      <Button variant="danger" className="px-2 py-1" aria-label={`Remove ${m.name}`}>
                        Remove
                      </Button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="mt-4 grid gap-1 text-xs text-slate-500">
        {ROLES.map((r) => (
          <div key={r}>
            <dt className="inline font-medium capitalize">{r}:</dt> <dd className="inline">{ROLE_DESCRIPTIONS[r]}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

export function InviteCard({ result }: { result: ActionResult }) {
  const busy = useNavigation().formData?.get("intent") === "invite";
  const created = result?.ok && result.intent === "invite" ? result.invitation : undefined;
  const failure = failureFor(result, "invite");
  const [copied, setCopied] = useState(false);
  return (
    <Card>
      <h2 className="text-lg font-semibold">Invite someone</h2>
      <p className="mt-1 text-sm text-slate-600">The link works once and expires after 7 days.</p>
      <Form method="post" className="mt-4 space-y-3">
        <input type="hidden" name="intent" value="invite" />
        <SelectField label="Role" name="role" defaultValue="contributor" options={ROLE_OPTIONS} error={failure?.fieldErrors.role} />
        <Button disabled={busy}>{busy ? "Creating link…" : "Create invitation link"}</Button>
      </Form>
      {created ? (
        <div className="mt-4 space-y-2">
          <Notice tone="success">Invitation link for a new {created.role}. Copy it now: it is shown only once.</Notice>
          <label htmlFor="invitation-url" className="sr-only">
            Invitation link
          </label>
          <input
            id="invitation-url"
            readOnly
            value={created.url}
            onFocus={(e) => e.currentTarget.select()}
            className="block w-full rounded-md border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-xs"
          />
          <Button type="button" variant="secondary" onClick={() => navigator.clipboard?.writeText(created.url).then(() => setCopied(true))}>
            {copied ? "Copied" : "Copy link"}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

interface Invitation {
  id: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

export function PendingInvitations({ invitations }: { invitations: Invitation[] }) {
  return (
    <Card>
      <h2 className="text-lg font-semibold">Open invitations</h2>
      {invitations.length === 0 ? (
        <div className="mt-3">
          <EmptyState title="No open invitations">Links you create appear here until they are used, withdrawn or expire.</EmptyState>
        </div>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100 text-sm">
          {invitations.map((i) => (
            <li key={i.id} className="flex items-center justify-between gap-3 py-2">
              <span>
                <span className="capitalize">{i.role}</span>, by {i.createdBy}, expires {formatUtc(i.expiresAt)}
              </span>
              <Form method="post">
                <input type="hidden" name="intent" value="revoke-invitation" />
                <input type="hidden" name="invitationId" value={i.id} />
                <Button variant="danger" className="px-2 py-1">
                  Withdraw
                </Button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function WorkspaceSettings({
  workspace,
  result,
}: {
  workspace: { id: string; name: string; description: string };
  result: ActionResult;
}) {
  const failure = failureFor(result, "update-settings");
  const saved = result?.ok && result.intent === "update-settings";
  return (
    <Card>
      <h2 className="text-lg font-semibold">Workspace settings</h2>
      <Form method="post" className="mt-4 space-y-3" key={`${workspace.name}|${workspace.description}`}>
        <input type="hidden" name="intent" value="update-settings" />
        {saved ? <Notice tone="success">Saved.</Notice> : null}
        {failure?.formError ? <Notice tone="error">{failure.formError}</Notice> : null}
        <TextField label="Name" name="name" defaultValue={workspace.name} error={failure?.fieldErrors.name} />
        <TextAreaField
          label="Description"
          name="description"
          rows={3}
          defaultValue={workspace.description}
          error={failure?.fieldErrors.description}
        />
        <Button variant="secondary">Save settings</Button>
      </Form>
      <div className="mt-5 border-t border-slate-100 pt-4">
        <h3 className="text-sm font-semibold">Export</h3>
        <p className="mt-1 text-xs text-slate-600">
          Everything in this workspace as one ZIP: records as JSON, the audit trail and every dataset version as CSV. The export is
          recorded.
        </p>
        <a href={`/api/v1/workspaces/${workspace.id}/export.zip`} download className="mt-2 inline-block text-sm text-brand-700 underline">
          Download the whole workspace
        </a>
      </div>
    </Card>
  );
}
