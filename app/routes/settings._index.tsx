import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { EmailSettingsCard } from "#app/components/email-settings.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { handleFormAction } from "#app/http/form.server.ts";
import { changeName, changeOrcid, changePassword, orcidOf } from "#app/services/accounts.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { validationFailed } from "#app/services/errors.server.ts";
import { listMyRecentEmails } from "#app/services/email-outbox.server.ts";
import { emailDeliveryOf, setEmailDelivery } from "#app/services/email-preferences.server.ts";
import { sessionCookie } from "#app/services/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Account settings · Consilience" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const recent = (await listMyRecentEmails(user)).map((m) => ({ ...m, createdAt: m.createdAt.toISOString() }));
  return { user, orcid: await orcidOf(user), delivery: await emailDeliveryOf(user.id), recent };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent);
  return handleFormAction(
    async () => {
      if (intent === "name") {
        await changeName(user, form);
        return json({ ok: true as const, intent });
      }
      if (intent === "orcid") {
        await changeOrcid(user, form);
        return json({ ok: true as const, intent });
      }
      if (intent === "email") {
        await setEmailDelivery(user, form);
        return json({ ok: true as const, intent });
      }
      if (intent === "password") {
        // Every session of this account ends; this browser gets a new one. A redirect,
        // so the page is loaded again with the new cookie rather than the ended one.
        const { token } = await changePassword(user, form);
        throw redirect("/settings?changed=password", { headers: { "Set-Cookie": sessionCookie(token) } });
      }
      throw validationFailed("Unknown action.");
    },
    intent,
    form,
  );
}

export default function Settings() {
  const { user, orcid, delivery, recent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitting = useNavigation().formData?.get("intent");
  const [params] = useSearchParams();
  const failure = (intent: string) => (result && !result.ok && result.intent === intent ? result : undefined);
  const succeeded = (intent: string) => (result?.ok && result.intent === intent) || (!result && params.get("changed") === intent);
  return (
    <main className="mx-auto max-w-2xl space-y-6 px-4 py-8">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Account settings</h1>
        <Link to="/settings/tokens" className="text-sm text-brand-700 underline">
          Personal access tokens
        </Link>
      </div>
      <Card>
        <h2 className="text-lg font-semibold">Your name</h2>
        <Form method="post" className="mt-4 space-y-3" noValidate>
          <input type="hidden" name="intent" value="name" />
          {succeeded("name") ? <Notice tone="success">Your name is saved.</Notice> : null}
          <TextField
            label="Name"
            name="name"
            defaultValue={user.name}
            key={user.name}
            autoComplete="name"
            error={failure("name")?.fieldErrors.name}
          />
          <p className="text-xs text-slate-500">Signed in as {user.email}.</p>
          <Button disabled={submitting === "name"}>Save name</Button>
        </Form>
      </Card>
      <Card>
        <h2 className="text-lg font-semibold">ORCID iD</h2>
        <p className="mt-1 text-sm text-slate-600">
          Named beside you on the snapshots you co-author, and in their citations and RO-Crates.
        </p>
        <Form method="post" className="mt-4 space-y-3" noValidate>
          <input type="hidden" name="intent" value="orcid" />
          {succeeded("orcid") ? <Notice tone="success">Your ORCID iD is saved.</Notice> : null}
          <TextField
            label="ORCID iD"
            name="orcid"
            defaultValue={orcid ?? ""}
            key={orcid ?? ""}
            placeholder="0000-0002-1825-0097"
            hint="Leave empty to remove it."
            error={failure("orcid")?.fieldErrors.orcid}
          />
          <Button disabled={submitting === "orcid"}>Save ORCID iD</Button>
        </Form>
      </Card>
      <EmailSettingsCard delivery={delivery} email={user.email} recent={recent} saved={succeeded("email")} busy={submitting === "email"} />
      <Card>
        <h2 className="text-lg font-semibold">Password</h2>
        <p className="mt-1 text-sm text-slate-600">Changing it signs you out everywhere else.</p>
        <Form method="post" className="mt-4 space-y-3" noValidate>
          <input type="hidden" name="intent" value="password" />
          {succeeded("password") ? <Notice tone="success">Your password is changed; other sessions have ended.</Notice> : null}
          {failure("password")?.formError ? <Notice tone="error">{failure("password")!.formError}</Notice> : null}
          <TextField
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            error={failure("password")?.fieldErrors.currentPassword}
          />
          <TextField
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            hint="At least 10 characters."
            error={failure("password")?.fieldErrors.newPassword}
          />
          <Button disabled={submitting === "password"}>Change password</Button>
        </Form>
      </Card>
    </main>
  );
}
