/**
 * Visits in participant-level datasets (docs/decisions/030-records-and-visits.md).
 *
 * A dataset with a visit column holds one row per participant and visit (and
 * repeat instance). Every analysis reads participant-level data as one row per
 * participant, so such a dataset is read through `participantView`, which
 * states the rule once:
 *  - biomarkers (profile matching, effect modification): the value at the
 *    baseline visit: the visit labelled "baseline", else the earliest visit;
 *  - the arm, text columns, and numbers with values at one visit only: the
 *    first value in visit order;
 *  - a numeric column with values at two or more visits (a score measured at
 *    each): one column per visit, "<column>_<visit>" ("hamd_baseline",
 *    "hamd_week 12"), which is the wide shape participant-outcomes.ts already
 *    reads: a "change" outcome is baseline − the latest follow-up.
 * Within a visit, repeat instances give the first value in file order.
 * A dataset without a visit column is read exactly as stored.
 */
import type { DatasetColumn } from "./datasets.ts";

/** The label a raw visit value gets when the mapping names none: REDCap's "week_12_arm_1" → "week 12". */
export function defaultVisitLabel(raw: string): string {
  const label = raw
    .replace(/_arm_\d+$/i, "")
    .replace(/[_]+/g, " ")
    .trim();
  return label || raw;
}

export function visitLabel(raw: string, labels: Record<string, string>): string {
  return Object.hasOwn(labels, raw) ? labels[raw] : defaultVisitLabel(raw);
}

/** Where a visit sits in time, in weeks, when its label says so; null when it does not. */
export function visitWeeks(label: string): number | null {
  const text = label.trim().toLowerCase();
  if (/^(baseline|bl|screening|week\s*0|wk\s*0|day\s*0|visit\s*0)$/.test(text)) return 0;
  const match = /^(day|d|week|wk|w|month|mo|m|year|y)[\s_-]*(\d+(?:\.\d+)?)$/.exec(text);
  if (!match) return null;
  const n = Number(match[2]);
  const unit = match[1];
  if (unit.startsWith("d")) return n / 7;
  if (unit.startsWith("w")) return n;
  if (unit.startsWith("m")) return n * 4.345;
  return n * 52.18;
}

/** Visits in time order: those whose label gives a time by it, then the others as they first appeared. */
export function orderVisits(labels: string[]): string[] {
  const timed = labels.filter((l) => visitWeeks(l) !== null).sort((a, b) => visitWeeks(a)! - visitWeeks(b)!);
  return [...timed, ...labels.filter((l) => visitWeeks(l) === null)];
}

export type ViewValue = number | string | null;
export interface ViewRow {
  participantId: string | null;
  arm: string | null;
  values: ViewValue[];
}

export interface ParticipantView {
  /** The columns the analyses see; aligned with the rows `collapse` returns. */
  columns: DatasetColumn[];
  /** Whether the dataset has visits (false: `collapse` returns the rows as they are). */
  byVisit: boolean;
  /** The baseline visit's label, when the dataset has visits. */
  baseline: string | null;
  collapse(rows: ViewRow[]): ViewRow[];
}

type Pick = { from: number; visit: string | null };

/** The participant-level view of a dataset's columns (see the module's comment for the rule). */
export function participantView(stored: DatasetColumn[]): ParticipantView {
  const visitAt = stored.findIndex((c) => c.role === "visit");
  if (visitAt === -1) return { columns: stored, byVisit: false, baseline: null, collapse: (rows) => rows };
  const visits = stored[visitAt].visits ?? [];
  const baseline = visits.find((v) => /^baseline$/i.test(v.trim())) ?? visits[0] ?? null;
  const columns: DatasetColumn[] = [];
  const picks: Pick[] = [];
  const perVisit: { column: DatasetColumn; pick: Pick }[] = [];
  stored.forEach((column, from) => {
    if (column.role === "visit" || column.role === "instance") return;
    const at = column.visits ?? [];
    if (column.role === "biomarker") {
      columns.push(column);
      picks.push({ from, visit: baseline });
    } else if (column.role === "value" && column.valueType === "numeric" && at.length > 1) {
      for (const visit of at)
        perVisit.push({ column: { ...column, name: `${column.name}_${visit}`, visits: [visit] }, pick: { from, visit } });
    } else {
      columns.push(column);
      picks.push({ from, visit: null });
    }
  });
  for (const { column, pick } of perVisit) {
    columns.push(column);
    picks.push(pick);
  }
  const rank = new Map(visits.map((v, i) => [v, i]));
  return {
    columns,
    byVisit: true,
    baseline,
    collapse(rows) {
      const byParticipant = new Map<string, ViewRow[]>();
      for (const row of rows) {
        const key = row.participantId ?? "";
        const list = byParticipant.get(key);
        if (list) list.push(row);
        else byParticipant.set(key, [row]);
      }
      const out: ViewRow[] = [];
      for (const [participantId, list] of byParticipant) {
        // Stable: rows of one visit keep their file order (repeat instances), visits go in time order.
        const ordered = list
          .map((row, i) => ({ row, i, r: rank.get(String(row.values[visitAt])) ?? visits.length }))
          .sort((a, b) => a.r - b.r || a.i - b.i)
          .map((x) => x.row);
        const first = (from: number, visit: string | null): ViewValue => {
          for (const row of ordered) {
            if (visit !== null && String(row.values[visitAt]) !== visit) continue;
            if (row.values[from] !== null && row.values[from] !== undefined) return row.values[from];
          }
          return null;
        };
        out.push({
          participantId,
          arm: ordered.find((r) => r.arm !== null)?.arm ?? null,
          values: picks.map((p) => first(p.from, p.visit)),
        });
      }
      return out;
    },
  };
}
