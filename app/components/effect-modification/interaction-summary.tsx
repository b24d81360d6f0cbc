/**
 * The pooled within-trial interaction in one sentence, and what it says about
 * who benefits: the same words on the live page and on a frozen snapshot.
 */
import { describeP, formatNumber, formatRange, METHOD_LABELS } from "#app/components/comparison/format.ts";
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";

interface Props {
  view: Pick<EffectModificationView, "effectScale" | "transformText" | "method" | "knha"> & { biomarker: { label: string } };
  pooled: EffectModificationView["pooled"];
  /** The treatment in words ("ketamine", "anti-inflammatory treatment"). */
  treatment: string;
  /** What to say when no trial is pooled. */
  nonePooled: string;
  /** The live page announces a new sentence when the reader excludes a trial. */
  live?: boolean;
}

/** The chosen intervention in words: a class reads as "<class> treatment". */
export function treatmentWords(view: Pick<EffectModificationView, "interventions" | "intervention">): string {
  const chosen = view.interventions.find((i) => i.key === view.intervention);
  if (!chosen) return view.intervention ?? "the treatment";
  return chosen.kind === "class" ? `${chosen.class} treatment` : chosen.name;
}

export function InteractionSummary({ view, pooled, treatment, nonePooled, live = false }: Props) {
  return (
    <p
      className="rounded-lg border border-slate-200 bg-white p-3 text-sm"
      data-testid="interaction-summary"
      aria-live={live ? "polite" : undefined}
    >
      {pooled ? (
        <>
          <strong>
            {formatNumber(pooled.estimate)} {formatRange(pooled.ciLower, pooled.ciUpper)}
          </strong>{" "}
          change in the treatment effect ({view.effectScale}) {view.transformText}, pooled within {pooled.k}{" "}
          {pooled.k === 1 ? "trial" : "trials"} ({METHOD_LABELS[view.method]}
          {view.knha ? ", Knapp–Hartung" : ""}; {describeP(pooled.pval)}
          {pooled.k > 1 ? `; τ² = ${pooled.tau2.toFixed(3)}, I² = ${Math.round(pooled.i2)}%` : ""}).{" "}
          {pooled.ciLower > 0
            ? `The effect of ${treatment} grows with ${view.biomarker.label}.`
            : pooled.ciUpper < 0
              ? `The effect of ${treatment} shrinks as ${view.biomarker.label} rises.`
              : `The trials do not show that the effect of ${treatment} depends on ${view.biomarker.label}.`}
        </>
      ) : (
        nonePooled
      )}
    </p>
  );
}
