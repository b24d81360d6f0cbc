/** One version of the protocol as it was saved. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { MarkdownView } from "#app/components/markdown-view.tsx";
import { SectionOutline } from "#app/components/protocols/section-outline.tsx";
import { Card, EmptyState, Notice } from "#app/components/ui/notice.tsx";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getProtocol, getProtocolVersion } from "#app/services/protocols.server.ts";
import { nothingLive, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const { workspaceId, protocolId } = params as { workspaceId: string; protocolId: string };
  return await loadOrThrowPage(async () => ({
    current: (await getProtocol(user, workspaceId, protocolId)).version,
    version: await getProtocolVersion(user, workspaceId, protocolId, Number(params.version)),
  }));
}

/** A saved version never changes. */
export const shouldRevalidate = revalidateOnLiveEvents(nothingLive);

export default function ProtocolVersionPage() {
  const { current, version } = useLoaderData<typeof loader>();
  const { workspaceId, protocolId } = useParams();
  const base = `/workspaces/${workspaceId}/protocols/${protocolId}`;
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
      <div className="min-w-0 space-y-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h3 className="text-lg font-semibold">Version {version.version}</h3>
          <p className="text-sm">
            {version.version > 1 ? (
              <Link to={`${base}/compare?from=${version.version - 1}&to=${version.version}`} className="text-brand-700 hover:underline">
                What changed from version {version.version - 1}
              </Link>
            ) : null}
            {version.version !== current ? (
              <>
                {version.version > 1 ? " · " : null}
                <Link to={`${base}/compare?from=${version.version}&to=${current}`} className="text-brand-700 hover:underline">
                  Compare with the current version ({current})
                </Link>
              </>
            ) : null}
          </p>
        </div>
        {version.version !== current ? <Notice>This is an earlier version. The current one is version {current}.</Notice> : null}
        <p className="text-sm text-slate-600">
          Saved by {version.author.name} on <time dateTime={version.createdAt}>{formatUtc(version.createdAt)}</time>
          {version.note ? <> · “{version.note}”</> : null}
        </p>
        <Card>
          {version.body.trim() === "" ? (
            <EmptyState title="No text in this version">It was saved empty.</EmptyState>
          ) : (
            <MarkdownView html={version.html} />
          )}
        </Card>
      </div>
      <aside aria-label="Sections of this version">
        <Card>
          <h3 className="text-base font-semibold">Sections</h3>
          <div className="mt-2">
            <SectionOutline headings={version.headings} />
          </div>
        </Card>
      </aside>
    </div>
  );
}
