import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { CommentsPanel } from "#app/components/comments/comments-panel.tsx";
import { useComments } from "#app/components/comments/use-comments.ts";
import { ColumnSummaryCard } from "#app/components/datasets/column-summary.tsx";
import { cellKey, DatasetGrid, type CellRef, type GridRow } from "#app/components/datasets/dataset-grid.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { datasetJson, datasetVersionJson } from "#app/public-shapes/datasets.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getDataset, listDatasetVersions } from "#app/services/dataset-views.server.ts";
import { getWorkspace } from "#app/services/workspaces.server.ts";
import { either, family, revalidateOnLiveEvents, roleChanges, targets } from "#app/realtime/live-revalidation.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.dataset.name} v${data.dataset.version} · Consilience` : "Dataset · Consilience" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => {
    const workspace = await getWorkspace(user, params.workspaceId!);
    const dataset = await getDataset(user, workspace.id, params.datasetId!);
    return {
      workspaceId: workspace.id,
      canUpload: workspace.role !== "observer",
      dataset: { ...datasetJson(dataset), studyTitle: dataset.studyTitle, uploadedByName: dataset.uploadedByName },
      summary: dataset.summary,
      versions: (await listDatasetVersions(user, workspace.id, dataset.id)).map(datasetVersionJson),
    };
  });
}

/** A new version of the dataset (or of another in its study, listed as versions). */
export const shouldRevalidate = revalidateOnLiveEvents(either(targets("datasetId"), family("dataset.imported"), roleChanges));

const PAGE = 5000;

/** Loads every row through the rows API, a page at a time, so the grid can sort and filter in the browser. */
function useAllRows(rowsUrl: string, total: number) {
  const [rows, setRows] = useState<GridRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    setRows([]);
    (async () => {
      const loaded: GridRow[] = [];
      for (let offset = 0; offset < total; offset += PAGE) {
        const response = await fetch(`${rowsUrl}?offset=${offset}&limit=${PAGE}`, { headers: { accept: "application/json" } });
        if (!response.ok) throw new Error(`The rows could not be loaded (${response.status}).`);
        const page = (await response.json()) as { items: GridRow[] };
        if (cancelled) return;
        loaded.push(...page.items);
        setRows([...loaded]);
      }
    })().catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, [rowsUrl, total]);
  return { rows, error };
}

