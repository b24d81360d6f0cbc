/**
 * The pooling choices every analysis form offers (the comparison, who
 * benefits): the method, Knapp–Hartung, and an Apply button for browsers
 * without scripts (with scripts, a change submits the form by itself).
 */
import { METHOD_LABELS } from "./format.ts";

/** The look of the selects in the analyses' filter bars. */
export const FILTER_SELECT = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

export function PoolingFields({ method, knha }: { method: string; knha: boolean }) {
  return (
    <>
      <label className="min-w-0 max-w-full text-sm">
        <span className="block font-medium text-slate-800">Method</span>
        <select name="method" defaultValue={method} className={FILTER_SELECT}>
          {Object.entries(METHOD_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-flex items-center gap-2 pb-2 text-sm">
        <input type="checkbox" name="knha" value="true" defaultChecked={knha} /> Knapp–Hartung
      </label>
      <noscript>
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white">
          Apply
        </button>
      </noscript>
    </>
  );
}
