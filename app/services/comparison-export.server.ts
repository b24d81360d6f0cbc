/**
 * Exports of the comparison: the matrix and the per-study inputs as CSV, and
 * an R script that reproduces one cell with metafor from the exported inputs.
 * Numbers are written at full precision so R recomputes the same values.
 */
import { effectOf, isRatio, type ComparisonInput, type ForestAnalysis, type MatrixRow } from "#app/domain/comparison.ts";
import type { EffectMeasure } from "#app/domain/effect-sizes.ts";
import { besideScript, rComment, rFetchBeside, rNumber, rString } from "#app/domain/generated-text.ts";
import { toSafeCsv, type CsvCell } from "#app/domain/spreadsheet-safety.ts";
import type { PublicUser } from "./accounts.server.ts";
import { type ComparisonView, getComparison, getComparisonCell } from "./comparison.server.ts";

type Cell = CsvCell;

const csv = (header: string[], rows: Cell[][]): string => toSafeCsv([header, ...rows]);

/** What the matrix CSV reads of a comparison: the live view's, or a snapshot's stored one. */
export type MatrixSource = Pick<ComparisonView, "rows" | "profiles" | "measure" | "method"> & { outcome: { name: string } | null };

export async function comparisonCsv(actor: PublicUser, workspaceId: string, query: unknown): Promise<string> {
  return matrixCsv(await getComparison(actor, workspaceId, query));
}

/** The matrix, a line per cell. */
export function matrixCsv(view: MatrixSource): string {
  const header = [
    "row_key",
    "row_kind",
    "class",
    "intervention",
    "profile_id",
    "profile",
    "outcome",
    "measure",
    "method",
    "k",
    "n",
    "participant_level",
    "summary_level",
    "estimate",
    "ci_lower",
    "ci_upper",
    "pi_lower",
    "pi_upper",
    "tau2",
    "i2",
    "q",
    "q_p",
    "p",
    "thin",
  ];
  const rows: Cell[][] = [];
  for (const row of view.rows) {
    row.cells.forEach((cell, i) => {
      const profile = view.profiles[i];
      const common = [
        row.key,
        row.kind,
        row.className,
        row.name,
        profile.id,
        profile.name,
        view.outcome?.name ?? "",
        view.measure,
        view.method,
      ];
      // An empty cell still fills every column, so each record has the header's width.
      if (!cell) rows.push([...common, 0, ...Array<Cell>(header.length - common.length - 1).fill(null)]);
      else {
        rows.push([
          ...common,
          cell.k,
          cell.n,
          cell.sources.participant,
          cell.sources.summary,
          cell.estimate,
          cell.ciLower,
          cell.ciUpper,
          cell.piLower,
          cell.piUpper,
          cell.tau2,
          cell.i2,
          cell.q,
          cell.qP,
          cell.pval,
          cell.thin ? cell.thinReasons.join("; ") : "",
        ]);
      }
    });
  }
  return csv(header, rows);
}

export const INPUT_COLUMNS = [
  "input_id",
  "study_id",
  "study",
  "intervention_key",
  "intervention",
  "class",
  "dose",
  "comparator",
  "profile_id",
  "profile",
  "source",
  "used",
  "note",
  "dataset_id",
  "dataset",
  "dataset_version",
  "outcome_definition",
  "conversions",
  "result_id",
  "result_version",
  "subgroup",
  "cutoff_differences",
  "data_type",
  "m1i",
  "sd1i",
  "n1i",
  "m2i",
  "sd2i",
  "n2i",
  "ai",
  "ci",
  "reported_measure",
  "estimate",
  "ci_lower",
  "ci_upper",
  "yi",
  "vi",
  "site_summary_ids",
];

/** What the inputs CSV reads of a comparison: the live view's, or a snapshot's stored one. */
export type InputsSource = Pick<ComparisonView, "profiles" | "measure" | "exclude" | "inputs" | "setAside">;

