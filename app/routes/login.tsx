import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { handleFormAction } from "#app/http/form.server.ts";
import { safeRedirectPath } from "#app/http/redirects.ts";
import { signIn } from "#app/services/accounts.server.ts";
import { authenticateRequest } from "#app/services/auth.server.ts";
import { sessionCookie } from "#app/services/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Sign in · Consilience" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await authenticateRequest(request)) throw redirect("/workspaces");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  return handleFormAction(
    async () => {
      const { token } = await signIn(form, context.clientIp);
      throw redirect(safeRedirectPath(form.redirectTo), { headers: { "Set-Cookie": sessionCookie(token) } });
    },
    undefined,
    form,
  );
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <main className="mx-auto max-w-md px-4 py-12">
      <Card>
        <h1 className="text-xl font-semibold">Sign in</h1>
        <Form method="post" className="mt-5 space-y-4" noValidate>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          {result?.formError ? <Notice tone="error">{result.formError}</Notice> : null}
          <TextField
            label="Email"
            name="email"
            defaultValue={result?.values?.email}
            type="email"
            autoComplete="email"
            required
            autoFocus
            error={result?.fieldErrors.email}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            error={result?.fieldErrors.password}
          />
          <Button className="w-full" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </Button>
        </Form>
        <p className="mt-4 text-sm text-slate-600">
          New here?{" "}
          <Link className="text-brand-700 underline" to={`/signup${params.size ? `?${params}` : ""}`}>
            Create an account
          </Link>
        </p>
      </Card>
    </main>
  );
}
