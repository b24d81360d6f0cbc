import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EffectModificationDiffView } from "#app/components/snapshots/effect-modification-diff.tsx";
import { SnapshotDiffView } from "#app/components/snapshots/snapshot-diff.tsx";
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { diffSnapshots, getSnapshot } from "#app/services/snapshots.server.ts";
import { both, family, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => {
    const view = await diffSnapshots(user, params.workspaceId!, params.snapshotId!, params.otherId!);
    const [from, to] = await Promise.all([
      getSnapshot(user, params.workspaceId!, params.snapshotId!),
      getSnapshot(user, params.workspaceId!, params.otherId!),
    ]);
    const header = (s: typeof from) => {
      // An effect-modification snapshot stores the live view's shape: its step and scale name the numbers.
      const analysis = s.content.effectModification?.view as EffectModificationView | undefined;
      return {
        id: s.id,
        number: s.number,
        title: s.title,
        hash: s.hash,
        measure: s.content.options.measure,
        stepText: analysis?.transformText,
        effectScale: analysis?.effectScale,
      };
    };
    return { diff: view.diff, from: header(from), to: header(to) };
  });
}

/** Two frozen snapshots: only a withdrawal notice changes. */
export const shouldRevalidate = revalidateOnLiveEvents(
  both(family("snapshot.withdrawn"), (event, params) => event.target.id === params.snapshotId || event.target.id === params.otherId),
);

export default function SnapshotDiffPage() {
  const { diff, from, to } = useLoaderData<typeof loader>();
  const labels = { beforeLabel: `Snapshot ${from.number}`, afterLabel: `Snapshot ${to.number}` };
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        <Link to="../../.." relative="path" className="text-brand-700 underline">
          Snapshots
        </Link>
      </p>
      <h2 className="text-xl font-semibold">
        From snapshot {from.number} to snapshot {to.number}
      </h2>
      <ul className="text-sm text-slate-700">
        {[from, to].map((s) => (
          <li key={s.id}>
            <Link to={`../../../${s.id}`} relative="path" className="text-brand-700 underline">
              {s.number}. {s.title}
            </Link>{" "}
            · SHA-256 <code className="break-all">{s.hash.slice(0, 16)}…</code>
          </li>
        ))}
      </ul>
      {diff.kind === "comparison" && from.measure !== to.measure ? (
        <p className="text-sm text-amber-800">
          The two snapshots use different measures ({from.measure}, {to.measure}): their numbers are on different scales.
        </p>
      ) : null}
      <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Differences">
        {diff.kind === "effect-modification" ? (
          <EffectModificationDiffView diff={diff} stepText={to.stepText} effectScale={to.effectScale} {...labels} />
        ) : (
          <SnapshotDiffView diff={diff} measure={to.measure} {...labels} />
        )}
      </section>
    </div>
  );
}
