/**
 * How a REDCap records export or ODM clinical data is read, shown after a
 * check: each event with the visit it becomes (editable: baseline, week 4, …),
 * how repeated instruments are kept, and what was left out. The visit labels
 * travel in the visit column's mapping (decision 030).
 */
export interface RecordsProposal {
  source: "redcap" | "odm";
  dictionary: "file" | "panel" | "metadata";
  visitColumn: string | null;
  events: { event: string; visit: string }[];
  repeatedInstruments: string[];
  repeats: RepeatChoice;
  notes: string[];
}

export type RepeatChoice = "rows" | "first" | "last" | "mean";

const REPEAT_OPTIONS: { value: RepeatChoice; label: string }[] = [
  { value: "rows", label: "Keep each instance as a row" },
  { value: "first", label: "Keep the first instance" },
  { value: "last", label: "Keep the last instance" },
  { value: "mean", label: "Mean of numbers (last of other values)" },
];

const SOURCE_NAMES = { redcap: "a REDCap records export", odm: "CDISC ODM clinical data" };
const DICTIONARY_NAMES = {
  file: "the data dictionary sent with it",
  panel: "the study's panel (no dictionary was sent)",
  metadata: "the file's own metadata",
};

const CONTROL =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500";

export function RecordsOptions({
  records,
  visits,
  onVisit,
  onRepeats,
}: {
  records: RecordsProposal;
  visits: Record<string, string>;
  onVisit: (event: string, label: string) => void;
  /** Reduction changes the columns, so choosing one checks the file again. */
  onRepeats: (choice: RepeatChoice) => void;
}) {
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">
        Read as {SOURCE_NAMES[records.source]}; field types, units and coded answers come from {DICTIONARY_NAMES[records.dictionary]}. Each
        record is a participant.
      </p>
      {records.events.length ? (
        <div className="overflow-x-auto">
          <table className="min-w-[24rem] text-left text-sm">
            <caption className="mb-1 text-left text-sm font-medium text-slate-800">Events → visits</caption>
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1 pr-3">Event in the file</th>
                <th className="py-1">Visit</th>
              </tr>
            </thead>
            <tbody>
              {records.events.map(({ event, visit }) => (
                <tr key={event} className="border-b border-slate-100">
                  <th scope="row" className="py-1 pr-3 font-mono text-xs font-normal text-slate-800">
                    {event}
                  </th>
                  <td className="py-1">
                    <input
                      aria-label={`Visit of event ${event}`}
                      className={`${CONTROL} w-40`}
                      value={visits[event] ?? visit}
                      maxLength={64}
                      onChange={(e) => onVisit(event, e.target.value)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-1 text-xs text-slate-500">
            Analyses read biomarkers at the baseline visit and a score measured at several visits as one column per visit, so a change is
            baseline minus the last visit.
          </p>
        </div>
      ) : null}
      {records.repeatedInstruments.length ? (
        <label className="block space-y-1 text-sm">
          <span className="font-medium text-slate-800">Repeated instruments ({records.repeatedInstruments.join(", ")})</span>
          <select className={`${CONTROL} block`} value={records.repeats} onChange={(e) => onRepeats(e.target.value as RepeatChoice)}>
            {REPEAT_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {records.notes.length ? (
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600">
          {records.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
