/** Adding or editing one biomarker, with each problem next to its field. */
import { Form, Link, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { biomarkerAsText } from "#app/domain/biomarker-text.ts";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField, TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import type { Biomarker } from "./biomarker-table.tsx";
import { CategoriesEditor, categoriesFromValues } from "./categories-editor.tsx";

export interface FormResult {
  ok: boolean;
  intent?: string;
  formError?: string | null;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  conflict?: { currentVersion: number };
  /** The panel version a successful save made. */
  version?: number;
}

const VALUE_TYPE_OPTIONS = [
  { value: "numeric", label: "Numeric" },
  { value: "integer", label: "Integer" },
  { value: "text", label: "Text" },
  { value: "category", label: "Category" },
];

/** The message for a field, including problems inside it ("cutoffs.0.operator" shows at cut-offs). */
export function errorFor(fieldErrors: Record<string, string> | undefined, field: string): string | undefined {
  if (!fieldErrors) return undefined;
  return fieldErrors[field] ?? Object.entries(fieldErrors).find(([key]) => key.startsWith(`${field}.`))?.[1];
}

/**
 * The version an edit is based on: the one shown when the form opened, so a
 * change made meanwhile by someone else is caught (409) rather than
 * overwritten. After a conflict it moves to the current version, so saving
 * again is a deliberate choice.
 */
export function useBaseVersion(shown: number, conflict: { currentVersion: number } | undefined, savedVersion?: number) {
  const [base, setBase] = useState(shown);
  useEffect(() => {
    if (conflict) setBase(conflict.currentVersion);
  }, [conflict]);
  // After a save of one's own on this page, the next edit builds on the version it made.
  useEffect(() => {
    if (savedVersion) setBase(savedVersion);
  }, [savedVersion]);
  return base;
}

function initialValues(b: Biomarker | null): Record<string, string> {
  if (!b) return { valueType: "numeric" };
  return biomarkerAsText(b);
}

interface Props {
  biomarker: Biomarker | null;
  panelVersion: number;
  result: FormResult | undefined;
  cancelHref?: string;
  /** The version this person's last save on the page made: forms build on it. */
  savedVersion?: number;
}

export function BiomarkerForm({ biomarker, panelVersion, result, cancelHref, savedVersion }: Props) {
  const intent = biomarker ? "update-biomarker" : "add-biomarker";
  const mine = result && !result.ok && result.intent === intent ? result : undefined;
  const baseVersion = useBaseVersion(panelVersion, mine?.conflict, savedVersion);
  const values = { ...initialValues(biomarker), ...(mine?.values ?? {}) };
  const errors = mine?.fieldErrors;
  const busy = useNavigation().formData?.get("intent") === intent;
  const heading = biomarker ? `Edit ${biomarker.label}` : "Add a biomarker";
  const field = (name: string) => ({ name, defaultValue: values[name] ?? "", error: errorFor(errors, name) });
  // Categories belong to category biomarkers only: their rows show (and post) while that value type is chosen.
  const [valueType, setValueType] = useState(values.valueType ?? "numeric");
  const categories = categoriesFromValues(mine?.values) ?? biomarker?.categories ?? [];

  return (
    <Card>
      <h3 className="text-lg font-semibold" id={`${intent}-heading`}>
        {heading}
      </h3>
      <Form method="post" className="mt-4 space-y-4" noValidate preventScrollReset aria-labelledby={`${intent}-heading`}>
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="baseVersion" value={baseVersion} />
        {biomarker ? <input type="hidden" name="biomarkerId" value={biomarker.id} /> : null}
        {mine?.formError ? <Notice tone="error">{mine.formError}</Notice> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Code"
            {...field("code")}
            required
            maxLength={40}
            hint="Lower-case letters, digits and _, unique in the panel (hs_crp)."
          />
          <TextField label="Label" {...field("label")} required maxLength={120} />
          <TextField label="Unit" {...field("unit")} hint="UCUM: mg/L, pg/mL, u[IU]/mL (µIU/mL), kg/m2. Empty for unitless values." />
          <SelectField
            label="Value type"
            {...field("valueType")}
            options={VALUE_TYPE_OPTIONS}
            onChange={(event) => setValueType(event.target.value)}
          />
          <TextField label="LOINC code" {...field("loinc")} hint="With its check digit, as in 30522-7. Optional." />
          <TextField label="Specimen" {...field("specimen")} hint="serum, plasma… Optional." />
          <TextField label="Plausible minimum" {...field("plausibleMin")} inputMode="decimal" hint="In the unit above. Optional." />
          <TextField label="Plausible maximum" {...field("plausibleMax")} inputMode="decimal" hint="In the unit above. Optional." />
        </div>
        <CategoriesEditor initial={categories} errors={errors} active={valueType === "category"} />
        <TextField
          label="Cut-offs"
          {...field("cutoffs")}
          hint="Label, operator (<, <=, >, >=) and value in the unit, separated by ; — as in “low<1; high>3”."
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Molar mass (g/mol)"
            {...field("molarMass")}
            inputMode="decimal"
            hint="For mass ↔ molar conversion (glucose 180.16). Optional."
          />
          <TextField
            label="Unit conventions"
            {...field("unitConventions")}
            hint="Conversions UCUM cannot do: unit*factor (note), as in “pmol/L*0.1667 (1 µIU/mL = 6.0 pmol/L)”."
          />
        </div>
        <TextField
          label="Aliases"
          {...field("aliases")}
          hint="Other column names for this marker in uploaded files, separated by ; (crp; hscrp)."
        />
        <TextAreaField label="Description" {...field("description")} rows={2} />
        <div className="flex flex-wrap items-center gap-3">
          <Button disabled={busy}>{busy ? "Saving…" : biomarker ? "Save changes" : "Add biomarker"}</Button>
          {cancelHref ? (
            <Link to={cancelHref} preventScrollReset className="text-sm text-slate-600 underline">
              Cancel
            </Link>
          ) : null}
          <span className="text-xs text-slate-500">Based on version {baseVersion} of the panel.</span>
        </div>
      </Form>
    </Card>
  );
}
