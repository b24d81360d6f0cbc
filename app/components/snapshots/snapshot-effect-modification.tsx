/**
 * A frozen effect-modification analysis (decision 031), drawn from the numbers
 * stored in the snapshot, never recomputed: the summary, the modification
 * plot, the forest plot of the within-trial interactions, the across-trial
 * check and the trial table, as the live page drew them when it was frozen,
 * with the biomarker's registration mark when the snapshot stored one.
 */
import { InteractionSummary, treatmentWords } from "#app/components/effect-modification/interaction-summary.tsx";
import { InteractionForest } from "#app/components/effect-modification/interaction-forest.tsx";
import { ModificationPlot } from "#app/components/effect-modification/modification-plot.tsx";
import { AcrossTrialsCheck, TrialTable } from "#app/components/effect-modification/trial-table.tsx";
import { EffectModifierRegistration } from "#app/components/registrations/effect-modifier-badge.tsx";
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";

export function SnapshotEffectModification({ view, workspaceId }: { view: EffectModificationView; workspaceId: string }) {
  const pooled = view.pooled;
  const chosen = view.interventions.find((i) => i.key === view.intervention);
  if (!view.biomarker || !view.outcome) return null;
  return (
    <section aria-labelledby="frozen-modification" className="space-y-4">
      <h3 id="frozen-modification" className="text-lg font-semibold">
        Who benefits: {chosen?.name ?? view.intervention} × {view.biomarker.label} · {view.outcome.name}
      </h3>
      {/* Frozen with the analysis since decision 031's effect modifiers; older snapshots lack it and show nothing. */}
      {view.registration ? (
        <EffectModifierRegistration mark={view.registration} biomarker={view.biomarker.label} workspaceId={workspaceId} />
      ) : null}
      <InteractionSummary
        view={{ ...view, biomarker: view.biomarker }}
        pooled={pooled}
        treatment={treatmentWords(view)}
        nonePooled="Every trial was excluded when this was frozen."
      />
      <div className="max-w-4xl overflow-x-auto rounded-lg border border-slate-200 bg-white p-2">
        <ModificationPlot view={view} line={view.line} transform={view.transform} biomarker={view.biomarker} exclude={view.exclude} />
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-2">
        <InteractionForest
          trials={view.trials}
          pooled={pooled}
          exclude={view.exclude}
          weights={pooled?.weights ?? {}}
          title={`${chosen?.name ?? ""} × ${view.biomarker.label} · ${view.outcome.name}`}
          stepText={view.transformText}
        />
      </div>
      <AcrossTrialsCheck across={view.across} within={pooled} biomarkerLabel={view.biomarker.label} />
      <TrialTable view={view} exclude={view.exclude} />
    </section>
  );
}
