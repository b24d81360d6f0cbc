/**
 * Binding a profile to one dataset: which column each criterion reads, and
 * its threshold converted once into that column's unit (so a profile written
 * in mg/L is applied correctly to values stored in mg/dL), or why the dataset
 * cannot be evaluated. Also the comparison of a result's reported subgroup
 * ("CRP > 5 mg/L") with the profile it is mapped to. Unit arithmetic is
 * units.ts's; this module imports it, so it is for server code.
 */
import type { DatasetColumn } from "./datasets.ts";
import type { UnitConvention } from "./panels.ts";
import { normaliseName } from "./dataset-columns.ts";
import {
  type AttributeCriterion,
  type BiomarkerCriterion,
  type CompiledNode,
  type CriteriaGroup,
  type CriterionOperator,
  type ProfileCriteria,
  criteriaLeaves,
  describeCriterion,
  isGroup,
  OPERATOR_SYMBOLS,
} from "./profiles.ts";
import { conversionFactor } from "./units.ts";

export interface BiomarkerInfo {
  code: string;
  label: string;
  unit: string;
  molarMass: number | null;
  unitConventions: UnitConvention[];
  aliases: string[];
}

export const PLAN_PROBLEM_REASONS = ["biomarker_missing", "unit_not_convertible", "attribute_missing"] as const;
export type PlanProblemReason = (typeof PLAN_PROBLEM_REASONS)[number];

export interface PlanProblem {
  criterion: string;
  reason: PlanProblemReason;
  message: string;
}

export type ProfilePlan = { evaluable: true; root: CompiledNode; conversions: string[] } | { evaluable: false; problems: PlanProblem[] };

/**
 * Values a panel can derive when a dataset lacks the column but has its
 * inputs: HOMA-IR = insulin (µIU/mL) × glucose (mmol/L) / 22.5 (docs/domain.md).
 */
const DERIVED: Record<string, { inputs: { code: string; unit: string }[]; compute: (v: number[]) => number; formula: string }> = {
  homa_ir: {
    inputs: [
      { code: "insulin", unit: "u[IU]/mL" },
      { code: "glucose", unit: "mmol/L" },
    ],
    compute: ([insulin, glucose]) => (insulin * glucose) / 22.5,
    formula: "insulin (µIU/mL) × glucose (mmol/L) / 22.5",
  },
};

const unitOf = (column: DatasetColumn) => column.unit ?? "";
const contextOf = (info: BiomarkerInfo | undefined) => ({ molarMass: info?.molarMass ?? null, conventions: info?.unitConventions ?? [] });

class PlanFailure extends Error {
  constructor(readonly problem: PlanProblem) {
    super(problem.message);
  }
}

