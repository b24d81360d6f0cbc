/**
 * Building a profile's criteria: rows of "biomarker, operator, value, unit"
 * (or a participant attribute by column name) joined by all/any, with nested
 * groups, and the plain-language reading beside them. The criteria travel to
 * the action as JSON in one hidden field.
 */
import { useState } from "react";
import {
  type AttributeCriterion,
  type BiomarkerCriterion,
  CRITERION_OPERATORS,
  type CriteriaGroup,
  type Criterion,
  describeCriteria,
  isGroup,
  OPERATOR_SYMBOLS,
} from "#app/domain/profiles.ts";

export interface BuilderBiomarker {
  code: string;
  label: string;
  unit: string;
}

const CONTROL = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

export function CriteriaBuilder({
  biomarkers,
  initial,
  errors,
}: {
  biomarkers: BuilderBiomarker[];
  initial?: CriteriaGroup;
  errors: Record<string, string>;
}) {
  const first = biomarkers[0];
  const blank = (): BiomarkerCriterion => ({
    kind: "biomarker",
    code: first?.code ?? "",
    operator: ">=",
    value: 0,
    unit: first?.unit ?? "",
  });
  const [criteria, setCriteria] = useState<CriteriaGroup>(initial ?? { op: "and", items: [blank()] });
  const labelOf = (code: string) => biomarkers.find((b) => b.code === code)?.label ?? code;
  const problems = Object.entries(errors).filter(([field]) => field.startsWith("criteria"));

  return (
    <div className="space-y-2">
      <input type="hidden" name="criteria" value={JSON.stringify(criteria)} />
      <GroupEditor
        group={criteria}
        onChange={setCriteria}
        biomarkers={biomarkers}
        blank={blank}
        path="criteria"
        errors={errors}
        depth={1}
      />
      <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800" aria-live="polite">
        <span className="font-medium">Reads as:</span> <span data-testid="criteria-preview">{describeCriteria(criteria, labelOf)}</span>
      </p>
      {problems.length ? (
        <ul role="alert" className="text-sm text-red-700">
          {problems.map(([field, message]) => (
            <li key={field}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function GroupEditor({
  group,
  onChange,
  biomarkers,
  blank,
  path,
  errors,
  depth,
}: {
  group: CriteriaGroup;
  onChange(group: CriteriaGroup): void;
  biomarkers: BuilderBiomarker[];
  blank(): BiomarkerCriterion;
  path: string;
  errors: Record<string, string>;
  depth: number;
}) {
  const setItem = (index: number, item: Criterion | CriteriaGroup) =>
    onChange({ ...group, items: group.items.map((x, i) => (i === index ? item : x)) });
  const remove = (index: number) => onChange({ ...group, items: group.items.filter((_, i) => i !== index) });
  return (
    <fieldset className={`space-y-2 rounded-md border border-slate-200 p-2 ${depth > 1 ? "bg-slate-50" : ""}`}>
      <legend className="px-1 text-sm">
        <label className="inline-flex items-center gap-2">
          Match
          <select
            className={CONTROL}
            value={group.op}
            onChange={(e) => onChange({ ...group, op: e.currentTarget.value as "and" | "or" })}
            aria-label="Combine the criteria with"
          >
            <option value="and">all of (and)</option>
            <option value="or">any of (or)</option>
          </select>
        </label>
      </legend>
      {group.items.map((item, i) =>
        isGroup(item) ? (
          <div key={i} className="space-y-1">
            <GroupEditor
              group={item}
              onChange={(g) => setItem(i, g)}
              biomarkers={biomarkers}
              blank={blank}
              path={`${path}.items.${i}`}
              errors={errors}
              depth={depth + 1}
            />
            <button type="button" className="text-xs text-red-700 hover:underline" onClick={() => remove(i)}>
              Remove this group
            </button>
          </div>
        ) : (
          <CriterionRow
            key={i}
            criterion={item}
            onChange={(c) => setItem(i, c)}
            onRemove={() => remove(i)}
            biomarkers={biomarkers}
            error={errors[`${path}.items.${i}.code`] ?? errors[`${path}.items.${i}.unit`] ?? errors[`${path}.items.${i}.value`]}
          />
        ),
      )}
      <div className="flex flex-wrap gap-3 text-sm">
        <button
          type="button"
          className="text-brand-700 hover:underline"
          onClick={() => onChange({ ...group, items: [...group.items, blank()] })}
        >
          + Biomarker criterion
        </button>
        <button
          type="button"
          className="text-brand-700 hover:underline"
          onClick={() => onChange({ ...group, items: [...group.items, { kind: "attribute", name: "", operator: ">=", value: 0 }] })}
        >
          + Participant attribute
        </button>
        {depth < 3 ? (
          <button
            type="button"
            className="text-brand-700 hover:underline"
            onClick={() => onChange({ ...group, items: [...group.items, { op: group.op === "and" ? "or" : "and", items: [blank()] }] })}
          >
            + Group
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}

function CriterionRow({
  criterion,
  onChange,
  onRemove,
  biomarkers,
  error,
}: {
  criterion: Criterion;
  onChange(c: Criterion): void;
  onRemove(): void;
  biomarkers: BuilderBiomarker[];
  error?: string;
}) {
  const numeric = (text: string) => (text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text);
  return (
    <div className="flex flex-wrap items-center gap-2">
      {criterion.kind === "biomarker" ? (
        <select
          className={CONTROL}
          aria-label="Biomarker"
          value={criterion.code}
          onChange={(e) => {
            const b = biomarkers.find((x) => x.code === e.currentTarget.value);
            onChange({ ...criterion, code: e.currentTarget.value, unit: b?.unit ?? criterion.unit });
          }}
        >
          {biomarkers.map((b) => (
            <option key={b.code} value={b.code}>
              {b.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          className={`${CONTROL} w-40`}
          aria-label="Attribute (column name)"
          placeholder="energy_score"
          value={criterion.name}
          onChange={(e) => onChange({ ...(criterion as AttributeCriterion), name: e.currentTarget.value })}
        />
      )}
      <select
        className={CONTROL}
        aria-label="Operator"
        value={criterion.operator}
        onChange={(e) => onChange({ ...criterion, operator: e.currentTarget.value as Criterion["operator"] } as Criterion)}
      >
        {CRITERION_OPERATORS.map((op) => (
          <option key={op} value={op}>
            {OPERATOR_SYMBOLS[op]}
          </option>
        ))}
      </select>
      <input
        className={`${CONTROL} w-24`}
        aria-label="Value"
        inputMode="decimal"
        defaultValue={String(criterion.value)}
        onChange={(e) => {
          const value = numeric(e.currentTarget.value);
          onChange(
            criterion.kind === "biomarker" ? { ...criterion, value: typeof value === "number" ? value : NaN } : { ...criterion, value },
          );
        }}
      />
      <input
        className={`${CONTROL} w-24`}
        aria-label="Unit"
        placeholder="unit"
        value={criterion.unit ?? ""}
        onChange={(e) => onChange({ ...criterion, unit: e.currentTarget.value } as Criterion)}
      />
      <button type="button" className="text-sm text-red-700 hover:underline" onClick={onRemove} aria-label="Remove this criterion">
        Remove
      </button>
      {error ? <p className="w-full text-sm text-red-700">{error}</p> : null}
    </div>
  );
}

/** The criteria a failed submission sent, so the builder shows them again; undefined when there are none. */
export function submittedCriteria(json: string | undefined): CriteriaGroup | undefined {
  if (!json) return undefined;
  try {
    const parsed = JSON.parse(json);
    return parsed && Array.isArray(parsed.items) ? (parsed as CriteriaGroup) : undefined;
  } catch {
    return undefined;
  }
}
