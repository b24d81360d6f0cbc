import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { handleFormAction } from "#app/http/form.server.ts";
import { safeRedirectPath } from "#app/http/redirects.ts";
import { registerUser, registrationIsOpen, signIn } from "#app/services/accounts.server.ts";
import { authenticateRequest } from "#app/services/auth.server.ts";
import { sessionCookie } from "#app/services/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Create an account · Consilience" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await authenticateRequest(request)) throw redirect("/workspaces");
  return { open: registrationIsOpen() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  return handleFormAction(
    async () => {
      await registerUser(form);
      const { token } = await signIn({ email: form.email, password: form.password }, context.clientIp);
      throw redirect(safeRedirectPath(form.redirectTo), { headers: { "Set-Cookie": sessionCookie(token) } });
    },
    undefined,
    form,
  );
}

export default function Signup() {
  const { open } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <main className="mx-auto max-w-md px-4 py-12">
      <Card>
        <h1 className="text-xl font-semibold">Create an account</h1>
        {open ? (
          <Form method="post" className="mt-5 space-y-4" noValidate>
            <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
            {result?.formError ? <Notice tone="error">{result.formError}</Notice> : null}
            <TextField
              label="Name"
              name="name"
              defaultValue={result?.values?.name}
              autoComplete="name"
              required
              autoFocus
              error={result?.fieldErrors.name}
            />
            <TextField
              label="Email"
              name="email"
              defaultValue={result?.values?.email}
              type="email"
              autoComplete="email"
              required
              error={result?.fieldErrors.email}
            />
            <TextField
              label="Password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              hint="At least 10 characters."
              error={result?.fieldErrors.password}
            />
            <Button className="w-full" disabled={busy}>
              {busy ? "Creating your account…" : "Create account"}
            </Button>
          </Form>
        ) : (
          <p className="mt-4 text-sm text-slate-600">
            Registration is closed on this server. Ask a workspace lead to create an account for you.
          </p>
        )}
        <p className="mt-4 text-sm text-slate-600">
          Already have an account?{" "}
          <Link className="text-brand-700 underline" to={`/login${params.size ? `?${params}` : ""}`}>
            Sign in
          </Link>
        </p>
      </Card>
    </main>
  );
}
