/** The panel's biomarkers as a table people read: units with their UCUM names, cut-offs in words. */
import { Form, Link } from "@remix-run/react";
import type { biomarkerJson } from "#app/public-shapes/panels.ts";
import { describeConvention, describeCutoff, describeRange } from "#app/domain/biomarker-text.ts";
import { EmptyState } from "#app/components/ui/notice.tsx";

export type Biomarker = ReturnType<typeof biomarkerJson>;

interface Props {
  biomarkers: Biomarker[];
  /** Links and buttons for editing; absent for observers and for past versions. */
  editing?: { baseVersion: number; editHref: (id: string) => string };
}

export function BiomarkerTable({ biomarkers, editing }: Props) {
  if (biomarkers.length === 0) {
    return (
      <EmptyState title="No biomarkers in this panel yet">
        {editing ? "Add one with the form below, or import a data dictionary CSV." : "Contributors and leads can add them."}
      </EmptyState>
    );
  }
  return (
    <div className="relative -mx-5 overflow-x-auto px-5">
      <table className="w-full min-w-[52rem] text-left text-sm">
        <caption className="sr-only">Biomarkers of the panel</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-3 font-medium">
              Biomarker
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              LOINC
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Unit
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Plausible range
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Cut-offs
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Conversions
            </th>
            {editing ? (
              <th scope="col" className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {biomarkers.map((b) => (
            <tr key={b.id} data-testid={`biomarker-${b.code}`}>
              <td className="py-2 pr-3">
                <div className="font-medium">{b.label}</div>
                <div className="font-mono text-xs text-slate-500">{b.code}</div>
                {b.specimen ? <div className="text-xs text-slate-500">{b.specimen}</div> : null}
                {b.valueType !== "numeric" ? <div className="text-xs text-slate-500">{b.valueType}</div> : null}
                {b.categories.length ? <CategoryList biomarker={b} /> : null}
              </td>
              <td className="whitespace-nowrap py-2 pr-3 font-mono text-xs">{b.loinc ?? "—"}</td>
              <td className="py-2 pr-3">
                {b.unit ? (
                  <>
                    <div className="font-mono">{b.unit}</div>
                    <div className="text-xs text-slate-500">{b.unitName}</div>
                  </>
                ) : (
                  <span className="text-slate-500">no unit</span>
                )}
              </td>
              <td className="py-2 pr-3 whitespace-nowrap">{describeRange(b.plausibleMin, b.plausibleMax, b.unit)}</td>
              <td className="py-2 pr-3">
                {b.cutoffs.length ? (
                  <ul className="space-y-0.5">
                    {b.cutoffs.map((c, i) => (
                      <li key={i}>{describeCutoff(c, b.unit)}</li>
                    ))}
                  </ul>
                ) : (
                  "—"
                )}
              </td>
              <td className="py-2 pr-3 text-xs text-slate-600">
                <Conversions biomarker={b} />
              </td>
              {editing ? (
                <td className="py-2">
                  <div className="flex gap-2">
                    <Link
                      to={editing.editHref(b.id)}
                      preventScrollReset
                      className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50"
                      aria-label={`Edit ${b.label}`}
                    >
                      Edit
                    </Link>
                    <Form
                      method="post"
                      preventScrollReset
                      onSubmit={(event) => {
                        if (!window.confirm(`Remove ${b.label} (${b.code}) from the panel? Earlier versions keep it.`))
                          event.preventDefault();
                      }}
                    >
                      <input type="hidden" name="intent" value="remove-biomarker" />
                      <input type="hidden" name="biomarkerId" value={b.id} />
                      <input type="hidden" name="code" value={b.code} />
                      <input type="hidden" name="baseVersion" value={editing.baseVersion} />
                      <button
                        type="submit"
                        className="rounded-md border border-red-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50"
                        aria-label={`Remove ${b.label}`}
                      >
                        Remove
                      </button>
                    </Form>
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Long lists (a country list) fold away, so one biomarker does not push the rest of the panel off the screen. */
const CATEGORIES_SHOWN_OPEN = 8;

function CategoryList({ biomarker: b }: { biomarker: Biomarker }) {
  const items = (
    <ul aria-label={`Categories of ${b.label}`} className="mt-1 space-y-0.5 text-xs">
      {b.categories.map((c) => (
        <li key={c.code}>
          <span className="font-mono">{c.code}</span> = {c.label}
        </li>
      ))}
    </ul>
  );
  if (b.categories.length <= CATEGORIES_SHOWN_OPEN) return items;
  return (
    <details className="mt-1 text-xs">
      <summary className="cursor-pointer text-slate-600">{b.categories.length} categories</summary>
      {items}
    </details>
  );
}

function Conversions({ biomarker: b }: { biomarker: Biomarker }) {
  const lines = [
    ...(b.molarMass ? [`molar mass ${b.molarMass} g/mol (mass ↔ molar by UCUM)`] : []),
    ...b.unitConventions.map((c) => describeConvention(c, b.unit)),
  ];
  // Without a molar mass or convention, UCUM still converts between units of the same kind (mg/dL → mg/L).
  if (!lines.length) return <>{b.unit ? "by UCUM, between units of the same kind" : "—"}</>;
  return (
    <ul className="space-y-0.5">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
