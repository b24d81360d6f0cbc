/** The differences between any two versions, chosen with two selects. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { InlineDiff } from "#app/components/protocols/diff-view.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { diffProtocolVersions, getProtocol, listProtocolVersions } from "#app/services/protocols.server.ts";
import { both, family, revalidateOnLiveEvents, targets } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const { workspaceId, protocolId } = params as { workspaceId: string; protocolId: string };
  const search = new URL(request.url).searchParams;
  return await loadOrThrowPage(async () => {
    const current = (await getProtocol(user, workspaceId, protocolId)).version;
    const versions = (await listProtocolVersions(user, workspaceId, protocolId, { limit: 200 })).items;
    const from = Number(search.get("from") ?? Math.max(1, current - 1));
    const to = Number(search.get("to") ?? current);
    const comparable = [from, to].every((v) => Number.isInteger(v) && v >= 1 && v <= current);
    return {
      current,
      versions,
      from,
      to,
      result: comparable && from !== to ? await diffProtocolVersions(user, workspaceId, protocolId, { from, to }) : null,
    };
  });
}

/** The versions that can be compared. */
export const shouldRevalidate = revalidateOnLiveEvents(both(family("protocol.version_added"), targets("protocolId")));

export default function CompareVersions() {
  const { current, versions, from, to, result } = useLoaderData<typeof loader>();
  const options = versions.map((v) => ({
    value: String(v.version),
    label: `Version ${v.version} · ${v.author.name}${v.note ? ` · ${v.note.slice(0, 60)}` : ""}`,
  }));
  if (current === 1) {
    return <Notice>This protocol has one version so far; once a second is saved you can compare them here.</Notice>;
  }
  return (
    <div className="space-y-4">
      <Card>
        <Form method="get" className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
          <SelectField label="From version" name="from" defaultValue={String(from)} options={options} key={`from-${from}`} />
          <SelectField label="To version" name="to" defaultValue={String(to)} options={options} key={`to-${to}`} />
          <Button variant="secondary">Compare</Button>
        </Form>
      </Card>
      {result ? (
        <section aria-labelledby="diff-heading" className="space-y-2">
          <h3 id="diff-heading" className="text-lg font-semibold">
            Changes from version {result.from.version} to version {result.to.version}
          </h3>
          <p className="text-sm text-slate-600">
            Version {result.to.version} by {result.to.author.name}, {formatUtc(result.to.createdAt)}
            {result.to.note ? ` · “${result.to.note}”` : ""}
          </p>
          <InlineDiff diff={result.diff} label={`Changes from version ${result.from.version} to ${result.to.version}`} />
        </section>
      ) : (
        <Notice>Choose two different versions to see what changed between them.</Notice>
      )}
    </div>
  );
}
