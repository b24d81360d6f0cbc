/**
 * Unit harmonisation, the one place that knows how to turn a value in one
 * unit into another: UCUM (the NLM's @lhncbc/ucum-lhc) for every conversion
 * it can prove, the biomarker's molar mass for mass ↔ substance, and the
 * biomarker's own named conventions for arbitrary units (insulin µIU/mL ↔
 * pmol/L), never ad-hoc factors elsewhere.
 *
 * All conversions we accept are linear, so a column is converted by working
 * out one factor and multiplying. The UCUM tables are large: import this
 * from server code only.
 */
import ucum from "@lhncbc/ucum-lhc";

const utils = ucum.UcumLhcUtils.getInstance();

export interface UnitContext {
  /** g/mol, for mass ↔ molar conversion. */
  molarMass?: number | null;
  /** value in the biomarker's unit = value in `unit` × `factor`. */
  conventions?: { unit: string; factor: number; note: string }[];
}

export type UnitCheck = { valid: true; unit: string; name: string } | { valid: false; unit: string; message: string };

export type Conversion =
  | { ok: true; factor: number; kind: "identity" | "ucum" | "molar" | "convention"; description: string }
  | { ok: false; message: string };

/**
 * Writes a unit the way UCUM spells it: micro signs become "u" and a few
 * common clinical spellings are mapped ("µIU/mL" → "u[IU]/mL", "kg/m²" → "kg/m2").
 */
export function normaliseUnit(raw: string): string {
  return raw
    .trim()
    .replace(/[µμ]/g, "u")
    .replace(/²/g, "2")
    .replace(/³/g, "3")
    .replace(/\[?IU\]?/g, "[IU]")
    .replace(/\s+/g, "");
}

export function checkUnit(raw: string): UnitCheck {
  const unit = normaliseUnit(raw);
  if (unit === "") return { valid: true, unit, name: "no unit" };
  const result = utils.validateUnitString(unit, true);
  if (result.status === "valid") return { valid: true, unit, name: result.unit?.name ?? unit };
  const suggestion = result.suggestions?.[0]?.units?.[0]?.[0];
  return {
    valid: false,
    unit,
    message: `“${raw}” is not a UCUM unit${suggestion ? ` (did you mean “${suggestion}”?)` : ""}.`,
  };
}

/** The factor that turns a value in `from` into `to` for one biomarker, or why it cannot. */
export function conversionFactor(from: string, to: string, context: UnitContext = {}): Conversion {
  const source = normaliseUnit(from);
  const target = normaliseUnit(to);
  if (source === target) return { ok: true, factor: 1, kind: "identity", description: "no conversion" };

  const convention = context.conventions?.find((c) => normaliseUnit(c.unit) === source);
  if (convention) {
    return { ok: true, factor: convention.factor, kind: "convention", description: `${from} → ${to} by convention: ${convention.note}` };
  }

  const plain = utils.convertUnitTo(source, 1, target);
  if (plain.status === "succeeded" && Number.isFinite(plain.toVal)) {
    return { ok: true, factor: round(plain.toVal), kind: "ucum", description: `${from} → ${to} (×${formatFactor(plain.toVal)}, UCUM)` };
  }

  if (context.molarMass) {
    const molar = utils.convertUnitTo(source, 1, target, { molecularWeight: context.molarMass });
    if (molar.status === "succeeded" && Number.isFinite(molar.toVal)) {
      return {
        ok: true,
        factor: round(molar.toVal),
        kind: "molar",
        description: `${from} → ${to} (×${formatFactor(molar.toVal)}, UCUM with molar mass ${context.molarMass} g/mol)`,
      };
    }
  }

  const sourceCheck = checkUnit(from);
  if (!sourceCheck.valid) return { ok: false, message: sourceCheck.message };
  const needsMolarMass = /mol/.test(source) !== /mol/.test(target);
  return {
    ok: false,
    message:
      needsMolarMass && !context.molarMass
        ? `Cannot convert ${from} to ${to}: the biomarker has no molar mass for a mass ↔ molar conversion.`
        : `Cannot convert ${from} to ${to}: the units measure different things.`,
  };
}

export function convertValue(value: number, from: string, to: string, context: UnitContext = {}): number | null {
  const conversion = conversionFactor(from, to, context);
  return conversion.ok ? value * conversion.factor : null;
}

// UCUM arithmetic leaves float noise (0.1 × 10 = 1.0000000000000002); 12 significant digits is far below any assay's precision.
function round(factor: number): number {
  return Number(factor.toPrecision(12));
}

function formatFactor(factor: number): string {
  return Number(factor.toPrecision(6)).toString();
}
