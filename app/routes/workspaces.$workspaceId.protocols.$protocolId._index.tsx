/** The protocol as it now reads, with its sections, recent versions and the actions a role allows. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo, useState } from "react";
import { useComments } from "#app/components/comments/use-comments.ts";
import { MarkdownView } from "#app/components/markdown-view.tsx";
import { RenameForm, StatusActions } from "#app/components/protocols/manage-protocol.tsx";
import { ProtocolDiscussion } from "#app/components/protocols/protocol-discussion.tsx";
import { SectionOutline } from "#app/components/protocols/section-outline.tsx";
import { VersionList } from "#app/components/protocols/version-list.tsx";
import { Card, EmptyState, Notice } from "#app/components/ui/notice.tsx";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { roleAtLeast } from "#app/domain/roles.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { formFailure } from "#app/domain/form-failure.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { validationFailed } from "#app/services/errors.server.ts";
import { getProtocol, listProtocolVersions, updateProtocol } from "#app/services/protocols.server.ts";
import { getWorkspace } from "#app/services/workspaces.server.ts";
import { both, either, family, revalidateOnLiveEvents, roleChanges, targets } from "#app/realtime/live-revalidation.ts";

const RECENT_VERSIONS = 5;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const { workspaceId, protocolId } = params as { workspaceId: string; protocolId: string };
  return await loadOrThrowPage(async () => ({
    role: (await getWorkspace(user, workspaceId)).role,
    protocol: await getProtocol(user, workspaceId, protocolId),
    recent: await listProtocolVersions(user, workspaceId, protocolId, { limit: RECENT_VERSIONS }),
  }));
}

/** The protocol's current version and versions list; its comments patch themselves. */
export const shouldRevalidate = revalidateOnLiveEvents(
  either(both(family("protocol.version_added", "protocol.updated"), targets("protocolId")), roleChanges),
);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  return handleFormAction(
    async () => {
      const { workspaceId, protocolId } = params as { workspaceId: string; protocolId: string };
      if (intent === "status") await updateProtocol(user, workspaceId, protocolId, { status: form.status, baseVersion: form.baseVersion });
      else if (intent === "rename")
        await updateProtocol(user, workspaceId, protocolId, { title: form.title, baseVersion: form.baseVersion });
      else throw validationFailed("Unknown action.");
      return { ok: true as const, intent };
    },
    intent,
    form,
  );
}

export default function ProtocolCurrent() {
  const { role, protocol, recent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = formFailure(result);
  const base = `/workspaces/${protocol.workspaceId}/protocols/${protocol.id}`;
  const current = protocol.current;
  const canEdit = roleAtLeast(role, "contributor") && protocol.status !== "superseded";
  const discussion = useComments(protocol.workspaceId, { type: "protocol", id: protocol.id });
  const [section, setSection] = useState<string | null>(null);
  const openThreads = useMemo(() => {
    const counts: Record<string, number> = {};
    for (const c of discussion.comments ?? []) {
      const anchor = c.target.anchor?.section;
      if (anchor && !c.parentId && !c.resolvedAt) counts[anchor] = (counts[anchor] ?? 0) + 1;
    }
    return counts;
  }, [discussion.comments]);
  const sectionTitle = current.headings.find((h) => h.id === section)?.text;
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
      <div className="min-w-0 space-y-4">
        {protocol.status === "superseded" ? (
          <Notice>This protocol is superseded and read-only. A lead can reopen it as a draft.</Notice>
        ) : null}
        <p className="text-sm text-slate-600">
          Version {current.version} saved by {current.author.name} on{" "}
          <time dateTime={current.createdAt}>{formatUtc(current.createdAt)}</time>
          {current.note ? <> · “{current.note}”</> : null}
        </p>
        <Card>
          {current.body.trim() === "" ? (
            <EmptyState title="No text yet">
              {canEdit ? (
                <>
                  <Link to={`${base}/edit`} className="text-brand-700 underline">
                    Write the first text together
                  </Link>{" "}
                  in markdown; headings become sections.
                </>
              ) : (
                "A contributor will write the text."
              )}
            </EmptyState>
          ) : (
            <MarkdownView html={current.html} />
          )}
        </Card>
        <ProtocolDiscussion
          protocolId={protocol.id}
          source={discussion}
          spot={section ? { anchor: { section }, title: `Discussion of “${sectionTitle ?? section}”` } : null}
          onWholeProtocol={() => setSection(null)}
        />
      </div>
      <aside className="space-y-4" aria-label="About this protocol">
        <Card>
          <h3 className="text-base font-semibold">Sections</h3>
          <div className="mt-2">
            <SectionOutline
              headings={current.headings}
              openThreads={openThreads}
              onDiscuss={(id) => {
                setSection(id);
                document.getElementById("discussion")?.scrollIntoView({ behavior: "smooth" });
              }}
            />
          </div>
        </Card>
        <Card>
          <div className="flex items-baseline justify-between">
            <h3 className="text-base font-semibold">Recent versions</h3>
            <Link to={`${base}/history`} className="text-sm text-brand-700 hover:underline">
              All
            </Link>
          </div>
          <div className="mt-1">
            <VersionList versions={recent.items} basePath={base} current={protocol.version} />
          </div>
        </Card>
        {role === "lead" ? <StatusActions status={protocol.status} version={protocol.version} failure={failure} /> : null}
        {canEdit ? <RenameForm title={protocol.title} version={protocol.version} failure={failure} /> : null}
      </aside>
    </div>
  );
}