/** Binds every criterion to the dataset's columns; collects every reason it cannot. */
export function planProfile(criteria: ProfileCriteria, columns: DatasetColumn[], biomarkers: BiomarkerInfo[]): ProfilePlan {
  const byCode = new Map(biomarkers.map((b) => [b.code, b]));
  const labelOf = (code: string) => byCode.get(code)?.label ?? code;
  const problems: PlanProblem[] = [];
  const conversions: string[] = [];

  const bind = (group: CriteriaGroup): CompiledNode => ({
    kind: "group",
    op: group.op,
    items: group.items.flatMap((item) => {
      if (isGroup(item)) return [bind(item)];
      try {
        return [item.kind === "biomarker" ? bindBiomarker(item) : bindAttribute(item)];
      } catch (error) {
        if (error instanceof PlanFailure) {
          problems.push(error.problem);
          return [];
        }
        throw error;
      }
    }),
  });

  const bindBiomarker = (criterion: BiomarkerCriterion): CompiledNode => {
    const text = describeCriterion(criterion, labelOf);
    const info = byCode.get(criterion.code);
    const index = columns.findIndex((c) => c.role === "biomarker" && c.biomarker === criterion.code);
    if (index === -1) return bindDerived(criterion, text, info);
    const column = columns[index];
    const conversion = conversionFactor(criterion.unit, unitOf(column), contextOf(info));
    if (!conversion.ok) {
      throw new PlanFailure({ criterion: text, reason: "unit_not_convertible", message: `${text}: ${conversion.message}` });
    }
    if (conversion.kind !== "identity") {
      conversions.push(
        `${text} applied as ${formatThreshold(criterion.value * conversion.factor)} ${unitOf(column)} (${conversion.description})`,
      );
    }
    if (column.conversion) conversions.push(`“${column.name}” was stored in ${unitOf(column)} at import: ${column.conversion}`);
    return { kind: "compare", column: index, operator: criterion.operator, threshold: scaled(criterion.value, conversion.factor) };
  };

  const bindDerived = (criterion: BiomarkerCriterion, text: string, info: BiomarkerInfo | undefined): CompiledNode => {
    const label = info?.label ?? criterion.code;
    const derived = DERIVED[criterion.code];
    const missing = { criterion: text, reason: "biomarker_missing" as const, message: `No column for ${label} in this dataset.` };
    if (!derived) throw new PlanFailure(missing);
    const inputs = derived.inputs.map((input) => {
      const index = columns.findIndex((c) => c.role === "biomarker" && c.biomarker === input.code);
      if (index === -1) {
        throw new PlanFailure({
          ...missing,
          message: `No column for ${label}, nor for ${byCode.get(input.code)?.label ?? input.code} to derive it from (${derived.formula}).`,
        });
      }
      const conversion = conversionFactor(unitOf(columns[index]), input.unit, contextOf(byCode.get(input.code)));
      if (!conversion.ok)
        throw new PlanFailure({ criterion: text, reason: "unit_not_convertible", message: `${text}: ${conversion.message}` });
      return { column: index, factor: conversion.factor };
    });
    const threshold = conversionFactor(criterion.unit, info?.unit ?? "", contextOf(info));
    if (!threshold.ok) throw new PlanFailure({ criterion: text, reason: "unit_not_convertible", message: `${text}: ${threshold.message}` });
    conversions.push(`${label} derived from ${derived.formula}`);
    return {
      kind: "derived",
      inputs,
      compute: derived.compute,
      operator: criterion.operator,
      threshold: scaled(criterion.value, threshold.factor),
    };
  };

  const bindAttribute = (criterion: AttributeCriterion): CompiledNode => {
    const text = describeCriterion(criterion);
    const wanted = normaliseName(criterion.name);
    const index = columns.findIndex((c) => (c.role === "value" || c.role === "biomarker") && normaliseName(c.name) === wanted);
    if (index === -1)
      throw new PlanFailure({
        criterion: text,
        reason: "attribute_missing",
        message: `No column named “${criterion.name}” in this dataset.`,
      });
    let threshold: number | string = criterion.value;
    if (typeof criterion.value === "number" && criterion.unit && unitOf(columns[index])) {
      const conversion = conversionFactor(criterion.unit, unitOf(columns[index]));
      if (!conversion.ok)
        throw new PlanFailure({ criterion: text, reason: "unit_not_convertible", message: `${text}: ${conversion.message}` });
      threshold = scaled(criterion.value, conversion.factor);
    }
    return { kind: "compare", column: index, operator: criterion.operator, threshold };
  };

  const root = bind(criteria);
  return problems.length ? { evaluable: false, problems } : { evaluable: true, root, conversions: [...new Set(conversions)] };
}

/** A threshold in another unit, rounded as import rounds harmonised values (12 significant digits), so boundaries agree. */
function scaled(value: number, factor: number): number {
  return factor === 1 ? value : Number((value * factor).toPrecision(12));
}

