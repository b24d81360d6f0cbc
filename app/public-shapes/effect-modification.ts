/** How POST /api/v1/effect-modification and the workspace's analysis answer (docs/api.md, "Stateless calculators"). */
import type { z } from "zod";
import { type FittedTrial, summariseInteraction } from "#app/domain/effect-modification.ts";
import type { InteractionOutcome } from "#app/domain/interaction-fits.ts";
import type { PooledEffect, PoolingMethod } from "#app/domain/meta-analysis.ts";
import type { EffectModifierMark } from "#app/domain/registrations.ts";
import type { EffectModificationJson, EffectModificationMatrixJson, EffectModificationViewJson } from "#app/schemas/effect-modification.ts";
import { effectModifierRegistrationJson } from "./registrations.ts";

export interface EffectModificationAnswer {
  outcome: InteractionOutcome;
  method: PoolingMethod;
  knha: boolean;
  perTrial: FittedTrial[];
  notPooled: { label: string; n: number; reason: string }[];
  pooled: PooledEffect;
}

export function effectModificationJson(answer: EffectModificationAnswer): z.output<typeof EffectModificationJson> {
  const { pooled } = answer;
  return {
    outcome: answer.outcome,
    method: answer.method,
    knha: pooled.knha,
    perTrial: answer.perTrial.map((t) => ({
      label: t.label,
      n: t.n,
      interaction: t.interaction,
      se: t.se,
      ciLower: t.ciLower,
      ciUpper: t.ciUpper,
      effectAtZero: t.effectAtZero,
    })),
    notPooled: answer.notPooled,
    pooled: summariseInteraction(pooled),
  };
}

/**
 * The workspace's effect-modification analysis, as the page shows it and
 * snapshots store it: its registration mark carries no URL, which depends on
 * the host (GET …/effect-modification adds it).
 */
export type EffectModificationView = Omit<z.output<typeof EffectModificationViewJson>, "registration"> & {
  registration: EffectModifierMark | null;
};
export type EffectModificationTrial = EffectModificationView["trials"][number];

/** Every intervention against every biomarker: the pooled within-trial interaction per cell, as the API writes it. */
export type EffectModificationMatrix = z.output<typeof EffectModificationMatrixJson>;
type MatrixBiomarker = Omit<EffectModificationMatrix["biomarkers"][number], "registration"> & { registration: EffectModifierMark | null };
/** The matrix as the service computes it: each column's mark without the URL. */
export type EffectModificationMatrixView = Omit<EffectModificationMatrix, "biomarkers"> & { biomarkers: MatrixBiomarker[] };

/** `links`: where the registrations' pages are, for the marks. */
export const effectModificationViewJson = (
  view: EffectModificationView,
  links: { workspaceId: string; origin: string },
): z.output<typeof EffectModificationViewJson> => ({
  ...view,
  registration: effectModifierRegistrationJson(view.registration, links.workspaceId, links.origin),
});

export const effectModificationMatrixJson = (
  matrix: EffectModificationMatrixView,
  links: { workspaceId: string; origin: string },
): EffectModificationMatrix => ({
  ...matrix,
  biomarkers: matrix.biomarkers.map((b) => ({
    ...b,
    registration: effectModifierRegistrationJson(b.registration, links.workspaceId, links.origin),
  })),
});
