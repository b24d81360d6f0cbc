/**
 * Matching a file's columns to the study's panel: which column is the
 * participant id, which the arm, which a biomarker (by code, label or alias),
 * and in which unit the file reports it ("CRP (mg/dL)", "crp_mg_dl",
 * "CRP_mgdl"), with the conversion to the panel's unit. The user's mapping
 * overrides every guess. Unit arithmetic itself lives in units.ts.
 */
import type { ColumnRole, DatasetColumn, DatasetKind } from "./datasets.ts";
import type { UnitConvention, ValueType } from "./panels.ts";
import { checkUnit, conversionFactor, normaliseUnit } from "./units.ts";
import { DATASET_LIMITS, DatasetFileError } from "./dataset-files.ts";

export interface BiomarkerRef {
  code: string;
  label: string;
  unit: string;
  valueType: ValueType;
  plausibleMin: number | null;
  plausibleMax: number | null;
  molarMass: number | null;
  unitConventions: UnitConvention[];
  aliases: string[];
}

export interface ColumnMappingEntry {
  role?: ColumnRole;
  biomarker?: string;
  unit?: string;
  /** For the visit column: the label of each value as written in the file ("baseline_arm_1" → "baseline"). */
  visits?: Record<string, string>;
}
export type ColumnMapping = Record<string, ColumnMappingEntry>;

export interface ColumnPlan extends DatasetColumn {
  /** Position in the file (0-based). */
  index: number;
  ignored: boolean;
  /** The unit the file reports, from the header or the mapping. */
  sourceUnit: string | null;
  /** How the column was recognised, for the mapping table. */
  matchedBy: "mapping" | "code" | "label" | "alias" | "column name" | null;
  /** Why this column cannot be imported as planned (the import refuses it; a dry run shows it). */
  problem: string | null;
  /** The visit column's labels, from the mapping (raw value → label). */
  visitLabels?: Record<string, string>;
}

/** Lower case, letters and digits only: "hs-CRP" and "hs_crp" both become "hscrp". */
export function normaliseName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/α/g, "a")
    .replace(/[^a-z0-9]/g, "");
}

/** Unit spellings found in column names, keyed by their letters alone ("mg_dl" → "mgdl"). */
const HEADER_UNITS: Record<string, string> = {
  mgdl: "mg/dL",
  mgl: "mg/L",
  gl: "g/L",
  gdl: "g/dL",
  ugml: "ug/mL",
  ngml: "ng/mL",
  pgml: "pg/mL",
  ugl: "ug/L",
  ngl: "ng/L",
  mmoll: "mmol/L",
  umoll: "umol/L",
  nmoll: "nmol/L",
  pmoll: "pmol/L",
  uiuml: "u[IU]/mL",
  uuml: "u[IU]/mL",
  miul: "m[IU]/L",
  miuml: "m[IU]/mL",
  kgm2: "kg/m2",
  cm: "cm",
  kg: "kg",
  mmhg: "mm[Hg]",
};

const unitKey = (token: string) =>
  token
    .toLowerCase()
    .replace(/[µμ]/g, "u")
    .replace(/[^a-z0-9]/g, "");

/**
 * Splits a header into the measure's name and the unit it carries, if any:
 * "CRP (mg/dL)" → CRP, mg/dL; "crp_mg_dl" → crp, mg/dL; "Glucose mmol/L" → Glucose, mmol/L.
 */
export function splitHeaderUnit(header: string): { name: string; unit: string | null } {
  const trimmed = header.trim();
  const bracketed = /^(.*?)\s*[([]\s*([^)\]]+?)\s*[)\]]\s*$/.exec(trimmed);
  if (bracketed && bracketed[1] !== "") {
    const unit = readUnit(bracketed[2]);
    if (unit) return { name: bracketed[1], unit };
  }
  const tokens = trimmed.split(/[\s_]+/).filter(Boolean);
  for (const take of [2, 1]) {
    if (tokens.length <= take) continue;
    const key = unitKey(tokens.slice(-take).join(""));
    if (HEADER_UNITS[key]) return { name: tokens.slice(0, -take).join("_"), unit: HEADER_UNITS[key] };
  }
  return { name: trimmed, unit: null };
}

