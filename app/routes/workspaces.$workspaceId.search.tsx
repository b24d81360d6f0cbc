import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { HighlightedText } from "#app/components/search/highlighted-text.tsx";
import { EmptyState } from "#app/components/ui/notice.tsx";
import { SEARCH_KINDS, type SearchKind } from "#app/domain/search-text.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { isServiceError } from "#app/services/errors.server.ts";
import { searchWorkspace } from "#app/services/search.server.ts";
import { getWorkspace } from "#app/services/workspaces.server.ts";
import { nothingLive, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

const PAGE_SIZE = 20;

const KIND_LABELS: Record<SearchKind, string> = {
  protocol: "Protocols",
  comment: "Comments",
  study: "Studies",
  dataset: "Datasets",
  biomarker: "Biomarkers",
  profile: "Profiles",
  goal: "Goals",
};

const isKind = (value: string | null): value is SearchKind => SEARCH_KINDS.includes(value as SearchKind);

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.q ? `“${data.q}” · Search · Consilience` : "Search · Consilience" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const url = new URL(request.url);
  const q = url.searchParams.get("q") ?? "";
  const kindParam = url.searchParams.get("kind");
  const kind = isKind(kindParam) ? kindParam : null;
  const offset = Math.max(0, Number.parseInt(url.searchParams.get("offset") ?? "0", 10) || 0);
  return await loadOrThrowPage(async () => {
    if (!q.trim()) {
      await getWorkspace(user, params.workspaceId!);
      return { q, kind, offset, problem: null, found: null };
    }
    try {
      const found = await searchWorkspace(user, params.workspaceId!, { q, kind: kind ?? undefined, offset, limit: PAGE_SIZE });
      return { q, kind, offset, problem: null, found };
    } catch (error) {
      // A query we cannot search for is the user's to fix on this page, not an error page.
      if (isServiceError(error) && error.status === 400) return { q, kind, offset, problem: error.message, found: null };
      throw error;
    }
  });
}

/** Search results stay as they were asked for; searching again refreshes them. */
export const shouldRevalidate = revalidateOnLiveEvents(nothingLive);

type Found = NonNullable<Awaited<ReturnType<typeof loader>>["found"]>;

/** The page's results by kind, kinds in the order of their best match. */
function groupByKind(items: Found["items"]) {
  const groups = new Map<SearchKind, Found["items"]>();
  for (const item of items) groups.set(item.kind, [...(groups.get(item.kind) ?? []), item]);
  return [...groups.entries()];
}

export default function Search() {
  const { q, kind, offset, problem, found } = useLoaderData<typeof loader>();
  const { workspaceId } = useParams();
  const base = `/workspaces/${workspaceId}/search`;
  const href = (changes: { kind?: SearchKind | null; offset?: number }) => {
    const next = new URLSearchParams({ q });
    const k = changes.kind === undefined ? kind : changes.kind;
    if (k) next.set("kind", k);
    if (changes.offset) next.set("offset", String(changes.offset));
    return `${base}?${next}`;
  };
  const total = found ? Object.values(found.counts).reduce((a, b) => a + (b ?? 0), 0) : 0;
  return (
    <section aria-labelledby="search-heading" className="space-y-4">
      <h2 id="search-heading" className="text-xl font-semibold">
        {found ? (
          <>
            Search results for “{q}” <span className="text-base font-normal text-slate-500">({total} found)</span>
          </>
        ) : (
          "Search"
        )}
      </h2>
      {problem ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {problem}
        </p>
      ) : null}
      {!found && !problem ? (
        <EmptyState title="Search this workspace">
          Type a word in the search field above (press <kbd>/</kbd> to get there) to find protocols, comments, studies, datasets,
          biomarkers, profiles and goals of this workspace.
        </EmptyState>
      ) : null}
      {found ? (
        <>
          <nav aria-label="Kinds of results" className="flex flex-wrap gap-2 text-sm">
            <KindLink to={href({ kind: null, offset: 0 })} current={kind === null} label={`All (${total})`} />
            {SEARCH_KINDS.filter((k) => found.counts[k]).map((k) => (
              <KindLink key={k} to={href({ kind: k, offset: 0 })} current={kind === k} label={`${KIND_LABELS[k]} (${found.counts[k]})`} />
            ))}
          </nav>
          {found.items.length === 0 ? (
            <EmptyState title={`Nothing matches “${q}”`}>
              Every word has to appear, and the last one may be the start of a word. Try fewer or shorter words, or another spelling.
            </EmptyState>
          ) : (
            groupByKind(found.items).map(([k, items]) => (
              <section key={k} aria-labelledby={`results-${k}`} className="space-y-2">
                <h3 id={`results-${k}`} className="text-base font-semibold text-slate-800">
                  {KIND_LABELS[k]}
                </h3>
                <ol className="space-y-2" data-testid={`search-results-${k}`}>
                  {items.map((item) => (
                    // A protocol can be found twice: its saved text and its live draft.
                    <li
                      key={`${item.kind}:${item.id}:${item.liveDraft ? "draft" : "saved"}`}
                      className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
                    >
                      <Link to={item.url} className="font-medium text-brand-700 underline-offset-2 hover:underline focus:underline">
                        <HighlightedText text={item.title} ranges={item.highlights.title} />
                      </Link>
                      {item.liveDraft ? (
                        <span className="ml-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
                          Live draft, not yet saved
                        </span>
                      ) : null}
                      {item.snippet ? (
                        <p className="mt-1 text-sm text-slate-600">
                          <HighlightedText text={item.snippet} ranges={item.highlights.snippet} />
                        </p>
                      ) : null}
                    </li>
                  ))}
                </ol>
              </section>
            ))
          )}
          {offset > 0 || found.nextCursor ? (
            <nav aria-label="Result pages" className="flex gap-4 text-sm">
              {offset > 0 ? (
                <Link to={href({ offset: Math.max(0, offset - PAGE_SIZE) })} className="text-brand-700 underline">
                  Previous results
                </Link>
              ) : null}
              {found.nextCursor ? (
                <Link to={href({ offset: Number(found.nextCursor) })} className="text-brand-700 underline">
                  More results
                </Link>
              ) : null}
            </nav>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function KindLink({ to, current, label }: { to: string; current: boolean; label: string }) {
  return (
    <Link
      to={to}
      aria-current={current ? "page" : undefined}
      className={`rounded-full border px-3 py-1 ${current ? "border-brand-600 bg-brand-50 font-medium text-brand-700" : "border-slate-300 text-slate-700 hover:bg-slate-50"}`}
    >
      {label}
    </Link>
  );
}
