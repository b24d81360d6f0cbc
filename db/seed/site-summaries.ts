/**
 * A demo site summary: the pioglitazone trial (Lin 2015) as if its hospital
 * could not share participant-level data. The site's table is synthetic and
 * deterministic, shaped by the trial's finding (benefit only with insulin
 * resistance: here the HAM-D drop grows with HOMA-IR); it is summarised the
 * way the partner's own consilience-site.mjs would, from the study's site kit,
 * and uploaded through the same service as a contributor's upload.
 */
import { createHash } from "node:crypto";
import { summariseSite } from "#app/domain/site-summary.ts";
import type { PublicUser } from "#app/services/accounts.server.ts";
import { siteKit } from "#app/services/site-kit.server.ts";
import { uploadSiteSummary } from "#app/services/site-summaries.server.ts";
import { generator } from "./datasets.ts";

export interface SeedContext {
  contributors: PublicUser[];
  lead: PublicUser;
  workspaceId: string;
}

/** Pioglitazone vs placebo: the drop in HAM-D grows with insulin resistance (about 3 points per doubling of HOMA-IR). */
export function linSiteCsv(participants = 180): string {
  const r = generator(2015);
  const lines = ["participant_id,arm,HOMA-IR,hs_crp (mg/L),BMI (kg/m2),hamd_baseline,hamd_week12"];
  for (let i = 0; i < participants; i++) {
    const arm = i % 2 === 0 ? "pioglitazone" : "placebo";
    const homa = r.logNormal(2.4, 0.6);
    const baseline = Math.max(0, Math.round(r.normal(22, 4)));
    const drop = r.normal(5 + (arm === "pioglitazone" ? 3 * Math.log2(homa / 2) : 0), 5);
    const row = [
      `LIN-${String(i + 1).padStart(4, "0")}`,
      arm,
      homa.toFixed(2),
      r.logNormal(2.5, 0.8).toFixed(2),
      r.normal(31, 5).toFixed(1),
    ];
    lines.push([...row, baseline, Math.max(0, Math.round(baseline - drop))].join(","));
  }
  return lines.join("\n");
}

export async function seedSiteSummaries(ctx: SeedContext, studies: { lin: string }) {
  const endocrinologist = ctx.contributors.at(-1) ?? ctx.lead;
  const kit = await siteKit(endocrinologist, ctx.workspaceId, studies.lin);
  const text = linSiteCsv();
  const summary = summariseSite(kit, {
    fileName: "lin-2015-site-synthetic.csv",
    sha256: createHash("sha256").update(text).digest("hex"),
    text,
  });
  await uploadSiteSummary(endocrinologist, ctx.workspaceId, studies.lin, { site: "Lin 2015 hospital (synthetic)", summary });
}
