/**
 * How the stateless calculator answers (docs/api.md, "Stateless calculators").
 * Numbers are not rounded; a statistic that is not finite (the t of a
 * zero-width Knapp–Hartung interval) is written as null, since JSON has no
 * Infinity.
 */
import type { z } from "zod";
import type { EffectMeasure, EffectSizeOutcome } from "#app/domain/effect-sizes.ts";
import type { PooledEffect, SubgroupDifferenceTest } from "#app/domain/meta-analysis.ts";
import type { EffectSizesJson, MetaAnalysisJson, PooledEffectJson } from "#app/schemas/meta-analysis.ts";

export interface MetaAnalysisAnswer {
  pooled: PooledEffect;
  subgroups: { groups: { name: string; pooled: PooledEffect }[]; test: SubgroupDifferenceTest | null } | null;
}

export type EffectSizeRow = { index: number; label?: string } & EffectSizeOutcome;

export type EffectSizeAnswer =
  | { kind: "single"; measure: EffectMeasure; yi: number; vi: number }
  | { kind: "list"; measure: EffectMeasure; rows: EffectSizeRow[] };

const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);

export function pooledEffectJson(p: PooledEffect): z.output<typeof PooledEffectJson> {
  return {
    method: p.method,
    knha: p.knha,
    k: p.k,
    estimate: p.estimate,
    se: p.se,
    ciLower: p.ciLower,
    ciUpper: p.ciUpper,
    tau2: p.tau2,
    i2: p.i2,
    h2: p.h2,
    q: p.q,
    qDf: p.qDf,
    qP: p.qP,
    piLower: p.piLower,
    piUpper: p.piUpper,
    weights: p.weights,
    test: p.test,
    ...(p.test === "t" ? { tval: finiteOrNull(p.tval!), df: p.df } : { zval: finiteOrNull(p.zval!) }),
    pval: p.pval,
  };
}

export function metaAnalysisJson(answer: MetaAnalysisAnswer): z.output<typeof MetaAnalysisJson> {
  return {
    ...pooledEffectJson(answer.pooled),
    ...(answer.subgroups
      ? {
          subgroups: {
            groups: answer.subgroups.groups.map(({ name, pooled }) => ({ name, ...pooledEffectJson(pooled) })),
            test: answer.subgroups.test,
          },
        }
      : {}),
  };
}

export function effectSizesJson(answer: EffectSizeAnswer): z.output<typeof EffectSizesJson> {
  if (answer.kind === "single") return { measure: answer.measure, yi: answer.yi, vi: answer.vi };
  const label = (l?: string) => (l === undefined ? {} : { label: l });
  return {
    measure: answer.measure,
    effects: answer.rows.flatMap((row) => (row.estimable ? [{ index: row.index, ...label(row.label), yi: row.yi, vi: row.vi }] : [])),
    notEstimable: answer.rows.flatMap((row) => (!row.estimable ? [{ index: row.index, ...label(row.label), reason: row.reason }] : [])),
  };
}
