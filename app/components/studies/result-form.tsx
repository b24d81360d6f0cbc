import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField, TextField } from "#app/components/ui/field.tsx";
import { Notice } from "#app/components/ui/notice.tsx";
import type { FormFailure } from "#app/domain/form-failure.ts";

interface Props {
  arms: { id: string; name: string }[];
  outcomes: { id: string; name: string; kind: string }[];
  failure?: FormFailure;
}

function NumberInput({ name, label, error, step = "any" }: { name: string; label: string; error?: string; step?: string }) {
  return (
    <label className="block text-xs text-slate-600">
      {label}
      <input
        name={name}
        inputMode="decimal"
        step={step}
        aria-invalid={error ? true : undefined}
        className="mt-0.5 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500"
      />
      {error ? <span className="mt-0.5 block text-red-700">{error}</span> : null}
    </label>
  );
}

/** Adds a summary-level result: which arms, which outcome, which subgroup, and the numbers as reported. */
export function ResultForm({ arms, outcomes, failure }: Props) {
  const firstKind = outcomes[0]?.kind === "binary" ? "binary" : "continuous";
  const [type, setType] = useState<"continuous" | "binary" | "estimate">(firstKind);
  const busy = useNavigation().formData?.get("intent") === "add-result";
  const e = failure?.fieldErrors ?? {};
  if (arms.length < 2 || outcomes.length === 0) {
    return <p className="text-sm text-slate-600">A result needs two arms and an outcome measure: add them to the study first.</p>;
  }
  return (
    <Form method="post" className="space-y-3" noValidate>
      <input type="hidden" name="intent" value="add-result" />
      {failure?.formError ? <Notice tone="error">{failure.formError}</Notice> : null}
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField
          label="Intervention"
          name="interventionArmId"
          options={arms.map((a) => ({ value: a.id, label: a.name }))}
          error={e.interventionArmId}
        />
        <SelectField
          label="Comparator"
          name="comparatorArmId"
          defaultValue={arms[arms.length - 1].id}
          options={arms.map((a) => ({ value: a.id, label: a.name }))}
          error={e.comparatorArmId}
        />
        <SelectField
          label="Outcome"
          name="outcomeId"
          options={outcomes.map((o) => ({ value: o.id, label: `${o.name} (${o.kind})` }))}
          onChange={(ev) => setType(outcomes.find((o) => o.id === ev.currentTarget.value)?.kind === "binary" ? "binary" : "continuous")}
          error={e.outcomeId}
        />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Subgroup" name="subgroup" placeholder="CRP > 5 mg/L (empty: whole sample)" error={e.subgroup} />
        <SelectField
          label="Reported as"
          name="data.type"
          value={type}
          onChange={(ev) => setType(ev.currentTarget.value as typeof type)}
          options={[
            { value: "continuous", label: "Means, SDs and Ns" },
            { value: "binary", label: "Events and Ns" },
            { value: "estimate", label: "An estimate with its 95% CI" },
          ]}
          error={e["data.type"]}
        />
      </div>
      {type === "continuous" ? (
        <div className="grid grid-cols-3 gap-2">
          {(["intervention", "comparator"] as const).flatMap((arm) => [
            <NumberInput key={`${arm}m`} name={`data.${arm}.mean`} label={`${arm} mean`} error={e[`data.${arm}.mean`]} />,
            <NumberInput key={`${arm}s`} name={`data.${arm}.sd`} label={`${arm} SD`} error={e[`data.${arm}.sd`]} />,
            <NumberInput key={`${arm}n`} name={`data.${arm}.n`} label={`${arm} N`} step="1" error={e[`data.${arm}.n`]} />,
          ])}
        </div>
      ) : type === "binary" ? (
        <div className="grid grid-cols-2 gap-2">
          {(["intervention", "comparator"] as const).flatMap((arm) => [
            <NumberInput key={`${arm}e`} name={`data.${arm}.events`} label={`${arm} events`} step="1" error={e[`data.${arm}.events`]} />,
            <NumberInput key={`${arm}n`} name={`data.${arm}.n`} label={`${arm} N`} step="1" error={e[`data.${arm}.n`]} />,
          ])}
        </div>
      ) : (
        <div className="grid grid-cols-4 gap-2">
          <label className="block text-xs text-slate-600">
            measure
            <select name="data.measure" className="mt-0.5 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
              {["SMD", "MD", "OR", "RR"].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <NumberInput name="data.estimate" label="estimate" error={e["data.estimate"]} />
          <NumberInput name="data.ciLower" label="95% CI lower" error={e["data.ciLower"]} />
          <NumberInput name="data.ciUpper" label="95% CI upper" error={e["data.ciUpper"]} />
        </div>
      )}
      <TextField label="Source" name="source" placeholder="Author year, journal, table" error={e.source} />
      <Button disabled={busy}>{busy ? "Adding…" : "Add result"}</Button>
    </Form>
  );
}