function inputRow(view: InputsSource, input: ComparisonInput, used: string, note: string): Cell[] {
  const profile = view.profiles.find((p) => p.id === input.profileId);
  const effect = effectOf(input, view.measure);
  const d = input.data;
  const arms: Cell[] =
    d.type === "continuous"
      ? [
          d.intervention.mean,
          d.intervention.sd,
          d.intervention.n,
          d.comparator.mean,
          d.comparator.sd,
          d.comparator.n,
          null,
          null,
          null,
          null,
          null,
          null,
        ]
      : d.type === "binary"
        ? [null, null, d.intervention.n, null, null, d.comparator.n, d.intervention.events, d.comparator.events, null, null, null, null]
        : [null, null, d.interventionN, null, null, d.comparatorN, null, null, d.measure, d.estimate, d.ciLower, d.ciUpper];
  return [
    input.id,
    input.studyId,
    input.studyTitle,
    input.rowKey,
    input.interventionName,
    input.interventionClass,
    input.dose,
    input.comparatorName,
    input.profileId,
    profile?.name ?? "",
    input.source,
    effect.estimable ? used : "not estimable",
    effect.estimable ? note : effect.reason,
    input.datasetId,
    input.datasetName,
    input.datasetVersion,
    input.outcomeDefinition,
    (input.conversions ?? []).join("; "),
    input.resultId,
    input.resultVersion,
    input.subgroup,
    (input.cutoffDifferences ?? []).join(" "),
    d.type,
    ...arms,
    effect.estimable ? effect.yi : null,
    effect.estimable ? effect.vi : null,
    (input.siteSummaryIds ?? []).join(" "),
  ];
}

/** Every input of the comparison (used, excluded or set aside), with its provenance and raw numbers. */
export async function comparisonInputsCsv(actor: PublicUser, workspaceId: string, query: unknown): Promise<string> {
  return inputsCsv(await getComparison(actor, workspaceId, query));
}

/** Every input (used, excluded or set aside) as comparison-inputs.csv: what the R scripts read. */
export function inputsCsv(view: InputsSource): string {
  const excluded = new Set(view.exclude);
  const rows = [
    ...view.inputs.map((i) =>
      inputRow(view, i, excluded.has(i.studyId) ? "excluded" : "yes", excluded.has(i.studyId) ? "excluded by the user" : ""),
    ),
    ...view.setAside.map((s) =>
      inputRow(
        view,
        s.input,
        "set aside",
        `the same study's ${s.input.source === "summary" ? "participant-level data" : "summary result"} is used instead (${s.usedInstead})`,
      ),
    ),
  ];
  return csv(INPUT_COLUMNS, rows);
}

/** The R condition that picks one matrix row's inputs from comparison-inputs.csv (row keys: class:<class>, intervention:<name>). */
export function rRowFilter(rowKey: string): string {
  return rowKey.startsWith("class:")
    ? `inputs$class == ${rString(rowKey.slice("class:".length))}`
    : `inputs$intervention_key == ${rString(rowKey.slice("intervention:".length))}`;
}

/**
 * The R function that computes one effect per row of comparison-inputs.csv as
 * escalc does (group 1 = the intervention), for the scripts that recompute the
 * comparison's numbers.
 */
export function rEffectsFunction(measure: EffectMeasure): string[] {
  const ratio = isRatio(measure);
  return [
    "# One effect per study, computed as escalc does (group 1 = the intervention).",
    "effects <- function(d) {",
    "  parts <- list()",
    '  cont <- d[d$data_type == "continuous", ]',
    '  bin <- d[d$data_type == "binary", ]',
    '  est <- d[d$data_type == "estimate", ]',
    ...(ratio
      ? [
          `  if (nrow(bin)) parts$bin <- escalc(measure = "${measure}", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = bin, add = 1/2, to = "only0", drop00 = TRUE)`,
        ]
      : [
          `  if (nrow(cont)) parts$cont <- escalc(measure = "${measure}", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = cont)`,
        ]),
    "  if (nrow(est)) {",
    `    # A reported estimate with its 95% CI${ratio ? " (ratios on the log scale)" : ""}.`,
    `    scale <- ${ratio ? "log" : "identity"}`,
    "    est$yi <- scale(est$estimate)",
    "    est$vi <- ((scale(est$ci_upper) - scale(est$ci_lower)) / (2 * qnorm(0.975)))^2",
    "    parts$est <- est",
    "  }",
    "  do.call(rbind, lapply(parts, function(p) data.frame(study = p$study_id, intervention = p$intervention_key, source = p$source, profile = p$profile_id, yi = as.numeric(p$yi), vi = as.numeric(p$vi))))",
    "}",
  ];
}

/**
 * An R script that recomputes one cell (or one row's subgroups) from comparison-inputs.csv with metafor.
 * `requestPath` is the script's own path and query; the inputs link beside it is built on `publicOrigin`.
 * User text (names of rows, profiles, outcomes) enters only through rString and rComment.
 */
