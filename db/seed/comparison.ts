/**
 * Demo patient profiles (docs/domain.md: immuno-metabolic, high CRP, low CRP,
 * insulin resistant) and the published subgroup results mapped to them, so
 * the comparison opens with the seeded trials' summary results and their
 * synthetic participant-level datasets feeding the same cells.
 */
import type { PublicUser } from "#app/services/accounts.server.ts";
import { createProfile, mapResultToProfile } from "#app/services/profiles.server.ts";
import { listResults } from "#app/services/results.server.ts";

export interface SeedContext {
  lead: PublicUser;
  contributors: PublicUser[];
  observer: PublicUser;
  workspaceId: string;
}

/** The seeded trials (db/seed/studies.ts) whose published results are mapped. */
export interface ComparisonSeedTrials {
  raison: { id: string };
  nettis: { id: string };
  mischoulon: { id: string };
}

const crp = (operator: string, value: number) => ({ kind: "biomarker", code: "hs_crp", operator, value, unit: "mg/L" });

export async function seedComparison(ctx: SeedContext, trials: ComparisonSeedTrials) {
  const [immunologist, endocrinologist] = ctx.contributors.length ? [ctx.contributors[0], ctx.contributors.at(-1)!] : [ctx.lead, ctx.lead];
  const profile = async (author: PublicUser, name: string, description: string, items: unknown[]) =>
    await createProfile(author, ctx.workspaceId, { name, description, criteria: { op: "and", items } });

  const immunoMetabolic = await profile(
    ctx.lead,
    "Immuno-metabolic",
    "Low-grade inflammation with obesity: the immuno-metabolic form of depression (Milaneschi et al. 2020).",
    [crp(">", 3), { kind: "biomarker", code: "bmi", operator: ">=", value: 30, unit: "kg/m2" }],
  );
  const highCrp = await profile(immunologist, "High CRP", "hs-CRP above 3 mg/L, the upper cut-off of the usual clinical bands.", [
    crp(">", 3),
  ]);
  const lowCrp = await profile(immunologist, "Low CRP", "hs-CRP below 1 mg/L: no sign of low-grade inflammation.", [crp("<", 1)]);
  await profile(
    endocrinologist,
    "Insulin resistant",
    "HOMA-IR of 2.9 or more (derived from fasting insulin and glucose when not measured).",
    [{ kind: "biomarker", code: "homa_ir", operator: ">=", value: 2.9, unit: "" }],
  );

  const firstResult = async (studyId: string) => (await listResults(ctx.lead, ctx.workspaceId, { studyId })).items[0];
  const map = async (author: PublicUser, studyId: string, profileId: string) => {
    const result = await firstResult(studyId);
    if (result) await mapResultToProfile(author, ctx.workspaceId, result.id, { profileId });
  };
  // Raison reported CRP > 5 and Nettis CRP ≥ 3: both closest to "High CRP"; the cut-off difference is shown.
  await map(immunologist, trials.raison.id, highCrp.id);
  await map(immunologist, trials.nettis.id, highCrp.id);
  // Mischoulon enrolled BMI > 25 and CRP ≥ 3: the immuno-metabolic profile, with its BMI cut-off of 30 shown as differing.
  await map(endocrinologist, trials.mischoulon.id, immunoMetabolic.id);
  return { profiles: { immunoMetabolic, highCrp, lowCrp } };
}
