/**
 * How the stateless calculator answers (docs/api.md, "Stateless calculators").
 * Numbers are not rounded; a statistic that is not finite (the t of a
 * zero-width Knapp–Hartung interval) is written as null, since JSON has no
 * Infinity.
 */
import type { PooledEffect } from "#app/domain/meta-analysis.ts";
import type { EffectSizeAnswer, MetaAnalysisAnswer } from "#app/services/meta-analysis.server.ts";

const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);

export function pooledEffectJson(p: PooledEffect) {
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

export function metaAnalysisJson(answer: MetaAnalysisAnswer) {
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

export function effectSizesJson(answer: EffectSizeAnswer) {
  if (answer.kind === "single") return { measure: answer.measure, yi: answer.yi, vi: answer.vi };
  const label = (l?: string) => (l === undefined ? {} : { label: l });
  return {
    measure: answer.measure,
    effects: answer.rows.flatMap((row) => (row.estimable ? [{ index: row.index, ...label(row.label), yi: row.yi, vi: row.vi }] : [])),
    notEstimable: answer.rows.flatMap((row) => (!row.estimable ? [{ index: row.index, ...label(row.label), reason: row.reason }] : [])),
  };
}
