/**
 * Demo datasets: three synthetic, deterministic participant-level tables
 * shaped by the trials in docs/domain.md (infliximab, Raison 2013; minocycline,
 * Nettis 2021; EPA, Mischoulon 2022). They are labelled synthetic in their
 * names and file names, and go through the same import service as an upload.
 * The infliximab table reports CRP and glucose in mg/dL, so the demo shows a
 * conversion; the EPA table reports insulin in pmol/L (a named convention).
 */
import type { PublicUser } from "#app/services/accounts.server.ts";
import { importDataset } from "#app/services/datasets.server.ts";

export interface SeedContext {
  lead: PublicUser;
  contributors: PublicUser[];
  observer: PublicUser;
  workspaceId: string;
}

/** The studies (seeded elsewhere) the datasets belong to; each should use a panel started from the default. */
export interface DatasetSeedStudies {
  infliximab: string;
  minocycline: string;
  epa: string;
}

/** mulberry32: a small seeded generator, so every seed produces the same demo. */
export function generator(seed: number) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (mean = 0, sd = 1) => {
    const u = Math.max(uniform(), 1e-12);
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return { uniform, normal, logNormal: (median: number, sdLog: number) => median * Math.exp(normal(0, sdLog)) };
}

const fixed = (value: number, digits: number) => value.toFixed(digits);
const id = (prefix: string, i: number) => `${prefix}-${String(i + 1).padStart(4, "0")}`;
const clampScore = (v: number) => Math.max(0, Math.round(v));

/**
 * Infliximab vs placebo: the benefit grows with hs-CRP, about 3 HAM-D points
 * per doubling, crossing zero near 2.5 mg/L (Raison 2013 found benefit only
 * above 5 mg/L). CRP and glucose in mg/dL.
 */
export function raisonSyntheticCsv(participants = 240): string {
  const r = generator(2013);
  const lines = ["participant_id,arm,CRP (mg/dL),glucose (mg/dL),BMI (kg/m2),hamd_baseline,hamd_week12"];
  for (let i = 0; i < participants; i++) {
    const arm = i % 2 === 0 ? "infliximab" : "placebo";
    const crpMgL = r.logNormal(3, 0.9);
    const baseline = clampScore(r.normal(23, 3.5));
    const benefit = arm === "infliximab" ? 3 * Math.log2(crpMgL / 2.5) : 0;
    const week12 = clampScore(baseline - r.normal(8 + benefit, 5));
    const glucose = r.normal(98 + (crpMgL > 3 ? 8 : 0), 12);
    lines.push([id("RAI", i), arm, fixed(crpMgL / 10, 3), fixed(glucose, 0), fixed(r.normal(29, 5), 1), baseline, week12].join(","));
  }
  return lines.join("\n");
}

/**
 * Minocycline vs placebo, all CRP ≥ 1 mg/L: shaped by HAM-D drops of 12.0 ± 6.5 vs 3.5 ± 4.3 when CRP ≥ 3 and
 * about 2 otherwise, with minocycline's drop growing with CRP (about 5 points per doubling).
 */
export function nettisSyntheticCsv(participants = 200): string {
  const r = generator(2021);
  const lines = ["participant_id,arm,hs_crp (mg/L),IL-6 (pg/mL),BMI (kg/m2),hamd_baseline,hamd_week4"];
  for (let i = 0; i < participants; i++) {
    const arm = i % 2 === 0 ? "minocycline" : "placebo";
    const crp = 1 + r.logNormal(2.2, 0.8);
    const baseline = clampScore(r.normal(22, 4));
    const drop = arm === "minocycline" ? r.normal(5 * Math.log2(crp) - 0.5, 5) : crp >= 3 ? r.normal(3.5, 4.3) : r.normal(2, 4);
    lines.push(
      [
        id("MIN", i),
        arm,
        fixed(crp, 2),
        fixed(r.logNormal(2.5 + crp / 4, 0.6), 2),
        fixed(r.normal(28, 5), 1),
        baseline,
        clampScore(baseline - drop),
      ].join(","),
    );
  }
  return lines.join("\n");
}

/** EPA 4 g/day vs placebo in BMI > 25 and CRP ≥ 3: response 64% vs 40%. Insulin in pmol/L. */
export function mischoulonSyntheticCsv(participants = 220): string {
  const r = generator(2022);
  const lines = ["participant_id,arm,crp_mg_l,BMI (kg/m2),insulin (pmol/L),hamd_baseline,hamd_week12,response"];
  for (let i = 0; i < participants; i++) {
    const arm = i % 2 === 0 ? "EPA" : "placebo";
    const crp = 3 + r.logNormal(2, 0.7);
    const bmi = 25.5 + r.logNormal(6, 0.4);
    const baseline = clampScore(r.normal(21, 3.5));
    const responded = r.uniform() < (arm === "EPA" ? 0.64 : 0.4);
    const week12 = clampScore(responded ? baseline * r.normal(0.35, 0.1) : baseline * r.normal(0.8, 0.12));
    lines.push(
      [
        id("EPA", i),
        arm,
        fixed(crp, 2),
        fixed(bmi, 1),
        fixed(r.logNormal(75 + (bmi - 30) * 4, 0.35), 0),
        baseline,
        week12,
        responded ? 1 : 0,
      ].join(","),
    );
  }
  return lines.join("\n");
}

async function upload(actor: PublicUser, workspaceId: string, studyId: string, name: string, fileName: string, csv: string) {
  await importDataset(actor, workspaceId, studyId, async () => ({
    bytes: Buffer.from(csv, "utf8"),
    fileName,
    contentType: "text/csv",
    fields: { name, kind: "participant" },
  }));
}

export async function seedDatasets(ctx: SeedContext, studies: DatasetSeedStudies): Promise<void> {
  const [immunology, endocrinology] = ctx.contributors.length ? [ctx.contributors[0], ctx.contributors.at(-1)!] : [ctx.lead, ctx.lead];
  await upload(
    immunology,
    ctx.workspaceId,
    studies.infliximab,
    "Infliximab trial (synthetic)",
    "raison-2013-synthetic.csv",
    raisonSyntheticCsv(),
  );
  await upload(
    immunology,
    ctx.workspaceId,
    studies.minocycline,
    "Minocycline trial (synthetic)",
    "nettis-2021-synthetic.csv",
    nettisSyntheticCsv(),
  );
  await upload(
    endocrinology,
    ctx.workspaceId,
    studies.epa,
    "EPA trial (synthetic)",
    "mischoulon-2022-synthetic.csv",
    mischoulonSyntheticCsv(),
  );
}
