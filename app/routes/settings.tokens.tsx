import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField, TextField } from "#app/components/ui/field.tsx";
import { Card, EmptyState, Notice } from "#app/components/ui/notice.tsx";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { TOKEN_LIFETIMES_DAYS } from "#app/domain/access-tokens.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { createAccessToken, listAccessTokens, revokeAccessToken } from "#app/services/access-tokens.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { validationFailed } from "#app/services/errors.server.ts";

export const meta: MetaFunction = () => [{ title: "Access tokens · Consilience" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return { tokens: await listAccessTokens(user), now: new Date().toISOString() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent);
  return handleFormAction(
    async () => {
      if (intent === "create") {
        const created = await createAccessToken(user, form);
        return { ok: true as const, intent, token: created.token, label: created.label };
      }
      if (intent === "revoke") {
        await revokeAccessToken(user, String(form.tokenId));
        return { ok: true as const, intent };
      }
      throw validationFailed("Unknown action.");
    },
    intent,
    form,
  );
}

function tokenState(token: { expiresAt: string; revokedAt: string | null }, now: string) {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt <= now) return "expired";
  return "active";
}

export default function Tokens() {
  const { tokens, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().formData?.get("intent") === "create";
  const created = result?.ok && result.intent === "create" && "token" in result ? result : undefined;
  const failure = result && !result.ok && result.intent === "create" ? result : undefined;
  return (
    <main className="mx-auto max-w-3xl space-y-6 px-4 py-8">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Personal access tokens</h1>
        <Link to="/settings" className="text-sm text-brand-700 underline">
          Account settings
        </Link>
      </div>
      <p className="text-sm text-slate-600">
        Scripts in R or Python use a token to call the API as you: send it as <code>Authorization: Bearer &lt;token&gt;</code>. The API is
        described at{" "}
        <a className="underline" href="/api/v1/openapi.json">
          /api/v1/openapi.json
        </a>
        .
      </p>
      <Card>
        <h2 className="text-lg font-semibold">New token</h2>
        <Form method="post" className="mt-4 grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-end" noValidate>
          <input type="hidden" name="intent" value="create" />
          <TextField
            label="Label"
            name="label"
            placeholder="R analysis laptop"
            defaultValue={failure?.values.label}
            error={failure?.fieldErrors.label}
          />
          <SelectField
            label="Expires after"
            name="expiresInDays"
            defaultValue="90"
            options={TOKEN_LIFETIMES_DAYS.map((d) => ({ value: String(d), label: `${d} days` }))}
            error={failure?.fieldErrors.expiresInDays}
          />
          <Button disabled={busy}>Create token</Button>
        </Form>
        {created ? (
          <div className="mt-4 space-y-2">
            <Notice tone="success">Token “{created.label}” created. Copy it now: it will not be shown again.</Notice>
            <label htmlFor="new-token" className="sr-only">
              New token
            </label>
            <input
              id="new-token"
              readOnly
              value={created.token}
              onFocus={(e) => e.currentTarget.select()}
              className="block w-full rounded-md border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-sm"
            />
          </div>
        ) : null}
      </Card>
      <Card>
        <h2 className="text-lg font-semibold">Your tokens</h2>
        {tokens.length === 0 ? (
          <div className="mt-3">
            <EmptyState title="No tokens yet">Create one above for each script or machine, so you can revoke them one by one.</EmptyState>
          </div>
        ) : (
          <table className="mt-3 w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2 pr-3 font-medium">Label</th>
                <th className="py-2 pr-3 font-medium">State</th>
                <th className="hidden py-2 pr-3 font-medium sm:table-cell">Expires</th>
                <th className="hidden py-2 pr-3 font-medium sm:table-cell">Last used</th>
                <th className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.map((t) => {
                const state = tokenState(t, now);
                return (
                  <tr key={t.id}>
                    <td className="py-2 pr-3 font-medium">{t.label}</td>
                    <td className="py-2 pr-3 capitalize">{state}</td>
                    <td className="hidden py-2 pr-3 text-slate-500 sm:table-cell">{formatUtc(t.expiresAt)}</td>
                    <td className="hidden py-2 pr-3 text-slate-500 sm:table-cell">{t.lastUsedAt ? formatUtc(t.lastUsedAt) : "never"}</td>
                    <td className="py-2 text-right">
                      {state === "active" ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="tokenId" value={t.id} />
                          <Button variant="danger" className="px-2 py-1" aria-label={`Revoke ${t.label}`}>
                            Revoke
                          </Button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Card>
    </main>
  );
}
