/** How POST /api/v1/effect-modification answers (docs/api.md, "Stateless calculators"). */
import type { z } from "zod";
import { type FittedTrial, summariseInteraction } from "#app/domain/effect-modification.ts";
import type { InteractionOutcome } from "#app/domain/interaction-fits.ts";
import type { PooledEffect, PoolingMethod } from "#app/domain/meta-analysis.ts";
import type { EffectModificationJson, EffectModificationMatrixJson, EffectModificationViewJson } from "#app/schemas/effect-modification.ts";

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

/** The workspace's effect-modification analysis, as the page and GET …/effect-modification show it. */
export type EffectModificationView = z.output<typeof EffectModificationViewJson>;
export type EffectModificationTrial = EffectModificationView["trials"][number];

/** Every intervention against every biomarker: the pooled within-trial interaction per cell. */
export type EffectModificationMatrix = z.output<typeof EffectModificationMatrixJson>;
