import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useParams, useSearchParams, useSubmit } from "@remix-run/react";
import { EventList } from "#app/components/event-list.tsx";
import { EmptyState } from "#app/components/ui/notice.tsx";
import { EVENT_TYPES, isEventType } from "#app/domain/events.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { listRecentEvents } from "#app/services/audit.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { useLivePatched } from "#app/realtime/live-events.ts";
import { nothingLive, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";
import { patchActivity } from "#app/realtime/patches/activity.ts";

const PAGE_SIZE = 50;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const search = new URL(request.url).searchParams;
  const type = search.get("type");
  const before = Number(search.get("before"));
  return await loadOrThrowPage(
    async () =>
      await listRecentEvents(user, params.workspaceId!, {
        type: isEventType(type) ? type : undefined,
        before: Number.isInteger(before) && before > 0 ? before : undefined,
        limit: PAGE_SIZE,
      }),
  );
}

/** Every event is added to the list as it arrives: the trail never reloads for one. */
export const shouldRevalidate = revalidateOnLiveEvents(nothingLive);

export default function Activity() {
  const { workspaceId } = useParams();
  const [params] = useSearchParams();
  const view = { type: params.get("type"), newest: !params.get("before") };
  const { items, nextCursor } = useLivePatched(useLoaderData<typeof loader>(), (page, event) => patchActivity(page, event, view));
  const submit = useSubmit();
  const type = params.get("type") ?? "";
  const olderParams = new URLSearchParams(params);
  if (nextCursor) olderParams.set("before", nextCursor);
  return (
    <section aria-labelledby="activity-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="activity-heading" className="text-xl font-semibold">
            Activity and audit trail
          </h2>
          <p className="text-sm text-slate-600">Every change in this workspace, newest first. Nobody can edit or delete it.</p>
        </div>
        <div className="flex min-w-0 max-w-full flex-wrap items-end gap-3">
          <Form method="get" onChange={(e) => submit(e.currentTarget)} className="flex min-w-0 max-w-full items-end gap-2">
            <label className="min-w-0 max-w-full text-sm">
              <span className="block font-medium text-slate-800">Show</span>
              <select name="type" defaultValue={type} className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
                <option value="">All changes</option>
                {Object.entries(EVENT_TYPES).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label} ({value})
                  </option>
                ))}
              </select>
            </label>
            <noscript>
              <button type="submit" className="rounded-md border px-2 py-1.5 text-sm">
                Filter
              </button>
            </noscript>
          </Form>
          <a
            href={`/api/v1/workspaces/${workspaceId}/events.csv`}
            download
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50"
          >
            Export CSV
          </a>
        </div>
      </div>
      {items.length === 0 ? (
        <EmptyState title={type ? "No changes of this kind yet" : "No activity yet"}>
          {type ? "Choose “All changes” to see everything." : "Changes appear here as soon as anyone makes them."}
        </EmptyState>
      ) : (
        <EventList events={items} />
      )}
      <nav aria-label="Pages" className="flex gap-3 text-sm">
        {params.get("before") ? (
          <Link className="text-brand-700 underline" to={type ? `?type=${type}` : "?"}>
            Newest
          </Link>
        ) : null}
        {nextCursor ? (
          <Link className="text-brand-700 underline" to={`?${olderParams}`}>
            Older changes
          </Link>
        ) : null}
      </nav>
    </section>
  );
}
