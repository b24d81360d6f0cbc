/**
 * Exports of the effect-modification analysis: the per-trial and pooled
 * numbers as CSV, the participant points each trial was fitted to as CSV, and
 * an R script (base lm/glm + metafor) that refits every trial from those points,
 * re-pools them and stops unless it finds Consilience's numbers.
 * Numbers are written at full precision so R recomputes the same values.
 */
import { besideScript, rComment, rFetchBeside, rNumber, rString } from "#app/domain/generated-text.ts";
import { type CsvCells, csvLine, toSafeCsv } from "#app/domain/spreadsheet-safety.ts";
import type { ParticipantPoint } from "#app/domain/interaction-fits.ts";
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";
import type { PublicUser } from "./accounts.server.ts";
import { getEffectModificationPoints, getEffectModificationView } from "./effect-modification-view.server.ts";

const RESULT_COLUMNS = [
  "row_type",
  "trial_key",
  "study",
  "dataset",
  "dataset_version",
  "intervention",
  "comparator",
  "included",
  "n",
  "interaction",
  "se",
  "ci_lower",
  "ci_upper",
  "effect_at_zero",
  "x_mean",
  "x_min",
  "x_max",
  "tau2",
  "i2",
  "q",
  "q_p",
  "pi_lower",
  "pi_upper",
  "p",
  "note",
] as const;

const line = (cells: CsvCells<(typeof RESULT_COLUMNS)[number]>) => csvLine(RESULT_COLUMNS, cells);

/** One row per trial, then the pooled within-trial interaction and the across-trial slope. */
export async function effectModificationCsv(actor: PublicUser, workspaceId: string, query: unknown): Promise<string> {
  return effectModificationResultsCsv(await getEffectModificationView(actor, workspaceId, query));
}

/** The results CSV of a view, live or stored in a snapshot. */
export function effectModificationResultsCsv(view: EffectModificationView): string {
  const rows = view.trials.map((t) => {
    const excluded = view.exclude.includes(t.key);
    return line({
      row_type: "trial",
      trial_key: t.key,
      study: t.studyTitle,
      dataset: t.datasetName,
      dataset_version: t.datasetVersion,
      intervention: t.interventionName,
      comparator: t.comparatorName,
      included: t.fit && !excluded ? "yes" : "no",
      n: t.n,
      interaction: t.fit?.interaction,
      se: t.fit?.se,
      ci_lower: t.fit?.ciLower,
      ci_upper: t.fit?.ciUpper,
      effect_at_zero: t.fit?.effectAtZero,
      x_mean: t.fit?.xMean,
      x_min: t.fit?.xMin,
      x_max: t.fit?.xMax,
      note: t.note ?? (excluded ? "excluded by the user" : ""),
    });
  });
  const p = view.pooled;
  if (p) {
    rows.push(
      line({
        row_type: "pooled",
        interaction: p.estimate,
        se: p.se,
        ci_lower: p.ciLower,
        ci_upper: p.ciUpper,
        tau2: p.tau2,
        i2: p.i2,
        q: p.q,
        q_p: p.qP,
        pi_lower: p.piLower,
        pi_upper: p.piUpper,
        p: p.pval,
        note: `${view.method}, k = ${p.k}`,
      }),
    );
  }
  const a = view.across;
  if (a?.ok) {
    rows.push(
      line({
        row_type: "across_trials",
        interaction: a.slope,
        se: a.seSlope,
        ci_lower: a.ciLower,
        ci_upper: a.ciUpper,
        note: `slope of trial effects on trial mean x; k = ${a.k}; difference from within-trial p = ${a.differenceP}`,
      }),
    );
  }
  const header = [
    `# ${view.intervention ?? ""} vs comparator; ${view.outcome?.name ?? ""}; ${view.effectScale} per step: ${view.transformText}`,
  ];
  return `${toSafeCsv([header])}${toSafeCsv([[...RESULT_COLUMNS], ...rows])}`;
}

/** The participants each fitted trial was fitted to: trial key, arm (1 = intervention), x on the analysis scale, y. */
export async function effectModificationDataCsv(actor: PublicUser, workspaceId: string, query: unknown): Promise<string> {
  const { view, points } = await getEffectModificationPoints(actor, workspaceId, query);
  return effectModificationPointsCsv(view, points);
}

/** The data CSV of a view and its trials' points, live or stored in a snapshot. */
export function effectModificationPointsCsv(
  view: EffectModificationView,
  points: ReadonlyMap<string, readonly ParticipantPoint[]>,
): string {
  const rows: (string | number)[][] = [];
  for (const trial of view.trials) {
    if (!trial.fit) continue;
    for (const p of points.get(trial.key) ?? []) rows.push([trial.key, p.arm === "intervention" ? 1 : 0, p.x, p.y]);
  }
  return toSafeCsv([["trial", "arm", "x", "y"], ...rows]);
}

