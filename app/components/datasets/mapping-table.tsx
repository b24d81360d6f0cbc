/** The proposed column matching of a dry run, editable: role, biomarker and unit per column. */
export interface ProposedColumn {
  name: string;
  role: "participant_id" | "arm" | "visit" | "instance" | "biomarker" | "value";
  ignored: boolean;
  biomarker: string | null;
  sourceUnit: string | null;
  unit: string | null;
  convertedFrom: string | null;
  conversion: string | null;
  matchedBy: string | null;
  problem: string | null;
}

export interface ColumnChoice {
  role: "participant_id" | "arm" | "visit" | "instance" | "biomarker" | "value" | "ignore";
  biomarker: string;
  unit: string;
}

export function choiceFromProposal(c: ProposedColumn): ColumnChoice {
  return { role: c.ignored ? "ignore" : c.role, biomarker: c.biomarker ?? "", unit: c.sourceUnit ?? "" };
}

/** The mapping the API takes, from the user's choices; `visits` labels the visit column's values (REDCap events). */
export function mappingFromChoices(
  names: string[],
  choices: ColumnChoice[],
  visits: Record<string, string> = {},
): Record<string, Record<string, string | Record<string, string>>> {
  return Object.fromEntries(
    names.map((name, i) => {
      const c = choices[i];
      if (c.role === "visit") return [name, { role: "visit", visits }];
      if (c.role === "biomarker" && c.biomarker) return [name, { biomarker: c.biomarker, ...(c.unit ? { unit: c.unit } : {}) }];
      if (c.role === "biomarker" || c.role === "value") return [name, { role: "value", ...(c.unit ? { unit: c.unit } : {}) }];
      return [name, { role: c.role }];
    }),
  );
}

const ROLES = [
  { value: "participant_id", label: "Participant id" },
  { value: "arm", label: "Arm" },
  { value: "visit", label: "Visit" },
  { value: "instance", label: "Repeat instance" },
  { value: "biomarker", label: "Biomarker" },
  { value: "value", label: "Other value" },
  { value: "ignore", label: "Leave out" },
];

const CONTROL =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500";

export function MappingTable({
  columns,
  choices,
  biomarkers,
  onChange,
}: {
  columns: ProposedColumn[];
  choices: ColumnChoice[];
  biomarkers: { code: string; label: string; unit: string }[];
  onChange: (index: number, choice: ColumnChoice) => void;
}) {
  return (
    <div className="relative overflow-x-auto">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">Column matching</caption>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-3">Column in the file</th>
            <th className="py-2 pr-3">Role</th>
            <th className="py-2 pr-3">Panel biomarker</th>
            <th className="py-2 pr-3">Unit in the file</th>
            <th className="py-2">Conversion</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((column, i) => {
            const choice = choices[i];
            const panelUnit = biomarkers.find((b) => b.code === choice.biomarker)?.unit;
            return (
              <tr key={column.name} className="border-b border-slate-100 align-top">
                <th scope="row" className="py-2 pr-3 font-medium text-slate-800">
                  {column.name}
                  {column.matchedBy ? (
                    <span className="block text-xs font-normal text-slate-500">matched by {column.matchedBy}</span>
                  ) : null}
                </th>
                <td className="py-2 pr-3">
                  <select
                    aria-label={`Role of ${column.name}`}
                    className={CONTROL}
                    value={choice.role}
                    onChange={(e) => onChange(i, { ...choice, role: e.target.value as ColumnChoice["role"] })}
                  >
                    {ROLES.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="py-2 pr-3">
                  {choice.role === "biomarker" ? (
                    <select
                      aria-label={`Biomarker of ${column.name}`}
                      className={CONTROL}
                      value={choice.biomarker}
                      onChange={(e) => onChange(i, { ...choice, biomarker: e.target.value })}
                    >
                      <option value="">— choose —</option>
                      {biomarkers.map((b) => (
                        <option key={b.code} value={b.code}>
                          {b.label} ({b.unit || "no unit"})
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </td>
                <td className="py-2 pr-3">
                  {choice.role === "biomarker" || choice.role === "value" ? (
                    <input
                      aria-label={`Unit of ${column.name}`}
                      className={`${CONTROL} w-28`}
                      value={choice.unit}
                      placeholder={panelUnit ?? "none"}
                      onChange={(e) => onChange(i, { ...choice, unit: e.target.value })}
                    />
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </td>
                <td className="py-2 text-slate-700">
                  {column.problem ? (
                    <span role="alert" className="text-red-700">
                      {column.problem}
                    </span>
                  ) : column.convertedFrom ? (
                    <span>
                      converted from {column.convertedFrom} to {column.unit}
                    </span>
                  ) : (
                    <span className="text-slate-500">{column.conversion ?? (column.unit ? `in ${column.unit}` : "as is")}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
