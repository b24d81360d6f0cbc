import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { useMemo, useState } from "react";
import { ComparisonMatrix, MatrixLegend } from "#app/components/comparison/matrix.tsx";
import { CiteThis } from "#app/components/snapshots/cite-this.tsx";
import { EffectModificationDiffView } from "#app/components/snapshots/effect-modification-diff.tsx";
import { SnapshotDiffView } from "#app/components/snapshots/snapshot-diff.tsx";
import { SnapshotEffectModification } from "#app/components/snapshots/snapshot-effect-modification.tsx";
import { SnapshotForest } from "#app/components/snapshots/snapshot-forest.tsx";
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";
import { Button } from "#app/components/ui/button.tsx";
import { TextAreaField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { forestOfProfile, LICENCES, restoreForest, type SnapshotContent } from "#app/domain/snapshots.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { snapshotUrl } from "#app/public-shapes/snapshots.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getSnapshot, listSnapshots, snapshotChangesSince, withdrawSnapshot } from "#app/services/snapshots.server.ts";
import type { loader as workspaceLoader } from "./workspaces.$workspaceId.tsx";
import { both, either, family, revalidateOnLiveEvents, targets } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => {
    const snapshot = await getSnapshot(user, params.workspaceId!, params.snapshotId!);
    const changes = await snapshotChangesSince(user, params.workspaceId!, snapshot);
    // Snapshots answering the same kind of question compare with each other: the comparison's (or a cell's), or who benefits.
    const kind = (scope: string) => (scope === "effect-modification" ? "effect-modification" : "comparison");
    const others = (await listSnapshots(user, params.workspaceId!)).filter(
      (s) => s.id !== snapshot.id && kind(s.scope) === kind(snapshot.scope),
    );
    return {
      snapshot: {
        ...snapshot,
        createdAt: snapshot.createdAt.toISOString(),
        withdrawn: snapshot.withdrawn && { ...snapshot.withdrawn, at: snapshot.withdrawn.at.toISOString() },
      },
      changes: "diff" in changes ? { diff: changes.diff.diff } : changes,
      others: others.map((s) => ({ id: s.id, number: s.number, title: s.title })),
      url: snapshotUrl(context.publicOrigin, snapshot),
    };
  });
}

/** A snapshot never changes; its withdrawal and what changed since in the live comparison do. */
export const shouldRevalidate = revalidateOnLiveEvents(
  either(both(family("snapshot."), targets("snapshotId")), family("study.", "dataset.", "result.", "profile.", "panel.", "site_summary.")),
);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = await request.formData();
  return handleFormAction(
    async () => {
      await withdrawSnapshot(user, params.workspaceId!, params.snapshotId!, { reason: form.get("reason") });
      return { ok: true as const };
    },
    "withdraw",
    Object.fromEntries(form),
  );
}