function formatThreshold(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

// ---------------------------------------------------------------------------
// A reported subgroup against a profile.

export interface SubgroupCondition {
  text: string;
  code: string | null;
  operator: CriterionOperator;
  value: number;
  unit: string | null;
}

const OPERATOR_SPELLINGS: [RegExp, CriterionOperator][] = [
  [/≥|=>|>=/g, ">="],
  [/≤|=<|<=/g, "<="],
];

/** Reads "hs-CRP > 5 mg/L", "BMI > 25 kg/m2 and CRP ≥ 3 mg/L" loosely; parts it cannot read are left out. */
export function parseSubgroup(subgroup: string, biomarkers: BiomarkerInfo[]): SubgroupCondition[] {
  const conditions: SubgroupCondition[] = [];
  for (const part of subgroup.split(/\band\b|,|;|&|\+/i)) {
    let text = part.trim();
    for (const [pattern, operator] of OPERATOR_SPELLINGS) text = text.replace(pattern, ` ${operator} `);
    const match = /^(.*?)\s*(>=|<=|>|<|=)\s*(-?\d+(?:[.,]\d+)?)\s*(.*)$/.exec(text);
    if (!match) continue;
    const [, name, operator, value, unit] = match;
    const key = normaliseName(name);
    const biomarker = biomarkers.find((b) => [b.code, b.label, ...b.aliases].some((n) => normaliseName(n) === key));
    conditions.push({
      text: part.trim(),
      code: biomarker?.code ?? null,
      operator: operator as CriterionOperator,
      value: Number(value.replace(",", ".")),
      unit: unit.trim() || null,
    });
  }
  return conditions;
}

export interface CutoffComparison {
  /** True when the subgroup's cut-offs are the profile's, criterion for criterion. */
  matches: boolean;
  /** One sentence per difference, for people; empty when it matches. */
  differences: string[];
  /** The whole comparison in one line. */
  summary: string;
}

/** How a result's subgroup differs from the profile it was mapped to (cut-offs, units, extra conditions). */
export function compareSubgroupWithProfile(subgroup: string, criteria: ProfileCriteria, biomarkers: BiomarkerInfo[]): CutoffComparison {
  const byCode = new Map(biomarkers.map((b) => [b.code, b]));
  const labelOf = (code: string) => byCode.get(code)?.label ?? code;
  const profileCriteria = criteriaLeaves(criteria).filter((c): c is BiomarkerCriterion => c.kind === "biomarker");
  if (!subgroup.trim()) {
    const summary = profileCriteria.length
      ? `The result is for the whole sample; the profile requires ${profileCriteria.map((c) => describeCriterion(c, labelOf)).join(" and ")}.`
      : "The result is for the whole sample.";
    return { matches: profileCriteria.length === 0, differences: profileCriteria.length ? [summary] : [], summary };
  }
  const conditions = parseSubgroup(subgroup, biomarkers);
  if (conditions.length === 0) {
    const summary = `Could not read cut-offs from “${subgroup}”: compare it with the profile by hand.`;
    return { matches: false, differences: [summary], summary };
  }
  const differences: string[] = [];
  const seen = new Set<string>();
  for (const condition of conditions) {
    const label = condition.code ? labelOf(condition.code) : condition.text;
    const reported = `${label} ${OPERATOR_SYMBOLS[condition.operator]} ${formatThreshold(condition.value)}${condition.unit ? ` ${condition.unit}` : ""}`;
    const counterpart = profileCriteria.find((c) => c.code === condition.code);
    if (!condition.code || !counterpart) {
      differences.push(`The subgroup also restricts ${reported}, which the profile does not.`);
      continue;
    }
    seen.add(counterpart.code);
    const info = byCode.get(counterpart.code);
    const conversion = conversionFactor(condition.unit ?? info?.unit ?? counterpart.unit, counterpart.unit, contextOf(info));
    const inProfileUnit = conversion.ok ? condition.value * conversion.factor : null;
    const sameDirection = condition.operator[0] === counterpart.operator[0];
    const sameValue =
      inProfileUnit !== null && Math.abs(inProfileUnit - counterpart.value) <= 1e-9 * Math.max(1, Math.abs(counterpart.value));
    if (sameDirection && sameValue && condition.operator === counterpart.operator) continue;
    const profileText = describeCriterion(counterpart, labelOf);
    if (sameDirection && sameValue) differences.push(`Boundary differs: the subgroup is ${reported}, the profile ${profileText}.`);
    else if (inProfileUnit === null)
      differences.push(`The subgroup's ${reported} cannot be converted to the profile's unit (${profileText}).`);
    else {
      const converted =
        condition.unit && condition.unit !== counterpart.unit ? ` (${formatThreshold(inProfileUnit)} ${counterpart.unit})` : "";
      differences.push(`Cut-off differs: the subgroup is ${reported}${converted}, the profile ${profileText}.`);
    }
  }
  for (const criterion of profileCriteria) {
    if (!seen.has(criterion.code))
      differences.push(`The profile also requires ${describeCriterion(criterion, labelOf)}, which the subgroup does not restrict.`);
  }
  return {
    matches: differences.length === 0,
    differences,
    summary: differences.length ? differences.join(" ") : "The subgroup's cut-offs are the profile's.",
  };
}
