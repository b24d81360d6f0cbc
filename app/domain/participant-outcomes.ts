/**
 * Which outcome a participant-level dataset gives, for each outcome its study
 * declares. The rule, in full (docs/decisions/011-patient-profiles-and-comparison.md):
 *
 * 1. A column named like the outcome: its normalised name starts the
 *    outcome's normalised name ("response" for "Response (≥50% drop…)").
 *    A binary outcome reads it as 0/1 (also yes/no, true/false).
 * 2. Otherwise, for a continuous outcome whose name says "change": the drop in
 *    a score from baseline to its latest follow-up, baseline − follow-up, from
 *    a pair of columns "<score>_baseline" and "<score>_week<N>" (or month<N>,
 *    followup, end, post). Positive = the score fell (improvement on a
 *    depression scale), as the seeded trials report their HAM-D drop.
 *
 * A dataset gives no value for an outcome it has no such columns for. Pure
 * code (server side: it shares dataset-columns.ts, which loads the unit tables).
 */
import { normaliseName } from "./dataset-columns.ts";

export interface OutcomeColumn {
  name: string;
  role: string;
}

export interface StudyOutcomeRef {
  id: string;
  name: string;
  kind: "continuous" | "binary";
}

export interface DatasetOutcome {
  outcomeId: string;
  outcomeName: string;
  kind: "continuous" | "binary";
  /** How the value is obtained, for provenance: "hamd_baseline − hamd_week12". */
  definition: string;
  /** The participant's value, or null when it cannot be computed (missing, not 0/1). */
  value(row: readonly (number | string | null)[]): number | null;
}

const YES = new Set(["1", "yes", "true", "y"]);
const NO = new Set(["0", "no", "false", "n"]);

function asBinary(value: number | string | null | undefined): number | null {
  if (value === 1 || value === 0) return value;
  if (typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (YES.has(text)) return 1;
    if (NO.has(text)) return 0;
  }
  return null;
}

function asNumber(value: number | string | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

const BASELINE = /^(.*?)[\s_-]*(baseline|bl|week0|wk0|w0)$/i;
const FOLLOW_UP = /^(.*?)[\s_-]*(?:(week|wk|w|month|m)[\s_-]*(\d+)|(followup|follow[\s_-]up|end|post))$/i;

/** The drop from baseline to the latest follow-up of one score, or null without such a pair. */
function changeColumns(columns: OutcomeColumn[]): { baseline: number; followUp: number } | null {
  const usable = columns.map((c, index) => ({ ...c, index })).filter((c) => c.role === "value" || c.role === "biomarker");
  for (const base of usable) {
    const baseMatch = BASELINE.exec(base.name.trim());
    if (!baseMatch) continue;
    const score = normaliseName(baseMatch[1]);
    let best: { index: number; rank: number } | null = null;
    for (const other of usable) {
      if (other.index === base.index) continue;
      const match = FOLLOW_UP.exec(other.name.trim());
      if (!match || normaliseName(match[1]) !== score) continue;
      const unit = (match[2] ?? "").toLowerCase();
      // Later follow-ups rank higher; a month counts as about four weeks; "end"/"post" last.
      const rank = match[4] ? Number.MAX_SAFE_INTEGER : Number(match[3]) * (unit.startsWith("m") ? 4.345 : 1);
      if (rank > 0 && (!best || rank > best.rank)) best = { index: other.index, rank };
    }
    if (best) return { baseline: base.index, followUp: best.index };
  }
  return null;
}

export function deriveDatasetOutcomes(columns: OutcomeColumn[], outcomes: StudyOutcomeRef[]): DatasetOutcome[] {
  const derived: DatasetOutcome[] = [];
  for (const outcome of outcomes) {
    const key = normaliseName(outcome.name);
    const named = columns.findIndex(
      (c) => (c.role === "value" || c.role === "biomarker") && normaliseName(c.name).length >= 4 && key.startsWith(normaliseName(c.name)),
    );
    if (named !== -1) {
      const read = outcome.kind === "binary" ? asBinary : asNumber;
      derived.push({
        outcomeId: outcome.id,
        outcomeName: outcome.name,
        kind: outcome.kind,
        definition: `column “${columns[named].name}”${outcome.kind === "binary" ? " (1 = event)" : ""}`,
        value: (row) => read(row[named]),
      });
      continue;
    }
    if (outcome.kind === "continuous" && /change/i.test(outcome.name)) {
      const pair = changeColumns(columns);
      if (!pair) continue;
      const { baseline, followUp } = pair;
      derived.push({
        outcomeId: outcome.id,
        outcomeName: outcome.name,
        kind: "continuous",
        definition: `${columns[baseline].name} − ${columns[followUp].name} (positive = the score fell)`,
        value: (row) => {
          const before = asNumber(row[baseline]);
          const after = asNumber(row[followUp]);
          return before === null || after === null ? null : before - after;
        },
      });
    }
  }
  return derived;
}