export async function comparisonCellScript(
  actor: PublicUser,
  workspaceId: string,
  query: unknown,
  requestPath: string,
  publicOrigin: string,
): Promise<{ fileName: string; script: string }> {
  const cell = await getComparisonCell(actor, workspaceId, query);
  const { view, row, forest } = cell;
  const inputsUrl = besideScript(new URL(requestPath, publicOrigin), /\/cell\.R$/, "/inputs.csv", ["row", "profile"]);
  const script = cellScript({
    view,
    row,
    profiles: view.profiles.filter((p) => cell.profileIds.includes(p.id)),
    forest,
    inputsLocation: rFetchBeside("The inputs", "comparison-inputs.csv", inputsUrl),
  });
  const safe = `${row.name}`.replace(/[^\w.-]+/g, "_").slice(0, 60) || "cell";
  return { fileName: `comparison-${safe}.R`, script };
}

export interface CellScriptSource {
  view: Pick<ComparisonView, "measure" | "method" | "knha"> & { outcome: { name: string } | null };
  row: MatrixRow;
  /** The profiles of the forest plot, in its order. */
  profiles: ComparisonView["profiles"];
  forest: ForestAnalysis;
  /** Comment lines saying where comparison-inputs.csv comes from. */
  inputsLocation: string[];
}

/**
 * The R script that recomputes a row's cells (or one cell) from comparison-inputs.csv
 * with metafor and stops if a number differs from ours by more than 1e-5.
 */
export function cellScript({ view, row, profiles, forest, inputsLocation }: CellScriptSource): string {
  const measure = view.measure;
  const ratio = isRatio(measure);
  const method = view.method === "FE" ? "FE" : view.method;
  const test = view.knha ? ', test = "knha"' : "";
  const lines = [
    "# Recomputes a cell of the Consilience comparison with metafor.",
    `# Row: ${rComment(row.name)}; profile${profiles.length > 1 ? "s" : ""}: ${rComment(profiles.map((p) => `${p.name} (${p.text})`).join("; "))}`,
    `# Outcome: ${rComment(view.outcome?.name ?? "none")}; measure: ${measure}; method: ${view.method}${view.knha ? " with Knapp–Hartung" : ""}.`,
    ...inputsLocation,
    "library(metafor)",
    "",
    'inputs <- read.csv("comparison-inputs.csv", stringsAsFactors = FALSE, check.names = FALSE)',
    `profiles <- c(${profiles.map((p) => rString(p.id)).join(", ")})`,
    `cell <- inputs[${rRowFilter(row.key)} & inputs$profile_id %in% profiles & inputs$used == "yes", ]`,
    "",
    ...rEffectsFunction(measure),
    "dat <- effects(cell)",
    "dat <- dat[!is.na(dat$yi), ]",
    "",
    "# REML iterated to 1e-10, as Consilience does (docs/decisions/006-statistics-as-metafor.md).",
    `fit <- function(d) rma(yi, vi, data = d, method = "${method}"${test}, control = list(threshold = 1e-10))`,
    `show <- function(res) predict(res${ratio ? ", transf = exp" : ""})`,
  ];
  const check = (label: string, pooled: NonNullable<typeof forest.overall>, expression: string) => {
    lines.push(
      "",
      `# ${label}`,
      `res <- fit(${expression})`,
      "print(res)",
      "print(show(res))",
      `consilience <- c(estimate = ${rNumber(pooled.estimate)}, ci.lb = ${rNumber(pooled.ciLower)}, ci.ub = ${rNumber(pooled.ciUpper)}, tau2 = ${rNumber(pooled.tau2)})`,
      "p <- show(res)",
      "stopifnot(isTRUE(all.equal(unname(c(p$pred, p$ci.lb, p$ci.ub, res$tau2)), unname(consilience), tolerance = 1e-5)))",
    );
  };
  for (const group of forest.groups) {
    if (!group.pooled) continue;
    const profile = profiles.find((p) => p.id === group.profileId)!;
    check(`${rComment(profile.name)}: k = ${group.pooled.k}`, group.pooled, `dat[dat$profile == ${rString(profile.id)}, ]`);
  }
  if (forest.groups.length > 1 && forest.overall) check(`All profiles together: k = ${forest.overall.k}`, forest.overall, "dat");
  if (forest.test) {
    lines.push(
      "",
      "# Test for subgroup differences: Q between the profiles' estimates (fixed-effect, on G − 1 df).",
      "byProfile <- lapply(split(dat, dat$profile), fit)",
      "sub <- data.frame(yi = sapply(byProfile, function(r) r$b[1]), vi = sapply(byProfile, function(r) r$se^2))",
      'qb <- rma(yi, vi, data = sub, method = "FE")',
      `stopifnot(isTRUE(all.equal(qb$QE, ${rNumber(forest.test.q)}, tolerance = 1e-5)))`,
      "print(qb)",
    );
  }
  lines.push("", 'cat("The numbers agree with Consilience.\\n")', "");
  return lines.join("\n");
}