export default function DatasetPage() {
  const { workspaceId, canUpload, dataset, summary, versions } = useLoaderData<typeof loader>();
  const base = `/api/v1/workspaces/${workspaceId}/datasets/${dataset.id}`;
  const { rows, error } = useAllRows(`${base}/rows`, dataset.rowCount);
  const synthetic = /synthetic/i.test(dataset.name) || /synthetic/i.test(dataset.source.fileName);
  const newest = versions[0]?.version === dataset.version;
  const visitColumn = dataset.columns.find((c) => c.role === "visit");
  const discussion = useComments(workspaceId, { type: "dataset", id: dataset.id });
  const [selected, setSelected] = useState<CellRef | null>(null);
  const commented = useMemo(
    () =>
      new Set(
        (discussion.comments ?? [])
          .filter((c) => !c.parentId && !c.resolvedAt && c.target.anchor?.row !== undefined && c.target.anchor.column)
          .map((c) => cellKey(c.target.anchor!.row!, c.target.anchor!.column!)),
      ),
    [discussion.comments],
  );

  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <p className="text-sm text-slate-500">
          <Link to={`/workspaces/${workspaceId}/studies`} className="hover:underline">
            Studies
          </Link>{" "}
          · {dataset.studyTitle}
        </p>
        <div className="flex flex-wrap items-baseline gap-3">
          <h2 className="text-xl font-semibold">{dataset.name}</h2>
          <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">version {dataset.version}</span>
          <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
            {dataset.kind === "participant" ? "participant-level" : "summary-level"}
          </span>
          {synthetic ? <span className="rounded bg-violet-100 px-2 py-0.5 text-xs font-medium text-violet-800">Synthetic data</span> : null}
        </div>
        <p className="text-sm text-slate-600">
          {dataset.rowCount} rows · {dataset.columns.length} columns · from {dataset.source.fileName} · uploaded by {dataset.uploadedByName}
          , {formatUtc(dataset.createdAt)}
        </p>
        <div className="flex flex-wrap gap-3 pt-2 text-sm">
          <a
            href={`${base}/export.csv`}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50"
            download
          >
            Export CSV
          </a>
          {canUpload ? (
            <Link
              to={`/workspaces/${workspaceId}/studies/${dataset.studyId}/datasets/new?name=${encodeURIComponent(dataset.name)}&kind=${dataset.kind}`}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50"
            >
              Upload a new version
            </Link>
          ) : null}
        </div>
      </header>

      {visitColumn ? (
        <p className="text-sm text-slate-700" data-testid="dataset-visits">
          One row per participant and visit (column “{visitColumn.name}”): {(visitColumn.visits ?? []).join(" · ")}. Analyses read
          biomarkers at the baseline visit and a score measured at several visits as one column per visit.
        </p>
      ) : null}
      {!newest ? <Notice>This is an older version; the newest is version {versions[0]?.version}.</Notice> : null}
      {dataset.warnings.length ? (
        <Notice>
          <ul className="list-disc space-y-1 pl-4">
            {dataset.warnings.map((w, i) => (
              <li key={i}>{w.message}</li>
            ))}
          </ul>
        </Notice>
      ) : null}

      <section aria-labelledby="columns-heading" className="space-y-2">
        <h3 id="columns-heading" className="text-base font-semibold">
          Columns
        </h3>
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {dataset.columns.map((column) => (
            <ColumnSummaryCard key={column.name} column={column} summary={summary.find((s) => s.column === column.name)} />
          ))}
        </ul>
      </section>

      <section aria-labelledby="rows-heading" className="space-y-2">
        <h3 id="rows-heading" className="text-base font-semibold">
          Rows
        </h3>
        {error ? <Notice tone="error">{error}</Notice> : null}
        {rows.length < dataset.rowCount && !error ? (
          <p className="text-sm text-slate-500" aria-live="polite">
            Loading rows… {rows.length} of {dataset.rowCount}
          </p>
        ) : null}
        <div className="grid gap-4 xl:grid-cols-[1fr_20rem]">
          <div className="min-w-0">
            <p className="mb-2 text-xs text-slate-500">Select a cell (click or Enter) to discuss it; a corner mark shows open threads.</p>
            <DatasetGrid columns={dataset.columns} rows={rows} commented={commented} selected={selected} onSelectCell={setSelected} />
          </div>
          <aside>
            {selected ? (
              <button type="button" className="mb-2 text-sm text-brand-700 underline" onClick={() => setSelected(null)}>
                Show all threads on this dataset
              </button>
            ) : null}
            <CommentsPanel
              target={{ type: "dataset", id: dataset.id }}
              source={discussion}
              anchor={selected}
              title={selected ? `Row ${selected.row + 1}, ${selected.column}` : "Discussion"}
            />
          </aside>
        </div>
      </section>

      <section aria-labelledby="versions-heading">
        <Card>
          <h3 id="versions-heading" className="text-base font-semibold">
            Versions
          </h3>
          <ol className="mt-2 divide-y divide-slate-100 text-sm">
            {versions.map((v) => (
              <li key={v.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
                {v.id === dataset.id ? (
                  <span className="font-medium">version {v.version} (shown)</span>
                ) : (
                  <Link to={`/workspaces/${workspaceId}/datasets/${v.id}`} className="font-medium text-brand-700 hover:underline">
                    version {v.version}
                  </Link>
                )}
                <span className="text-slate-500">
                  {v.rowCount} rows · {v.uploadedByName} · {formatUtc(v.createdAt)}
                </span>
              </li>
            ))}
          </ol>
        </Card>
      </section>
    </div>
  );
}
