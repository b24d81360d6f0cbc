/**
 * What the "Who benefits" analysis is of: outcome, intervention (or class),
 * biomarker and its scale, pooling method. A change reloads the page's data
 * (a GET form, so the address says what is shown and can be shared); a new
 * biomarker starts on its own usual scale.
 */
import { Form } from "@remix-run/react";
import { FILTER_SELECT, PoolingFields } from "#app/components/comparison/pooling-fields.tsx";
import { labelWithUnit } from "#app/domain/effect-modification.ts";
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";

const SCALES = [
  { value: "log2", label: "Per doubling (log₂)" },
  { value: "log", label: "Natural log" },
  { value: "linear", label: "As measured" },
];

export function AnalysisChoices({ view, onChange }: { view: EffectModificationView; onChange(form: HTMLFormElement): void }) {
  return (
    <Form
      method="get"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3"
      onChange={(e) => onChange(e.currentTarget)}
    >
      <label className="min-w-0 max-w-full text-sm">
        <span className="block font-medium text-slate-800">Outcome</span>
        <select name="outcome" defaultValue={view.outcome?.name ?? ""} className={FILTER_SELECT}>
          {view.outcomes.map((o) => (
            <option key={o.key} value={o.name}>
              {o.name} ({o.kind})
            </option>
          ))}
        </select>
      </label>
      <label className="min-w-0 max-w-full text-sm">
        <span className="block font-medium text-slate-800">Intervention</span>
        <select name="intervention" defaultValue={view.intervention ?? ""} className={FILTER_SELECT}>
          {view.interventions.map((i) => (
            <option key={i.key} value={i.key}>
              {i.name} ({i.trials} {i.trials === 1 ? "trial" : "trials"})
            </option>
          ))}
        </select>
      </label>
      <label className="min-w-0 max-w-full text-sm">
        <span className="block font-medium text-slate-800">Biomarker</span>
        <select
          name="biomarker"
          defaultValue={view.biomarker?.code ?? ""}
          className={FILTER_SELECT}
          onChange={(e) => {
            // Each biomarker has its own natural scale (hs-CRP per doubling, BMI per 5 kg/m2): let its default apply.
            for (const name of ["scale", "per"]) {
              const field = e.currentTarget.form?.elements.namedItem(name) as HTMLSelectElement | HTMLInputElement | null;
              if (field) field.value = "";
            }
          }}
        >
          {view.biomarkers.map((b) => (
            <option key={b.code} value={b.code}>
              {labelWithUnit(b.label, b.unit)}
            </option>
          ))}
        </select>
      </label>
      <label className="min-w-0 max-w-full text-sm">
        <span className="block font-medium text-slate-800">Scale</span>
        <select name="scale" defaultValue={view.transform.scale} className={FILTER_SELECT}>
          <option value="">Usual for this biomarker</option>
          {SCALES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      {view.transform.scale === "linear" ? (
        <label className="min-w-0 max-w-full text-sm">
          <span className="block font-medium text-slate-800">Per {view.biomarker?.unit ? `(${view.biomarker.unit})` : "unit"}</span>
          <input name="per" type="number" min="0" step="any" defaultValue={view.transform.per} className={`${FILTER_SELECT} w-24`} />
        </label>
      ) : null}
      <PoolingFields method={view.method} knha={view.knha} />
    </Form>
  );
}