export default function SnapshotPage() {
  const data = useLoaderData<typeof loader>();
  const { snapshot, changes, others, url } = data;
  const content = snapshot.content as unknown as SnapshotContent;
  const parent = useRouteLoaderData<typeof workspaceLoader>("routes/workspaces.$workspaceId");
  const isLead = parent?.workspace.role === "lead";
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [selected, setSelected] = useState<{ row: string; profile: string | null } | null>(null);
  const { metadata, options, outcome } = content;
  const frozenAnalysis = content.effectModification?.view as EffectModificationView | undefined;
  const higherIsBetter = outcome?.higherIsBetter ?? true;
  const selectedRow = selected ? content.outputs.rows.find((r) => r.key === selected.row) : undefined;
  const forest = useMemo(() => {
    const stored = selected && content.outputs.forests[selected.row];
    if (!stored) return null;
    return restoreForest(selected.profile ? forestOfProfile(stored, selected.profile) : stored, content.inputs);
  }, [selected, content]);
  const citation = {
    authors: metadata.authors,
    title: metadata.title,
    version: metadata.number,
    year: Number(metadata.createdAt.slice(0, 4)),
    publisher: `Consilience, ${metadata.workspace.name}`,
    url,
    hash: snapshot.hash,
  };
  const api = `/api/v1/workspaces/${metadata.workspace.id}/snapshots/${snapshot.id}`;

  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm text-slate-600">
          <Link to=".." relative="path" className="text-brand-700 underline">
            Snapshots
          </Link>{" "}
          · snapshot {metadata.number}
        </p>
        <h2 className="text-xl font-semibold">{metadata.title}</h2>
        <p className="text-sm text-slate-700">
          {metadata.authors.map((a, i) => (
            <span key={`${a.name}-${i}`}>
              {i ? ", " : ""}
              {a.name}
              {a.orcid ? (
                <>
                  {" "}
                  (
                  <a className="text-brand-700 underline" href={`https://orcid.org/${a.orcid}`}>
                    ORCID {a.orcid}
                  </a>
                  )
                </>
              ) : null}
            </span>
          ))}{" "}
          · frozen {metadata.createdAt.replace("T", " ").slice(0, 16)} UTC by {metadata.createdBy} ·{" "}
          <a className="text-brand-700 underline" href={LICENCES[metadata.licence].url}>
            {metadata.licence}
          </a>
        </p>
        <p className="text-xs text-slate-600">
          SHA-256{" "}
          <code className="break-all" data-testid="snapshot-hash">
            {snapshot.hash}
          </code>{" "}
          · {outcome?.name ?? "no outcome"} · {options.measure} · {options.method}
          {options.knha ? " with Knapp–Hartung" : ""} · {content.studies.length} studies ·{" "}
          {content.effectModification
            ? `${Object.keys(content.effectModification.points).length} participant-level trials`
            : `${content.inputs.length} inputs`}
        </p>
      </div>
      {snapshot.withdrawn ? (
        <Notice tone="error">
          Withdrawn on {snapshot.withdrawn.at.slice(0, 10)} by {snapshot.withdrawn.by.name}: {snapshot.withdrawn.reason} It stays readable
          as it was frozen.
        </Notice>
      ) : null}
      <div className="flex flex-wrap gap-2 text-sm">
        <a className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50" href={api}>
          Snapshot JSON
        </a>
        <a className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50" href={`${api}/ro-crate.zip`}>
          RO-Crate (ZIP)
        </a>
      </div>

      <section aria-labelledby="changes-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 id="changes-heading" className="text-lg font-semibold">
          What changed since
        </h3>
        {!("diff" in changes) ? (
          <p className="text-sm text-slate-700" data-testid="diff-summary">
            {changes.unavailable}
          </p>
        ) : changes.diff.kind === "effect-modification" ? (
          <EffectModificationDiffView
            diff={changes.diff}
            stepText={frozenAnalysis?.transformText}
            effectScale={frozenAnalysis?.effectScale}
            beforeLabel={`Snapshot ${metadata.number}`}
            afterLabel="Now"
          />
        ) : (
          <SnapshotDiffView diff={changes.diff} measure={options.measure} beforeLabel={`Snapshot ${metadata.number}`} afterLabel="Now" />
        )}
        {others.length ? (
          <p className="mt-2 text-sm">
            Compare with:{" "}
            {others.map((o, i) => (
              <span key={o.id}>
                {i ? " · " : ""}
                <Link to={`diff/${o.id}`} className="text-brand-700 underline">
                  snapshot {o.number}
                </Link>
              </span>
            ))}
          </p>
        ) : null}
      </section>

      {content.effectModification ? (
        <SnapshotEffectModification view={content.effectModification.view as EffectModificationView} workspaceId={metadata.workspace.id} />
      ) : (
        <>
          <MatrixLegend higherIsBetter={higherIsBetter} measure={options.measure} />
          <ComparisonMatrix
            rows={content.outputs.rows}
            profiles={content.profiles}
            workspaceId={metadata.workspace.id}
            measure={options.measure}
            higherIsBetter={higherIsBetter}
            selected={selected}
            onSelect={(row, profile) => setSelected({ row, profile })}
          />
        </>
      )}
      {selected && selectedRow && forest && outcome ? (
        <SnapshotForest
          key={`${selected.row}|${selected.profile}`}
          workspaceId={metadata.workspace.id}
          row={selectedRow}
          profileName={selected.profile ? (content.profiles.find((p) => p.id === selected.profile)?.name ?? "") : "every profile"}
          analysis={forest}
          inputs={content.inputs}
          profiles={content.profiles}
          outcome={{ name: outcome.name, higherIsBetter }}
          onClose={() => setSelected(null)}
        />
      ) : null}

      <CiteThis citation={citation} />

      {isLead && !snapshot.withdrawn ? (
        <Card>
          <h3 className="text-lg font-semibold">Withdraw this snapshot</h3>
          <p className="text-sm text-slate-600">A withdrawn snapshot stays readable, with your reason beside it; it cannot be deleted.</p>
          <Form method="post" className="mt-3 space-y-3" noValidate>
            {result && "formError" in result && result.formError ? <Notice tone="error">{result.formError}</Notice> : null}
            <TextAreaField
              label="Reason"
              name="reason"
              rows={2}
              required
              error={result && "fieldErrors" in result ? result.fieldErrors.reason : undefined}
            />
            <Button variant="danger" disabled={busy}>
              {busy ? "Withdrawing…" : "Withdraw"}
            </Button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
