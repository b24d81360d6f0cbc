/**
 * The trials of docs/domain.md with the summary results they published,
 * by the profile they were split by. Where a paper gives a percentage or a
 * total rather than per-arm counts, the notes say how the numbers were derived.
 */
import type { PublicUser } from "#app/services/accounts.server.ts";
import { createResult } from "#app/services/results.server.ts";
import { createStudy, type StudyView } from "#app/services/studies.server.ts";

export interface SeedContext {
  lead: PublicUser;
  contributors: PublicUser[];
  observer: PublicUser;
  workspaceId: string;
  panelId?: string;
}

const HAMD_CHANGE = { name: "HAM-D 17 change from baseline", kind: "continuous" as const };
const RESPONSE = { name: "Response (≥50% drop in depression score)", kind: "binary" as const };
const REMISSION = { name: "Remission", kind: "binary" as const };

export async function seedStudies(ctx: SeedContext) {
  const [immunologist, endocrinologist] = ctx.contributors;
  const study = async (author: PublicUser, input: Record<string, unknown>) =>
    await createStudy(author, ctx.workspaceId, { ...input, panelId: ctx.panelId ?? null });
  const result = async (
    author: PublicUser,
    s: StudyView,
    input: { outcome: number; subgroup?: string; data: unknown; source: string; notes?: string },
  ) =>
    await createResult(author, ctx.workspaceId, {
      studyId: s.id,
      outcomeId: s.outcomes[input.outcome].id,
      interventionArmId: s.arms[0].id,
      comparatorArmId: s.arms[1].id,
      subgroup: input.subgroup ?? "",
      data: input.data,
      source: input.source,
      notes: input.notes ?? "",
    });

  const raison = await study(immunologist, {
    title: "Raison 2013: infliximab in treatment-resistant depression",
    design: "rct",
    registryId: "NCT00463580",
    population: "60 outpatients with treatment-resistant major depression; randomisation stratified by hs-CRP (> 5 mg/L).",
    arms: [
      { name: "infliximab", class: "anti-inflammatory", dose: "5 mg/kg IV at weeks 0, 2 and 6" },
      { name: "placebo", class: "placebo" },
    ],
    outcomes: [
      { ...HAMD_CHANGE, timepoint: "week 12" },
      { ...RESPONSE, timepoint: "week 12" },
    ],
  });
  await result(immunologist, raison, {
    outcome: 1,
    subgroup: "hs-CRP > 5 mg/L",
    data: { type: "binary", intervention: { events: 8, n: 13 }, comparator: { events: 3, n: 9 } },
    source: "Raison et al., JAMA Psychiatry 2013; PMC4015348",
    notes: "No overall effect; treatment × CRP interaction p = 0.01.",
  });

  const nettis = await study(immunologist, {
    title: "Nettis 2021 (MINDEP): minocycline add-on",
    design: "rct",
    population: "39 patients with treatment-resistant depression and CRP ≥ 1 mg/L.",
    arms: [
      { name: "minocycline", class: "anti-inflammatory", dose: "200 mg/day, 4 weeks" },
      { name: "placebo", class: "placebo" },
    ],
    outcomes: [{ ...HAMD_CHANGE, timepoint: "week 4" }],
  });
  await result(immunologist, nettis, {
    outcome: 0,
    subgroup: "CRP ≥ 3 mg/L",
    data: { type: "continuous", intervention: { mean: 12.0, sd: 6.5, n: 9 }, comparator: { mean: 3.5, sd: 4.3, n: 9 } },
    source: "Nettis et al. 2021; PMC8096832",
    notes: "HAM-D drop (positive = improvement). Arm sizes within the CRP ≥ 3 stratum approximated from the total.",
  });

  const mischoulon = await study(endocrinologist, {
    title: "Mischoulon 2022: EPA for inflamed, overweight depression",
    design: "rct",
    population: "61 adults with major depression, BMI > 25 kg/m2 and CRP ≥ 3 mg/L at entry.",
    arms: [
      { name: "EPA (omega-3)", class: "anti-inflammatory", dose: "4 g/day, 12 weeks" },
      { name: "placebo", class: "placebo" },
    ],
    outcomes: [{ ...RESPONSE, timepoint: "week 12" }],
  });
  await result(endocrinologist, mischoulon, {
    outcome: 0,
    subgroup: "BMI > 25 kg/m2 and CRP ≥ 3 mg/L",
    data: { type: "binary", intervention: { events: 20, n: 31 }, comparator: { events: 12, n: 30 } },
    source: "Mischoulon et al. 2022; PMID 36005883",
    notes: "Reported as 64% vs 40% response (d ≈ 0.53, not significant); counts derived from those percentages.",
  });

  const jha = await study(ctx.lead, {
    title: "Jha 2017 (CO-MED): SSRI vs bupropion + SSRI by baseline CRP",
    design: "rct",
    population: "106 CO-MED participants with baseline CRP.",
    arms: [
      { name: "bupropion + escitalopram", class: "antidepressant" },
      { name: "escitalopram + placebo", class: "antidepressant" },
    ],
    outcomes: [{ ...REMISSION, timepoint: "week 12" }],
  });

  const lin = await study(endocrinologist, {
    title: "Lin 2015: pioglitazone add-on",
    design: "rct",
    registryId: "NCT01559857",
    population: "37 adults with depression; analysed by insulin resistance.",
    arms: [
      { name: "pioglitazone", class: "metabolic" },
      { name: "placebo", class: "placebo" },
    ],
    outcomes: [{ ...HAMD_CHANGE, timepoint: "week 12" }],
  });

  const kohler = await study(ctx.lead, {
    title: "Köhler 2014: meta-analysis of anti-inflammatory treatment",
    design: "other",
    population: "6,262 participants across NSAID and cytokine-inhibitor trials.",
    arms: [
      { name: "anti-inflammatory agents", class: "anti-inflammatory" },
      { name: "placebo", class: "placebo" },
    ],
    outcomes: [{ name: "Depressive symptoms (SMD)", kind: "continuous" }],
  });
  await result(ctx.lead, kohler, {
    outcome: 0,
    data: { type: "estimate", measure: "SMD", estimate: -0.34, ciLower: -0.57, ciUpper: -0.11, interventionN: 3131, comparatorN: 3131 },
    source: "Köhler et al., JAMA Psychiatry 2014; PMID 25322082",
    notes: "Pooled SMD, I² = 90%. Per-arm N approximated as half of 6,262.",
  });

  return { raison, nettis, mischoulon, jha, lin, kohler };
}
