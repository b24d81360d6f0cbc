/**
 * Exports of the within-trial subgroup differences of one row: the per-trial
 * differences as CSV, and an R script that recomputes them from
 * comparison-inputs.csv with escalc, pairs each trial's two profiles, pools
 * the differences with metafor and stops unless it finds Consilience's numbers.
 */
import { besideScript, rComment, rFetchBeside, rNumber, rString } from "#app/domain/generated-text.ts";
import { type CsvCells, csvLine, toSafeCsv } from "#app/domain/spreadsheet-safety.ts";
import type { PublicUser } from "./accounts.server.ts";
import { rEffectsFunction, rRowFilter } from "./comparison-export.server.ts";
import { getWithinTrialDifference } from "./comparison.server.ts";

const COLUMNS = [
  "row_type",
  "study_id",
  "study",
  "intervention",
  "source",
  "excluded",
  "yi_a",
  "vi_a",
  "yi_b",
  "vi_b",
  "yi",
  "vi",
  "ci_lower",
  "ci_upper",
  "k",
  "tau2",
  "i2",
  "p",
  "note",
] as const;

const line = (cells: CsvCells<(typeof COLUMNS)[number]>) => csvLine(COLUMNS, cells);

/** One line per trial (effects on the analysis scale: log for ratios), then the pooled difference. */
export async function withinTrialCsv(actor: PublicUser, workspaceId: string, query: unknown): Promise<string> {
  const { a, b, measure, method, analysis } = await getWithinTrialDifference(actor, workspaceId, query);
  const rows = analysis.trials.map((t) =>
    line({
      row_type: "trial",
      study_id: t.studyId,
      study: t.studyTitle,
      intervention: t.interventionName,
      source: t.source,
      excluded: t.excluded ? "yes" : "no",
      yi_a: t.a.yi,
      vi_a: t.a.vi,
      yi_b: t.b.yi,
      vi_b: t.b.vi,
      yi: t.yi,
      vi: t.vi,
      ci_lower: t.ciLower,
      ci_upper: t.ciUpper,
      note: `${t.provenance.a}; ${t.provenance.b}`,
    }),
  );
  for (const u of analysis.unpaired)
    rows.push(line({ row_type: "unpaired", study: u.studyTitle, intervention: u.interventionName, note: u.reason }));
  const p = analysis.pooled;
  if (p) {
    rows.push(
      line({
        row_type: "pooled",
        yi: p.yi,
        vi: p.se * p.se,
        ci_lower: p.ciLower,
        ci_upper: p.ciUpper,
        k: p.k,
        tau2: p.tau2,
        i2: p.i2,
        p: p.pval,
        note: method,
      }),
    );
  }
  const header = [
    `# ${measure}: effect in “${a.name}” minus effect in “${b.name}” within each trial (log scale for ratios; pooled CI on the measure's scale)`,
  ];
  return `${toSafeCsv([header])}${toSafeCsv([[...COLUMNS], ...rows])}`;
}

/** The R script; `requestPath` is its own path and query, the inputs link beside it is built on `publicOrigin`. */
export async function withinTrialScript(
  actor: PublicUser,
  workspaceId: string,
  query: unknown,
  requestPath: string,
  publicOrigin: string,
): Promise<{ fileName: string; script: string }> {
  const view = await getWithinTrialDifference(actor, workspaceId, query);
  const { a, b, analysis } = view;
  const inputsUrl = besideScript(new URL(requestPath, publicOrigin), /\/within-trial\.R$/, "/inputs.csv", ["row", "a", "b"]);
  const test = view.knha ? ', test = "knha"' : "";
  const lines = [
    "# Recomputes a Consilience within-trial comparison of two patient profiles with metafor:",
    `# each trial's effect in “${rComment(a.name)}” minus its effect in “${rComment(b.name)}”, pooled.`,
    `# Row: ${rComment(view.row)}; measure: ${view.measure}; method: ${view.method}${view.knha ? " with Knapp–Hartung" : ""}.`,
    ...rFetchBeside("The inputs", "comparison-inputs.csv", inputsUrl),
    "library(metafor)",
    "",
    'inputs <- read.csv("comparison-inputs.csv", stringsAsFactors = FALSE, check.names = FALSE)',
    `cell <- inputs[${rRowFilter(view.row)} & inputs$used == "yes", ]`,
    ...rEffectsFunction(view.measure),
    "dat <- effects(cell)",
    "dat <- dat[!is.na(dat$yi), ]",
    "",
    "# Pair each trial's two profiles (same study, intervention arm and kind of source); subgroups assumed disjoint.",
    `first <- dat[dat$profile == ${rString(a.id)}, ]`,
    `second <- dat[dat$profile == ${rString(b.id)}, ]`,
    'pairs <- merge(first, second, by = c("study", "intervention", "source"), suffixes = c(".a", ".b"))',
    "pairs$yi <- pairs$yi.a - pairs$yi.b",
    "pairs$vi <- pairs$vi.a + pairs$vi.b",
    "print(pairs)",
  ];
  if (analysis.pooled) {
    const p = analysis.pooled;
    lines.push(
      `res <- rma(yi, vi, data = pairs, method = "${view.method}"${test}, control = list(threshold = 1e-10))`,
      "print(res)",
      `stopifnot(isTRUE(all.equal(unname(c(res$b, res$se, res$tau2)), c(${rNumber(p.yi)}, ${rNumber(p.se)}, ${rNumber(p.tau2)}), tolerance = 1e-6)))`,
    );
  }
  lines.push("", 'cat("The numbers agree with Consilience.\\n")', "");
  const safe = `${view.row}-${a.name}-${b.name}`.replace(/[^\w.-]+/g, "_").slice(0, 60);
  return { fileName: `within-trial-${safe}.R`, script: lines.join("\n") };
}
