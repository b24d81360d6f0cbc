/** Every version of the protocol, newest first, a page at a time. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { VersionList } from "#app/components/protocols/version-list.tsx";
import { Card } from "#app/components/ui/notice.tsx";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getProtocol, listProtocolVersions } from "#app/services/protocols.server.ts";
import { both, family, revalidateOnLiveEvents, targets } from "#app/realtime/live-revalidation.ts";

const PAGE_SIZE = 50;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const before = new URL(request.url).searchParams.get("before") ?? undefined;
  const { workspaceId, protocolId } = params as { workspaceId: string; protocolId: string };
  return await loadOrThrowPage(async () => ({
    current: (await getProtocol(user, workspaceId, protocolId)).version,
    page: await listProtocolVersions(user, workspaceId, protocolId, { before, limit: PAGE_SIZE }),
  }));
}

/** The list of versions. */
export const shouldRevalidate = revalidateOnLiveEvents(both(family("protocol.version_added", "protocol.updated"), targets("protocolId")));

export default function ProtocolHistory() {
  const { current, page } = useLoaderData<typeof loader>();
  const { workspaceId, protocolId } = useParams();
  const base = `/workspaces/${workspaceId}/protocols/${protocolId}`;
  return (
    <Card>
      <h3 className="text-lg font-semibold">Version history</h3>
      <p className="mt-1 text-sm text-slate-600">
        Every save is kept as it was written. Open a version to read it, or see what it changed.
      </p>
      <div className="mt-3">
        <VersionList versions={page.items} basePath={base} current={current} />
      </div>
      {page.nextCursor ? (
        <Link to={`?before=${page.nextCursor}`} className="mt-3 inline-block text-sm text-brand-700 hover:underline">
          Older versions
        </Link>
      ) : null}
    </Card>
  );
}
