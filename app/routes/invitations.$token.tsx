import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { authenticateRequest, requireSignedIn } from "#app/services/auth.server.ts";
import { acceptInvitation, previewInvitation } from "#app/services/members.server.ts";

export const meta: MetaFunction = () => [{ title: "Invitation · Consilience" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await authenticateRequest(request);
  const invitation = await previewInvitation(caller?.user ?? null, params.token!);
  return { invitation, signedIn: Boolean(caller), alreadyMember: invitation?.alreadyMember ?? false };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return handleFormAction(async () => {
    const { workspaceId } = await acceptInvitation(user, params.token!);
    throw redirect(`/workspaces/${workspaceId}`);
  });
}

export default function InvitationPage() {
  const { invitation, signedIn, alreadyMember } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const here = useLocation().pathname;
  return (
    <main className="mx-auto max-w-md px-4 py-12">
      <Card>
        {!invitation ? (
          <>
            <h1 className="text-xl font-semibold">This invitation link is not valid</h1>
            <p className="mt-2 text-sm text-slate-600">
              Check that you copied the whole link, or ask the lead who invited you for a new one.
            </p>
          </>
        ) : (
          <>
            <h1 className="text-xl font-semibold">Join “{invitation.workspaceName}”</h1>
            <p className="mt-2 text-sm text-slate-600">
              {invitation.invitedBy} invited you as <strong>{invitation.role}</strong>. The link expires {formatUtc(invitation.expiresAt)}.
            </p>
            <div className="mt-5 space-y-3">
              {result?.formError ? <Notice tone="error">{result.formError}</Notice> : null}
              {alreadyMember && invitation.workspaceId ? (
                <Notice>
                  You are already a member.{" "}
                  <Link className="underline" to={`/workspaces/${invitation.workspaceId}`}>
                    Open the workspace
                  </Link>
                </Notice>
              ) : invitation.status !== "valid" ? (
                <Notice tone="error">
                  {invitation.status === "expired"
                    ? "This invitation has expired. Ask a lead of the workspace for a new link."
                    : invitation.status === "used"
                      ? "This invitation has already been used. Each link works once."
                      : "This invitation was withdrawn."}
                </Notice>
              ) : signedIn ? (
                <Form method="post">
                  <Button className="w-full">Accept and join</Button>
                </Form>
              ) : (
                <div className="flex gap-3">
                  <Link
                    className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white"
                    to={`/signup?redirectTo=${encodeURIComponent(here)}`}
                  >
                    Create an account
                  </Link>
                  <Link
                    className="rounded-md border border-slate-300 px-3.5 py-2 text-sm font-medium"
                    to={`/login?redirectTo=${encodeURIComponent(here)}`}
                  >
                    Sign in
                  </Link>
                </div>
              )}
            </div>
          </>
        )}
      </Card>
    </main>
  );
}
