import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PanelImportForm } from "#app/components/panels/import-review.tsx";
import { Notice } from "#app/components/ui/notice.tsx";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { panelImportAction } from "#app/http/panel-import-action.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getWorkspace } from "#app/services/workspaces.server.ts";
import { nothingLive, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export const meta: MetaFunction = () => [{ title: "Import a panel from REDCap or ODM · Consilience" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  return await loadOrThrowPage(async () => ({
    workspaceId,
    canEdit: (await getWorkspace(user, workspaceId)).role !== "observer",
  }));
}

/** The import form and its review of the uploaded file need nothing live. */
export const shouldRevalidate = revalidateOnLiveEvents(nothingLive);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return panelImportAction(request, user, params.workspaceId!);
}

export default function ImportPanel() {
  const { workspaceId, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section aria-labelledby="import-heading" className="space-y-4">
      <p className="text-sm">
        <Link to={`/workspaces/${workspaceId}/panels`} className="text-brand-700 underline">
          ← Biomarker panels
        </Link>
      </p>
      <h2 id="import-heading" className="text-xl font-semibold">
        Import a panel from REDCap or CDISC ODM
      </h2>
      {canEdit ? <PanelImportForm result={result} /> : <Notice>Observers can read panels; a contributor or lead imports them.</Notice>}
    </section>
  );
}
