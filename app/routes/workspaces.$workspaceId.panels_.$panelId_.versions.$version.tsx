import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BiomarkerTable } from "#app/components/panels/biomarker-table.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { panelVersionJson } from "#app/public-shapes/panels.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getPanel, getPanelVersion } from "#app/services/panels.server.ts";
import { nothingLive, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.snapshot.name}, version ${data.snapshot.version} · Consilience` : "Panel version · Consilience" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const workspaceId = params.workspaceId!;
  return await loadOrThrowPage(async () => ({
    workspaceId,
    currentVersion: (await getPanel(user, workspaceId, params.panelId!)).version,
    snapshot: panelVersionJson(await getPanelVersion(user, workspaceId, params.panelId!, params.version!)),
  }));
}

/** A saved version never changes. */
export const shouldRevalidate = revalidateOnLiveEvents(nothingLive);

export default function PanelVersionPage() {
  const { workspaceId, currentVersion, snapshot } = useLoaderData<typeof loader>();
  const panelHref = `/workspaces/${workspaceId}/panels/${snapshot.panelId}`;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link to={panelHref} className="text-slate-600 hover:underline">
            ← The panel as it is now (version {currentVersion})
          </Link>
        </p>
        <h2 className="mt-1 text-xl font-semibold">
          {snapshot.name}: version {snapshot.version}
        </h2>
        <p className="text-sm text-slate-600">
          {snapshot.note ?? "—"} · {snapshot.author.name}, {formatUtc(snapshot.createdAt)}
        </p>
        {snapshot.description ? <p className="mt-2 max-w-prose text-sm text-slate-700">{snapshot.description}</p> : null}
      </div>
      {snapshot.version !== currentVersion ? <Notice>This is an earlier version, kept for the record; it cannot be edited.</Notice> : null}
      <Card>
        <BiomarkerTable biomarkers={snapshot.biomarkers} />
      </Card>
    </div>
  );
}
