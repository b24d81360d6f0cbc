/**
 * The coded answers of a category biomarker, one row each (code, label), in
 * order. Rows post as categories[i].code / categories[i].label; the page's
 * action gathers them into one list, so no rows means no categories. Adding a
 * row puts the cursor in its code; removing one moves it to the next row (or
 * to "Add a category"), so the list can be edited from the keyboard alone.
 */
import { useEffect, useId, useRef, useState } from "react";
import { CATEGORIES_MAX, CATEGORY_CODE_MAX, CATEGORY_LABEL_MAX, type Category } from "#app/domain/categories.ts";

const ROW_FIELD = /^categories\[(\d+)\]\.(code|label)$/;

/** The rows a submission held (echoed back after a refusal), in their order; null when it held none of them. */
export function categoriesFromValues(values: Record<string, string> | undefined): Category[] | null {
  if (!values) return null;
  const rows = new Map<number, Category>();
  for (const [name, value] of Object.entries(values)) {
    const match = ROW_FIELD.exec(name);
    if (!match) continue;
    const row = rows.get(Number(match[1])) ?? { code: "", label: "" };
    row[match[2] as "code" | "label"] = value;
    rows.set(Number(match[1]), row);
  }
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
}

interface Row extends Category {
  key: number;
}

const INPUT =
  "block w-full min-w-0 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm " +
  "focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500 aria-[invalid=true]:border-red-500";

interface Props {
  initial: Category[];
  errors?: Record<string, string>;
  /**
   * Whether the biomarker is a category. When it is not, the rows are hidden and
   * disabled (so they do not post), but kept: choosing category again brings them back.
   */
  active: boolean;
}

export function CategoriesEditor({ initial, errors, active }: Props) {
  const [rows, setRows] = useState<Row[]>(() => initial.map((c, key) => ({ key, ...c })));
  const nextKey = useRef(initial.length);
  const [focus, setFocus] = useState<{ key: number | null } | null>(null);
  const list = useRef<HTMLFieldSetElement>(null);
  const hintId = useId();

  useEffect(() => {
    if (!focus) return;
    const target =
      focus.key === null
        ? list.current?.querySelector<HTMLElement>("[data-add-category]")
        : list.current?.querySelector<HTMLElement>(`[data-category-code="${focus.key}"]`);
    target?.focus();
  }, [focus]);

  const change = (key: number, part: "code" | "label", value: string) =>
    setRows((all) => all.map((r) => (r.key === key ? { ...r, [part]: value } : r)));
  const add = () => {
    const key = nextKey.current++;
    setRows((all) => [...all, { key, code: "", label: "" }]);
    setFocus({ key });
  };
  const remove = (index: number) => {
    const after = rows.filter((_, i) => i !== index);
    setRows(after);
    setFocus({ key: (after[index] ?? after[index - 1])?.key ?? null });
  };

  const listError = errors?.categories;
  return (
    <fieldset ref={list} className="@container min-w-0 space-y-2" aria-describedby={hintId} hidden={!active} disabled={!active}>
      <legend className="text-sm font-medium text-slate-800">Categories</legend>
      <p id={hintId} className="text-xs text-slate-500">
        Each coded answer: the code as the data holds it (1, M, yes) and the label people read, in the order to show them.
      </p>
      {listError ? (
        <p role="alert" className="text-sm text-red-700">
          {listError}
        </p>
      ) : null}
      {rows.length === 0 ? <p className="text-sm text-slate-600">No categories yet.</p> : null}
      <ol className="space-y-2">
        {rows.map((row, i) => {
          const codeError = errors?.[`categories.${i}.code`];
          const labelError = errors?.[`categories.${i}.label`];
          const errorId = `category-${row.key}-error`;
          return (
            <li key={row.key} className="grid grid-cols-[5rem_minmax(0,1fr)_auto] gap-2 @md:grid-cols-[9rem_minmax(0,1fr)_auto]">
              <input
                aria-label={`Category ${i + 1} code`}
                name={`categories[${i}].code`}
                value={row.code}
                onChange={(event) => change(row.key, "code", event.target.value)}
                maxLength={CATEGORY_CODE_MAX}
                placeholder="code"
                data-category-code={row.key}
                aria-invalid={codeError ? true : undefined}
                aria-describedby={codeError || labelError ? errorId : undefined}
                className={`${INPUT} font-mono`}
              />
              <input
                aria-label={`Category ${i + 1} label`}
                name={`categories[${i}].label`}
                value={row.label}
                onChange={(event) => change(row.key, "label", event.target.value)}
                maxLength={CATEGORY_LABEL_MAX}
                placeholder="label"
                aria-invalid={labelError ? true : undefined}
                aria-describedby={codeError || labelError ? errorId : undefined}
                className={INPUT}
              />
              <button
                type="button"
                onClick={() => remove(i)}
                className="rounded-md px-2 py-1 text-sm text-slate-600 hover:text-red-700"
                aria-label={`Remove category ${i + 1}${row.code ? ` (${row.code})` : ""}`}
              >
                Remove
              </button>
              {codeError || labelError ? (
                <p id={errorId} role="alert" className="col-span-3 text-sm text-red-700">
                  {[codeError, labelError].filter(Boolean).join(" ")}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        onClick={add}
        disabled={rows.length >= CATEGORIES_MAX}
        data-add-category
        className="rounded-md px-1 py-1 text-sm text-brand-700 underline disabled:text-slate-500"
      >
        Add a category
      </button>
    </fieldset>
  );
}
