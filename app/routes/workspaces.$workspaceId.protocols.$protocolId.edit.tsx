/** Editing the text: a save is a new version; a stale base answers with both texts to merge (409). */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { EditProtocolForm, type ConflictState } from "#app/components/protocols/edit-protocol-form.tsx";
import { handleFormAction } from "#app/http/form.server.ts";
import { formFailure } from "#app/domain/form-failure.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { isServiceError } from "#app/services/errors.server.ts";
import { getProtocolForEditing, saveProtocolVersion, type ConflictDetail } from "#app/services/protocols.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => {
    const { current } = await getProtocolForEditing(user, params.workspaceId!, params.protocolId!);
    return { current: { version: current.version, body: current.body, author: current.author, createdAt: current.createdAt } };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = Object.fromEntries(await request.formData());
  return handleFormAction(
    async () => {
      const input = { body: form.body, baseVersion: form.baseVersion, note: form.note };
      try {
        await saveProtocolVersion(user, params.workspaceId!, params.protocolId!, input);
      } catch (error) {
        if (!isServiceError(error) || error.status !== 409) throw error;
        const conflict: ConflictState = {
          message: error.message,
          detail: error.details[0] as unknown as ConflictDetail,
          mine: { body: String(form.body ?? ""), note: String(form.note ?? ""), baseVersion: Number(form.baseVersion) },
        };
        return json({ conflict }, { status: 409 });
      }
      return redirect(`/workspaces/${params.workspaceId}/protocols/${params.protocolId}`);
    },
    "save",
    form,
  );
}

export default function EditProtocol() {
  const { current } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const conflict = result && "conflict" in result ? result.conflict : undefined;
  const failure = formFailure(result);
  return <EditProtocolForm current={current} conflict={conflict} failure={failure} />;
}
