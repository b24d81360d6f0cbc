/**
 * The unsubscribe link of every email: works without signing in (the link
 * carries a signed token). Opening it changes nothing (mail scanners open
 * links); one button, or a mail client's RFC 8058 one-click POST to the same
 * address, stops the email. Signed in as the same person, one can subscribe again.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { handleFormAction } from "#app/http/form.server.ts";
import { authenticateRequest } from "#app/services/auth.server.ts";
import { setEmailDelivery, unsubscribeByLink, unsubscribeLinkOwner } from "#app/services/email-preferences.server.ts";
import { forbidden, isServiceError } from "#app/services/errors.server.ts";

export const meta: MetaFunction = () => [{ title: "Email from Consilience" }];

function linkOf(request: Request) {
  const params = new URL(request.url).searchParams;
  return { userId: params.get("u") ?? "", token: params.get("t") ?? "" };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { userId, token } = linkOf(request);
  const caller = await authenticateRequest(request);
  try {
    const owner = await unsubscribeLinkOwner(userId, token);
    return json({ valid: true as const, email: owner.email, delivery: owner.delivery, signedInAsOwner: caller?.user.id === owner.id });
  } catch (error) {
    if (!isServiceError(error)) throw error;
    return json({ valid: false as const, message: error.message }, { status: error.status });
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const { userId, token } = linkOf(request);
  const form = Object.fromEntries(await request.formData());
  // A mail client's one-click sends only `List-Unsubscribe=One-Click`; our page's button says so too.
  const intent = form.intent === "resubscribe" ? "resubscribe" : "unsubscribe";
  return handleFormAction(async () => {
    if (intent === "unsubscribe") {
      const { email } = await unsubscribeByLink(userId, token);
      return json({ ok: true as const, done: "unsubscribed" as const, email });
    }
    const owner = await unsubscribeLinkOwner(userId, token);
    const caller = await authenticateRequest(request);
    if (caller?.user.id !== owner.id) throw forbidden("Sign in as the person this email was for to receive email again.");
    await setEmailDelivery(caller.user, { delivery: "immediately" });
    return json({ ok: true as const, done: "resubscribed" as const, email: owner.email });
  }, intent);
}

export default function Unsubscribe() {
  const link = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const location = useLocation();
  const here = location.pathname + location.search;
  if (!link.valid) {
    return (
      <Page>
        <Notice tone="error">{link.message}</Notice>
      </Page>
    );
  }
  const done = result?.ok ? result.done : null;
  const unsubscribed = done === "unsubscribed" || (done !== "resubscribed" && link.delivery === "never");
  return (
    <Page>
      {result && !result.ok ? <Notice tone="error">{result.formError}</Notice> : null}
      {done === "resubscribed" ? (
        <Notice tone="success">
          You will get email again at {link.email}: unread mentions, replies and goal reminders, at most one email per quarter hour.
        </Notice>
      ) : unsubscribed ? (
        <>
          <Notice tone="success">You are unsubscribed. Consilience will send no more email to {link.email}.</Notice>
          <p className="text-sm text-slate-600">Your notifications still appear in the app when you sign in.</p>
          {link.signedInAsOwner ? (
            <Form method="post" action={here}>
              <input type="hidden" name="intent" value="resubscribe" />
              <Button variant="secondary">Email me again</Button>
            </Form>
          ) : (
            <p className="text-sm text-slate-600">
              Changed your mind?{" "}
              <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="text-brand-700 underline">
                Sign in
              </Link>{" "}
              to get email again.
            </p>
          )}
        </>
      ) : (
        <>
          <p>Stop all email from Consilience to {link.email}? Mentions, replies and goal reminders will then only appear in the app.</p>
          <Form method="post" action={here}>
            <input type="hidden" name="intent" value="unsubscribe" />
            <Button>Unsubscribe</Button>
          </Form>
          <p className="text-sm text-slate-600">
            Or{" "}
            <Link to="/settings" className="text-brand-700 underline">
              choose a daily digest
            </Link>{" "}
            in your settings.
          </p>
        </>
      )}
    </Page>
  );
}

function Page({ children }: { children: React.ReactNode }) {
  return (
    <main className="mx-auto max-w-xl px-4 py-8">
      <Card className="space-y-4">
        <h1 className="text-xl font-semibold">Email from Consilience</h1>
        {children}
      </Card>
    </main>
  );
}
