/**
 * Patient profiles as data: named criteria over panel biomarkers (with units)
 * and participant attributes, combined in AND/OR groups, e.g.
 * "hs-CRP > 3 mg/L and BMI ≥ 30 kg/m2". This module holds the shape, the
 * plain-language rendering and the three-valued evaluation of a compiled
 * profile on a row. It is pure and imports no unit tables, so the browser's
 * criteria builder uses it too; turning criteria into a plan for one dataset
 * (finding columns, converting thresholds) is app/domain/profile-plan.ts.
 */

export const CRITERION_OPERATORS = ["<", "<=", ">", ">=", "="] as const;
export type CriterionOperator = (typeof CRITERION_OPERATORS)[number];

export const OPERATOR_SYMBOLS: Record<CriterionOperator, string> = { "<": "<", "<=": "≤", ">": ">", ">=": "≥", "=": "=" };

/** A condition on a panel biomarker; the value is in `unit` (converted to each dataset's unit when applied). */
export interface BiomarkerCriterion {
  kind: "biomarker";
  code: string;
  operator: CriterionOperator;
  value: number;
  unit: string;
}

/**
 * A condition on another participant attribute, a dataset column found by its
 * name (say "energy_score" or "sex"): numbers compare as numbers, text only with "=".
 */
export interface AttributeCriterion {
  kind: "attribute";
  name: string;
  operator: CriterionOperator;
  value: number | string;
  unit?: string;
}

export type Criterion = BiomarkerCriterion | AttributeCriterion;

export interface CriteriaGroup {
  op: "and" | "or";
  items: (Criterion | CriteriaGroup)[];
}

export type ProfileCriteria = CriteriaGroup;

export const isGroup = (item: Criterion | CriteriaGroup): item is CriteriaGroup => "items" in item;

/** Every criterion of a profile, however deeply grouped. */
export function criteriaLeaves(group: CriteriaGroup): Criterion[] {
  return group.items.flatMap((item) => (isGroup(item) ? criteriaLeaves(item) : [item]));
}

/** How a biomarker is named for people ("hs-CRP"); falls back to its code. */
export type LabelOf = (code: string) => string;

function formatNumber(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

export function describeCriterion(criterion: Criterion, labelOf: LabelOf = (c) => c): string {
  const subject = criterion.kind === "biomarker" ? labelOf(criterion.code) : criterion.name;
  const value = typeof criterion.value === "number" ? formatNumber(criterion.value) : `“${criterion.value}”`;
  const unit = criterion.unit ? ` ${criterion.unit}` : "";
  return `${subject} ${OPERATOR_SYMBOLS[criterion.operator]} ${value}${unit}`;
}

/** "hs-CRP > 3 mg/L and BMI ≥ 30 kg/m2"; nested groups in parentheses. */
export function describeCriteria(group: CriteriaGroup, labelOf: LabelOf = (c) => c, nested = false): string {
  if (group.items.length === 0) return "everyone";
  const parts = group.items.map((item) => (isGroup(item) ? describeCriteria(item, labelOf, true) : describeCriterion(item, labelOf)));
  const text = parts.join(group.op === "and" ? " and " : " or ");
  return nested && parts.length > 1 ? `(${text})` : text;
}

// ---------------------------------------------------------------------------
// Evaluation of a compiled profile on one harmonised row.

/** A row's values, as stored for a dataset (aligned with its columns). */
export type RowValues = readonly (number | string | null)[];

/**
 * A criterion bound to one dataset: the column to read (or the inputs of a
 * derived value) and the threshold already in that column's unit.
 */
export type CompiledNode =
  | { kind: "compare"; column: number; operator: CriterionOperator; threshold: number | string }
  | {
      kind: "derived";
      /** Columns and the factor that brings each into the unit the formula expects. */
      inputs: { column: number; factor: number }[];
      compute: (inputs: number[]) => number;
      operator: CriterionOperator;
      threshold: number;
    }
  | { kind: "group"; op: "and" | "or"; items: CompiledNode[] };

function compare(a: number | string, operator: CriterionOperator, b: number | string): boolean {
  if (typeof a === "string" || typeof b === "string") {
    return operator === "=" && String(a).trim().toLowerCase() === String(b).trim().toLowerCase();
  }
  switch (operator) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "=":
      // Thresholds have been through a unit factor: equal within float noise.
      return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  }
}

function numeric(value: number | string | null | undefined): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  return null;
}

/**
 * Three-valued: true (matches), false (does not), null (cannot tell: a value it
 * needs is missing). AND is false as soon as one item is false, OR true as soon
 * as one is true, so a missing BMI does not hide a CRP that already excludes.
 */
export function evaluateCompiled(node: CompiledNode, row: RowValues): boolean | null {
  switch (node.kind) {
    case "compare": {
      const value = row[node.column];
      if (value === null || value === undefined || value === "") return null;
      if (typeof node.threshold === "number") {
        const n = numeric(value);
        return n === null ? null : compare(n, node.operator, node.threshold);
      }
      return compare(value, node.operator, node.threshold);
    }
    case "derived": {
      const inputs: number[] = [];
      for (const input of node.inputs) {
        const n = numeric(row[input.column]);
        if (n === null) return null;
        inputs.push(n * input.factor);
      }
      const derived = node.compute(inputs);
      return Number.isFinite(derived) ? compare(derived, node.operator, node.threshold) : null;
    }
    case "group": {
      let unknown = false;
      for (const item of node.items) {
        const outcome = evaluateCompiled(item, row);
        if (outcome === null) unknown = true;
        else if (node.op === "and" && !outcome) return false;
        else if (node.op === "or" && outcome) return true;
      }
      if (unknown) return null;
      return node.op === "and";
    }
  }
}
