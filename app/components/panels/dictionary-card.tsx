/** Download the panel as a data-dictionary CSV, import one, and what the columns mean. */
import { Form, useNavigation } from "@remix-run/react";
import { DICTIONARY_COLUMNS, DICTIONARY_MAX_BYTES } from "#app/domain/dictionary-columns.ts";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { useBaseVersion, type FormResult } from "./biomarker-form.tsx";

export interface ImportResult extends FormResult {
  problems?: { row?: number; column?: string; message: string }[];
  changed?: boolean;
  version?: number;
  added?: string[];
  updated?: string[];
  removed?: string[];
  unchanged?: number;
}

interface Props {
  downloadHref: string;
  /** The same panel as a REDCap data dictionary, to build a REDCap project that collects it. */
  redcapHref: string;
  panelVersion: number;
  canEdit: boolean;
  result: ImportResult | undefined;
  savedVersion?: number;
}

export function DictionaryCard({ downloadHref, redcapHref, panelVersion, canEdit, result, savedVersion }: Props) {
  const mine = result?.intent === "import" ? result : undefined;
  return (
    <Card>
      <h3 className="text-lg font-semibold">Data dictionary</h3>
      <p className="mt-1 text-sm text-slate-600">
        The panel as a CSV file, one row per biomarker: open it in a spreadsheet, share it, or edit it and import it back.
      </p>
      <div className="mt-3 flex flex-wrap gap-2">
        <a
          href={downloadHref}
          download
          className="inline-flex rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium shadow-sm hover:bg-slate-50"
        >
          Download dictionary CSV
        </a>
        <a
          href={redcapHref}
          download
          className="inline-flex rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium shadow-sm hover:bg-slate-50"
        >
          Download as REDCap data dictionary
        </a>
      </div>
      {canEdit ? <ImportForm panelVersion={panelVersion} result={mine} savedVersion={savedVersion} /> : null}
      <ColumnGuide />
    </Card>
  );
}

function ImportForm({
  panelVersion,
  result,
  savedVersion,
}: {
  panelVersion: number;
  result: ImportResult | undefined;
  savedVersion?: number;
}) {
  const failed = result && !result.ok ? result : undefined;
  const baseVersion = useBaseVersion(panelVersion, failed?.conflict, savedVersion);
  const busy = useNavigation().formData?.get("intent") === "import";
  return (
    <Form method="post" encType="multipart/form-data" className="mt-5 space-y-3 border-t border-slate-100 pt-4" preventScrollReset>
      <h4 className="text-sm font-semibold">Import a dictionary</h4>
      <input type="hidden" name="intent" value="import" />
      <input type="hidden" name="baseVersion" value={baseVersion} />
      <div className="space-y-1">
        <label htmlFor="dictionary-file" className="block text-sm font-medium text-slate-800">
          Dictionary CSV file
        </label>
        <input
          id="dictionary-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5"
          aria-describedby="dictionary-file-hint"
        />
        <p id="dictionary-file-hint" className="text-xs text-slate-500">
          UTF-8 CSV, at most {DICTIONARY_MAX_BYTES / 1024} KiB. Nothing changes unless every row is valid.
        </p>
      </div>
      <SelectField
        label="What the file does"
        name="mode"
        defaultValue="replace"
        options={[
          { value: "replace", label: "Replace: the file becomes the panel (rows not in it are removed)" },
          { value: "merge", label: "Merge: update matching codes, add new ones, keep the rest" },
        ]}
      />
      <Button variant="secondary" disabled={busy}>
        {busy ? "Importing…" : "Import dictionary"}
      </Button>
      <ImportReport result={result} />
    </Form>
  );
}

function ImportReport({ result }: { result: ImportResult | undefined }) {
  if (!result) return null;
  if (result.ok) {
    if (!result.changed) return <Notice tone="success">The file matches the panel already: nothing to change.</Notice>;
    const parts = [
      result.added?.length ? `added ${result.added.join(", ")}` : null,
      result.updated?.length ? `changed ${result.updated.join(", ")}` : null,
      result.removed?.length ? `removed ${result.removed.join(", ")}` : null,
    ].filter(Boolean);
    return (
      <Notice tone="success">
        Imported: the panel is now at version {result.version}
        {parts.length ? ` (${parts.join("; ")})` : " (rows reordered)"}.
      </Notice>
    );
  }
  return (
    <div className="space-y-2" data-testid="import-report">
      <Notice tone="error">{result.formError ?? Object.values(result.fieldErrors ?? {})[0]}</Notice>
      {result.problems?.length ? (
        <div className="max-h-72 overflow-auto rounded-md border border-red-200">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Problems in the file</caption>
            <thead className="bg-red-50 text-xs uppercase tracking-wide text-red-800">
              <tr>
                <th scope="col" className="px-2 py-1 font-medium">
                  Row
                </th>
                <th scope="col" className="px-2 py-1 font-medium">
                  Column
                </th>
                <th scope="col" className="px-2 py-1 font-medium">
                  Problem
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-red-100">
              {result.problems.map((p, i) => (
                <tr key={i}>
                  <td className="px-2 py-1 tabular-nums">{p.row ?? "—"}</td>
                  <td className="px-2 py-1 font-mono text-xs">{p.column || "—"}</td>
                  <td className="px-2 py-1">{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function ColumnGuide() {
  return (
    <details className="mt-5 border-t border-slate-100 pt-4 text-sm">
      <summary className="cursor-pointer font-medium">The columns of a data dictionary</summary>
      <p className="mt-2 text-slate-600">
        A header row, then one row per biomarker. Only <code>code</code> and <code>label</code> are required; columns may come in any order.
        Rows are numbered as a spreadsheet shows them (the header is row 1).
      </p>
      <dl className="mt-2 space-y-2">
        {DICTIONARY_COLUMNS.map((c) => (
          <div key={c.name}>
            <dt className="font-mono text-xs font-semibold">
              {c.name}
              {c.required ? " (required)" : ""}
            </dt>
            <dd className="text-slate-600">
              {c.description}{" "}
              <span className="text-slate-500">
                Example: <code>{c.example}</code>
              </span>
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
