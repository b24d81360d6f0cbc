import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { CommentsPanel } from "#app/components/comments/comments-panel.tsx";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BiomarkerForm } from "#app/components/panels/biomarker-form.tsx";
import { BiomarkerTable } from "#app/components/panels/biomarker-table.tsx";
import { DictionaryCard } from "#app/components/panels/dictionary-card.tsx";
import { PanelDetailsForm } from "#app/components/panels/panel-details-form.tsx";
import { PanelHistory } from "#app/components/panels/panel-history.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { panelPageAction } from "#app/http/panel-actions.server.ts";
import { panelJson, panelVersionEntryJson } from "#app/public-shapes/panels.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getPanel, listPanelVersions } from "#app/services/panels.server.ts";
import { getWorkspace } from "#app/services/workspaces.server.ts";
import { both, either, family, revalidateOnLiveEvents, roleChanges, targets } from "#app/realtime/live-revalidation.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.panel.name} · Consilience` : "Panel · Consilience" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  const panelId = params.panelId!;
  return await loadOrThrowPage(async () => {
    const history = await listPanelVersions(user, workspaceId, panelId, { limit: 20 });
    return {
      workspaceId,
      canEdit: (await getWorkspace(user, workspaceId)).role !== "observer",
      panel: panelJson(await getPanel(user, workspaceId, panelId)),
      versions: history.items.map(panelVersionEntryJson),
      moreVersions: history.nextCursor !== null,
      editing: new URL(request.url).searchParams.get("edit"),
    };
  });
}

/** This panel's definition and versions. */
export const shouldRevalidate = revalidateOnLiveEvents(either(both(family("panel."), targets("panelId")), roleChanges));

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return panelPageAction(request, user, params.workspaceId!, params.panelId!);
}

export default function PanelPage() {
  const { workspaceId, canEdit, panel, versions, moreVersions, editing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as (Record<string, any> & { ok: boolean; intent?: string }) | undefined;
  const base = `/workspaces/${workspaceId}/panels/${panel.id}`;
  const edited = canEdit && editing ? (panel.biomarkers.find((b) => b.id === editing) ?? null) : null;
  const savedVersion = result?.ok ? (result.version as number | undefined) : undefined;
  const success = result?.ok && result.intent !== "import" ? (result.message as string) : null;
  const removalFailure = result && !result.ok && result.intent === "remove-biomarker" ? (result.formError as string) : null;

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link to={`/workspaces/${workspaceId}/panels`} className="text-slate-600 hover:underline">
            ← Biomarker panels
          </Link>
        </p>
        <h2 className="mt-1 text-xl font-semibold">{panel.name}</h2>
        <p className="text-sm text-slate-600">
          Version {panel.version} · {panel.biomarkers.length} biomarker{panel.biomarkers.length === 1 ? "" : "s"} · updated{" "}
          {panel.updatedAt.slice(0, 10)}
        </p>
        {panel.description ? <p className="mt-2 max-w-prose text-sm text-slate-700">{panel.description}</p> : null}
      </div>

      {success ? <Notice tone="success">{success}</Notice> : null}
      {removalFailure ? <Notice tone="error">{removalFailure}</Notice> : null}

      <Card>
        <h3 className="sr-only">Biomarkers</h3>
        <BiomarkerTable
          biomarkers={panel.biomarkers}
          editing={canEdit ? { baseVersion: panel.version, editHref: (id) => `${base}?edit=${id}#edit-biomarker` } : undefined}
        />
      </Card>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-6">
          {canEdit ? (
            <div id="edit-biomarker">
              {edited ? (
                <BiomarkerForm
                  key={edited.id}
                  biomarker={edited}
                  panelVersion={panel.version}
                  result={result}
                  cancelHref={base}
                  savedVersion={savedVersion}
                />
              ) : (
                <BiomarkerForm
                  key={result?.ok && result.intent === "add-biomarker" ? `added-v${result.version}` : "add"}
                  biomarker={null}
                  panelVersion={panel.version}
                  result={result}
                  savedVersion={savedVersion}
                />
              )}
            </div>
          ) : null}
          <DictionaryCard
            downloadHref={`/api/v1${base}/dictionary.csv`}
            redcapHref={`/api/v1${base}/redcap-dictionary.csv`}
            panelVersion={panel.version}
            canEdit={canEdit}
            result={result}
            savedVersion={savedVersion}
          />
        </div>
        <div className="space-y-6">
          {canEdit ? <PanelDetailsForm panel={panel} result={result} savedVersion={savedVersion} /> : null}
          <PanelHistory versions={versions} current={panel.version} hrefOf={(v) => `${base}/versions/${v}`} more={moreVersions} />
          <CommentsPanel target={{ type: "panel", id: panel.id }} title="Discussion" />
        </div>
      </div>
    </div>
  );
}