/**
 * The R script that reproduces the analysis from effect-modification-data.csv.
 * `requestPath` is the script's own path and query; the data link beside it is built on `publicOrigin`.
 */
export async function effectModificationScript(
  actor: PublicUser,
  workspaceId: string,
  query: unknown,
  requestPath: string,
  publicOrigin: string,
): Promise<{ fileName: string; script: string }> {
  const view = await getEffectModificationView(actor, workspaceId, query);
  const dataUrl = besideScript(new URL(requestPath, publicOrigin), /\.R$/, "/data.csv");
  return effectModificationScriptOf(view, rFetchBeside("The data", "effect-modification-data.csv", dataUrl));
}

/** The R script of a view; `dataLocation`: comment lines saying where effect-modification-data.csv is. */
export function effectModificationScriptOf(view: EffectModificationView, dataLocation: string[]): { fileName: string; script: string } {
  const fitted = view.trials.filter((t) => t.fit);
  const included = fitted.filter((t) => !view.exclude.includes(t.key));
  const local = fitted.filter((t) => t.source === "dataset");
  const sites = fitted.filter((t) => t.source === "site");
  const binary = view.outcome?.kind === "binary";
  const model = binary
    ? "glm(y ~ arm + x + arm:x, family = binomial, data = d, control = glm.control(epsilon = 1e-14, maxit = 100))"
    : "lm(y ~ arm + x + arm:x, data = d)";
  const test = view.knha ? ', test = "knha"' : "";
  const lines = [
    "# Recomputes a Consilience effect-modification analysis: the treatment × biomarker interaction",
    "# within each trial (base R), pooled across trials with metafor.",
    `# Intervention: ${rComment(view.intervention ?? "none")}; outcome: ${rComment(view.outcome?.name ?? "none")} (${view.effectScale}).`,
    `# Biomarker: ${rComment(view.biomarker?.label ?? "none")} in ${rComment(view.biomarker?.unit ?? "")}, entered ${rComment(view.transformText)}.`,
    ...dataLocation,
    "# In it, arm is 1 for the intervention and x is on the analysis scale.",
    "library(metafor)",
    "",
    'data <- read.csv("effect-modification-data.csv", stringsAsFactors = FALSE)',
    "",
    "# Stage one: each trial's arm:x coefficient and its standard error.",
    ...fitted.map((t) => `#   ${rComment(t.key)}: ${rComment(t.studyTitle)}${t.source === "site" ? " (fitted at its site)" : ""}`),
    `stage1 <- matrix(numeric(0), ncol = 2, dimnames = list(NULL, c("interaction", "se")))`,
  ];
  if (local.length) {
    lines.push(
      `trials <- c(${local.map((t) => rString(t.key)).join(", ")})`,
      "fitTrial <- function(key) {",
      "  d <- data[data$trial == key, ]",
      `  f <- ${model}`,
      '  c(interaction = unname(coef(f)["arm:x"]), se = sqrt(vcov(f)["arm:x", "arm:x"]))',
      "}",
      "stage1 <- t(sapply(trials, fitTrial))",
    );
  }
  if (sites.length) {
    lines.push(
      "# Trials summarised at their sites: their participants never left them, so their own estimates are used as given.",
      `sites <- rbind(${sites.map((t) => `c(interaction = ${rNumber(t.fit!.interaction)}, se = ${rNumber(t.fit!.se)})`).join(", ")})`,
      `rownames(sites) <- c(${sites.map((t) => rString(t.key)).join(", ")})`,
      "stage1 <- rbind(stage1, sites)",
    );
  }
  lines.push(
    "print(stage1)",
    `consilience <- rbind(${[...local, ...sites].map((t) => `c(${rNumber(t.fit!.interaction)}, ${rNumber(t.fit!.se)})`).join(", ")})`,
    "stopifnot(isTRUE(all.equal(unname(stage1), unname(consilience), tolerance = 1e-6)))",
  );
  if (view.pooled) {
    lines.push(
      "",
      "# Stage two: the within-trial interactions pooled (REML iterated to 1e-10, as Consilience does).",
      `included <- c(${included.map((t) => rString(t.key)).join(", ")})`,
      "use <- rownames(stage1) %in% included",
      `res <- rma(stage1[use, "interaction"], sei = stage1[use, "se"], method = "${view.method}"${test}, control = list(threshold = 1e-10))`,
      "print(res)",
      "print(predict(res))",
      `stopifnot(isTRUE(all.equal(unname(c(res$b, res$se, res$tau2)), c(${rNumber(view.pooled.estimate)}, ${rNumber(view.pooled.se)}, ${rNumber(view.pooled.tau2)}), tolerance = 1e-6)))`,
    );
  }
  lines.push("", 'cat("The numbers agree with Consilience.\\n")', "");
  const safe = `${view.intervention ?? "analysis"}-${view.biomarker?.code ?? ""}`.replace(/[^\w.-]+/g, "_").slice(0, 60);
  return { fileName: `effect-modification-${safe}.R`, script: lines.join("\n") };
}
