import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { NewPanelCard, NoPanelsYet, PanelList } from "#app/components/panels/panel-list.tsx";
import { DEFAULT_PANEL_DESCRIPTION, DEFAULT_PANEL_NAME } from "#app/domain/default-panel.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { panelSummaryJson } from "#app/public-shapes/panels.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { createPanel, listPanels } from "#app/services/panels.server.ts";
import { getWorkspace } from "#app/services/workspaces.server.ts";
import { either, family, revalidateOnLiveEvents, roleChanges } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  return await loadOrThrowPage(async () => ({
    workspaceId,
    canEdit: (await getWorkspace(user, workspaceId)).role !== "observer",
    panels: (await listPanels(user, workspaceId)).map(panelSummaryJson),
  }));
}

/** The list of panels. */
export const shouldRevalidate = revalidateOnLiveEvents(either(family("panel."), roleChanges));

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  const form = Object.fromEntries(await request.formData());
  return handleFormAction(
    async () => {
      const fromDefault = form.fromDefault === "true";
      const panel = await createPanel(user, workspaceId, {
        name: form.name,
        description: form.description ?? (fromDefault ? DEFAULT_PANEL_DESCRIPTION : ""),
        fromDefault,
      });
      throw redirect(`/workspaces/${workspaceId}/panels/${panel.id}`);
    },
    "create",
    form,
  );
}

export default function Panels() {
  const { workspaceId, canEdit, panels } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className={canEdit ? "grid gap-6 lg:grid-cols-[1fr_22rem]" : ""}>
      <section aria-labelledby="panels-heading" className="space-y-4">
        <h2 id="panels-heading" className="text-xl font-semibold">
          Biomarker panels
        </h2>
        {panels.length === 0 ? (
          <NoPanelsYet canEdit={canEdit} defaultName={DEFAULT_PANEL_NAME} />
        ) : (
          <PanelList workspaceId={workspaceId} panels={panels} />
        )}
      </section>
      {canEdit ? (
        <div className="space-y-4">
          <NewPanelCard failure={result} defaultName={DEFAULT_PANEL_NAME} />
          <p className="text-sm">
            <Link to={`/workspaces/${workspaceId}/panels/import`} className="font-medium text-brand-700 underline">
              Import a panel from a REDCap data dictionary or CDISC ODM
            </Link>
          </p>
        </div>
      ) : null}
    </div>
  );
}
