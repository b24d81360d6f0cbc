import { useState } from "react";
import { ARM_CLASSES } from "#app/domain/studies.ts";
import { ARM_CLASS_LABELS } from "./labels.ts";

/** Editable rows of a study's arms; each row posts as arms[i].name/class/dose. */
export function ArmRows({ errors }: { errors: Record<string, string> }) {
  const [rows, setRows] = useState([0, 1]);
  const [next, setNext] = useState(2);
  return (
    // A container (not the viewport) decides the row layout: the form sits in a narrow side column on wide screens.
    <fieldset className="@container min-w-0 space-y-2">
      <legend className="text-sm font-medium text-slate-800">Arms</legend>
      {rows.map((key, i) => (
        <div key={key} className="grid gap-2 @lg:grid-cols-[minmax(0,1fr)_10rem_minmax(0,1fr)_auto]">
          <input
            aria-label={`Arm ${i + 1} intervention`}
            name={`arms[${key}].name`}
            placeholder={i === 0 ? "infliximab" : "placebo"}
            className="min-w-0 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
          <select
            aria-label={`Arm ${i + 1} class`}
            name={`arms[${key}].class`}
            defaultValue={i === 1 ? "placebo" : "anti-inflammatory"}
            className="min-w-0 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
          >
            {ARM_CLASSES.map((c) => (
              <option key={c} value={c}>
                {ARM_CLASS_LABELS[c]}
              </option>
            ))}
          </select>
          <input
            aria-label={`Arm ${i + 1} dose`}
            name={`arms[${key}].dose`}
            placeholder="dose"
            className="min-w-0 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
          <button
            type="button"
            onClick={() => setRows(rows.filter((r) => r !== key))}
            className="rounded-md px-2 text-sm text-slate-500 hover:text-red-700"
            aria-label={`Remove arm ${i + 1}`}
          >
            Remove
          </button>
          {errors[`arms.${i}.name`] ? <p className="text-sm text-red-700 @lg:col-span-4">{errors[`arms.${i}.name`]}</p> : null}
        </div>
      ))}
      <button
        type="button"
        onClick={() => {
          setRows([...rows, next]);
          setNext(next + 1);
        }}
        className="text-sm text-brand-700 underline"
      >
        Add an arm
      </button>
    </fieldset>
  );
}