/** A unit as written in a header, in UCUM spelling, or null when it is not one we can read. */
function readUnit(raw: string): string | null {
  const known = HEADER_UNITS[unitKey(raw)];
  if (known && !/\//.test(raw)) return known;
  const check = checkUnit(raw);
  if (check.valid && check.unit !== "") return fixLitreCase(check.unit);
  return known ?? null;
}

/** "mg/dl" → "mg/dL": both are UCUM, the capital L is what labs print and what the panel uses. */
function fixLitreCase(unit: string): string {
  return unit.replace(/\/([munpdk]?)l\b/g, (_m, prefix: string) => `/${prefix}L`);
}

const PARTICIPANT_ID_NAMES = new Set([
  "participantid",
  "participant",
  "id",
  "subjectid",
  "subject",
  "pid",
  "recordid",
  "pseudonym",
  "patientid",
]);
const ARM_NAMES = new Set(["arm", "group", "treatment", "allocation", "treatmentarm", "condition"]);

function findBiomarker(name: string, biomarkers: BiomarkerRef[]): { biomarker: BiomarkerRef; by: "code" | "label" | "alias" } | null {
  const key = normaliseName(name);
  if (key === "") return null;
  for (const b of biomarkers) if (normaliseName(b.code) === key) return { biomarker: b, by: "code" };
  for (const b of biomarkers) if (normaliseName(b.label) === key) return { biomarker: b, by: "label" };
  for (const b of biomarkers) if (b.aliases.some((a) => normaliseName(a) === key)) return { biomarker: b, by: "alias" };
  return null;
}

/** Refuses a header a table cannot have: no columns, too many, unnamed or repeated names. */
export function checkHeader(header: string[]): void {
  if (header.length === 0 || header.every((h) => h.trim() === "")) throw new DatasetFileError("The file has no header row.", { row: 1 });
  if (header.length > DATASET_LIMITS.maxColumns) {
    throw new DatasetFileError(`The file has ${header.length} columns; at most ${DATASET_LIMITS.maxColumns} can be imported.`, { row: 1 });
  }
  const seen = new Map<string, number>();
  header.forEach((raw, i) => {
    const name = raw.trim();
    if (name === "") throw new DatasetFileError(`Column ${i + 1} of the header (row 1) has no name.`, { row: 1, column: `#${i + 1}` });
    const before = seen.get(name);
    if (before !== undefined) {
      throw new DatasetFileError(`The header names column “${name}” twice (columns ${before + 1} and ${i + 1}).`, { row: 1, column: name });
    }
    seen.set(name, i);
  });
}

/**
 * Plans every column: role, biomarker, unit and conversion. Problems are kept
 * on the column (a dry run shows them all); `firstProblem` finds the one an
 * import refuses with.
 */
export function planColumns(
  header: string[],
  biomarkers: BiomarkerRef[],
  mapping: ColumnMapping = {},
  kind: DatasetKind = "participant",
): ColumnPlan[] {
  checkHeader(header);
  const names = header.map((h) => h.trim());
  for (const key of Object.keys(mapping)) {
    if (!names.includes(key)) {
      throw new DatasetFileError(`The column mapping names “${key}”, but the file has no column of that name.`, { column: key });
    }
  }
  const plans = names.map((name, index) =>
    planColumn(name, index, biomarkers, (Object.hasOwn(mapping, name) ? mapping[name] : undefined) ?? {}),
  );
  guessRoleColumns(plans, mapping, kind);
  const byBiomarker = new Map<string, ColumnPlan>();
  for (const plan of plans) {
    if (plan.ignored || !plan.biomarker) continue;
    const other = byBiomarker.get(plan.biomarker);
    if (other)
      plan.problem ??= `Columns “${other.name}” and “${plan.name}” are both matched to ${plan.biomarker}; map one of them to something else.`;
    else byBiomarker.set(plan.biomarker, plan);
  }
  for (const role of ["participant_id", "arm", "visit", "instance"] as const) {
    const withRole = plans.filter((p) => !p.ignored && p.role === role);
    for (const extra of withRole.slice(1))
      extra.problem ??= `Only one column can be the ${role.replace("_", " ")}; “${withRole[0].name}” already is.`;
  }
  return plans;
}

function planColumn(name: string, index: number, biomarkers: BiomarkerRef[], entry: ColumnMappingEntry): ColumnPlan {
  const header = splitHeaderUnit(name);
  const plan: ColumnPlan = {
    name,
    index,
    role: "value",
    ignored: entry.role === "ignore",
    biomarker: null,
    unit: header.unit,
    sourceUnit: header.unit,
    convertedFrom: null,
    factor: null,
    conversion: null,
    valueType: "text",
    plausibleMin: null,
    plausibleMax: null,
    flaggedCount: 0,
    matchedBy: null,
    problem: null,
  };
  if (plan.ignored) return plan;
  if (entry.role === "participant_id" || entry.role === "arm" || entry.role === "instance") {
    return { ...plan, role: entry.role, unit: null, sourceUnit: null, matchedBy: "mapping" };
  }
  if (entry.role === "visit") {
    return { ...plan, role: "visit", unit: null, sourceUnit: null, matchedBy: "mapping", visitLabels: entry.visits ?? {} };
  }
  if (entry.visits) plan.problem = `Only the visit column takes visit labels; “${name}” is not mapped to the role visit.`;
  if (entry.unit !== undefined) plan.sourceUnit = plan.unit = entry.unit.trim() === "" ? null : entry.unit.trim();

  let found: { biomarker: BiomarkerRef; by: ColumnPlan["matchedBy"] } | null = null;
  if (entry.biomarker) {
    const biomarker = biomarkers.find((b) => b.code === entry.biomarker);
    if (!biomarker)
      return { ...plan, problem: `The mapping matches “${name}” to ${entry.biomarker}, which is not a biomarker of the study's panel.` };
    found = { biomarker, by: "mapping" };
  } else if (entry.role !== "value") {
    found = findBiomarker(header.name, biomarkers) ?? findBiomarker(name, biomarkers);
  }
  if (!found) {
    // An unmatched column stays as it is: the importer decides numeric or text from its values.
    return { ...plan, valueType: "numeric", matchedBy: entry.role === "value" ? "mapping" : null };
  }
  return applyBiomarker(plan, found.biomarker, found.by);
}

function applyBiomarker(plan: ColumnPlan, b: BiomarkerRef, by: ColumnPlan["matchedBy"]): ColumnPlan {
  const numeric = b.valueType === "numeric" || b.valueType === "integer";
  const matched: ColumnPlan = {
    ...plan,
    role: "biomarker",
    biomarker: b.code,
    matchedBy: by,
    valueType: numeric ? "numeric" : "text",
    plausibleMin: numeric ? b.plausibleMin : null,
    plausibleMax: numeric ? b.plausibleMax : null,
    unit: b.unit || null,
  };
  if (!numeric || !b.unit) return { ...matched, unit: plan.sourceUnit };
  if (!plan.sourceUnit) {
    return { ...matched, conversion: `no unit in the file; taken to be the panel's ${b.unit}` };
  }
  const conversion = conversionFactor(plan.sourceUnit, b.unit, { molarMass: b.molarMass, conventions: b.unitConventions });
  if (!conversion.ok) {
    return { ...matched, problem: `Column “${plan.name}” (${b.code}): ${conversion.message}` };
  }
  if (conversion.kind === "identity" || normaliseUnit(plan.sourceUnit) === normaliseUnit(b.unit)) {
    return { ...matched, factor: 1 };
  }
  return { ...matched, convertedFrom: plan.sourceUnit, factor: conversion.factor, conversion: conversion.description };
}

function guessRoleColumns(plans: ColumnPlan[], mapping: ColumnMapping, kind: DatasetKind) {
  const mapped = (role: ColumnRole) => Object.values(mapping).some((e) => e.role === role);
  for (const [role, names] of [
    ["participant_id", PARTICIPANT_ID_NAMES],
    ["arm", ARM_NAMES],
  ] as const) {
    if (mapped(role) || (role === "participant_id" && kind === "summary")) continue;
    const candidate = plans.find(
      (p) => !p.ignored && p.role === "value" && !Object.hasOwn(mapping, p.name) && names.has(normaliseName(p.name)),
    );
    if (candidate) Object.assign(candidate, { role, unit: null, sourceUnit: null, valueType: "text", matchedBy: "column name" });
  }
}

export function firstProblem(plans: ColumnPlan[]): DatasetFileError | null {
  const plan = plans.find((p) => !p.ignored && p.problem);
  return plan ? new DatasetFileError(plan.problem!, { row: 1, column: plan.name }) : null;
}
