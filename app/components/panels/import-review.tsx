/**
 * Upload a REDCap data dictionary or CDISC ODM file, review what each field
 * becomes (a new biomarker, an existing one it is mapped to, or left out),
 * see why the others are skipped, and create the panel. One form: the file
 * stays chosen between "Review" and "Create panel", which send it again.
 */
import { Form, useNavigation } from "@remix-run/react";
import type { z } from "zod";
import { LEAVE_OUT, LEFT_OUT_IN_REVIEW, NEW_BIOMARKER } from "#app/domain/field-choices.ts";
import type { ImportedFieldJson, MappingTargetJson, PanelImportProposalJson, SkippedFieldJson } from "#app/schemas/panel-import.ts";
import { Button } from "#app/components/ui/button.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { ScrollRegion } from "#app/components/ui/scroll-region.tsx";

type Proposal = z.output<typeof PanelImportProposalJson>;
type Field = z.output<typeof ImportedFieldJson>;
type Skipped = z.output<typeof SkippedFieldJson>;
type Target = z.output<typeof MappingTargetJson>;

export type ImportActionResult =
  | { ok: true; proposal: Proposal }
  | { ok: false; message: string; details: { field?: string; row?: number; message: string }[] };

export function PanelImportForm({ result }: { result: ImportActionResult | undefined }) {
  const navigation = useNavigation();
  const sending = navigation.formData?.get("intent");
  const proposal = result?.ok ? result.proposal : undefined;
  return (
    <Form method="post" encType="multipart/form-data" className="space-y-4" preventScrollReset>
      <Card>
        <p className="text-sm text-slate-600">
          A REDCap data dictionary (the CSV of “Download the Data Dictionary”) or a CDISC ODM 1.3 XML export. Numeric fields become
          biomarkers with their units and ranges, choice fields become categories; you choose what each field becomes before anything is
          saved.
        </p>
        <div className="mt-4 grid gap-4 sm:grid-cols-2">
          <div className="space-y-1">
            <label htmlFor="panel-import-file" className="block text-sm font-medium text-slate-800">
              Dictionary file
            </label>
            <input
              id="panel-import-file"
              name="file"
              type="file"
              accept=".csv,.xml,text/csv,application/xml"
              required
              aria-describedby="panel-import-file-hint"
              className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5"
            />
            <p id="panel-import-file-hint" className="text-xs text-slate-600">
              CSV (comma or semicolon) or XML, at most 5 MiB.
            </p>
          </div>
          <TextField label="Panel name" name="name" maxLength={120} hint="Empty: the file's name." defaultValue={proposal?.name} />
        </div>
        <div className="mt-4">
          <Button name="intent" value="review" variant={proposal ? "secondary" : "primary"} disabled={Boolean(sending)}>
            {sending === "review" ? "Reading…" : proposal ? "Review again" : "Review fields"}
          </Button>
        </div>
      </Card>
      {result && !result.ok ? <Refusal message={result.message} details={result.details} /> : null}
      {proposal ? <Review proposal={proposal} busy={Boolean(sending)} accepting={sending === "accept"} /> : null}
    </Form>
  );
}

function Refusal({ message, details }: { message: string; details: { field?: string; row?: number; message: string }[] }) {
  return (
    // An error notice is an alert already: it is read out when it appears.
    <Notice tone="error">
      <p>{message}</p>
      {details.length > 1 ? (
        <ul className="mt-2 list-disc pl-5">
          {details.slice(0, 20).map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: problems are listed once, in order, and never reordered
            <li key={i}>{d.row ? `Row ${d.row}: ${d.message}` : d.message}</li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}

function Review({ proposal, busy, accepting }: { proposal: Proposal; busy: boolean; accepting: boolean }) {
  const leftOut = proposal.skipped.filter((s) => s.reason === LEFT_OUT_IN_REVIEW);
  const cannot = proposal.skipped.filter((s) => s.reason !== LEFT_OUT_IN_REVIEW);
  return (
    <div className="space-y-4">
      <Card>
        <h3 className="text-lg font-semibold">
          {proposal.fields.length} {proposal.fields.length === 1 ? "field becomes a biomarker" : "fields become biomarkers"}
        </h3>
        <p className="mt-1 text-sm text-slate-600">
          From {proposal.source === "odm" ? "CDISC ODM" : "a REDCap data dictionary"}
          {proposal.fileName ? ` (${proposal.fileName})` : ""}. Map a field to a biomarker the workspace already has when they measure the
          same thing; the field's name becomes an alias, so records files find it.
        </p>
        <ScrollRegion label="Fields and what they become" className="mt-3">
          <table className="w-full min-w-[40rem] text-left text-sm">
            <caption className="sr-only">Each field of the file and what it becomes</caption>
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  Field
                </th>
                <th scope="col" className="py-2 pr-3">
                  In the file
                </th>
                <th scope="col" className="py-2 pr-3">
                  Becomes
                </th>
                <th scope="col" className="py-2">
                  Notes
                </th>
              </tr>
            </thead>
            <tbody>
              {proposal.fields.map((field, i) => (
                <FieldRow key={field.field} index={i} field={field} targets={proposal.targets} />
              ))}
              {leftOut.map((s, i) => (
                <LeftOutRow key={s.field} index={proposal.fields.length + i} skipped={s} targets={proposal.targets} />
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </Card>
      {cannot.length ? <SkippedList skipped={cannot} /> : null}
      <Button name="intent" value="accept" disabled={busy || proposal.fields.length === 0}>
        {accepting ? "Creating…" : "Create panel"}
      </Button>
    </div>
  );
}

function FieldRow({ field, index, targets }: { field: Field; index: number; targets: Target[] }) {
  const range = [field.plausibleMin, field.plausibleMax].some((v) => v !== null)
    ? `${field.plausibleMin ?? "…"} to ${field.plausibleMax ?? "…"}`
    : null;
  return (
    <tr className="border-b border-slate-100 align-top">
      <th scope="row" className="py-2 pr-3 font-medium">
        <span className="font-mono">{field.field}</span>
        <span className="block text-xs font-normal text-slate-600">{field.location}</span>
      </th>
      <td className="py-2 pr-3">
        {field.sourceType}
        {field.sourceUnit ? `, ${field.sourceUnit}` : ""}
        {range && field.becomes === "new" ? <span className="block text-xs text-slate-600">range {range}</span> : null}
        {field.choices.length ? <ChoiceList field={field} /> : null}
      </td>
      <td className="py-2 pr-3">
        <MappingSelect
          index={index}
          field={field.field}
          value={field.mappedTo?.biomarkerId ?? NEW_BIOMARKER}
          newCode={field.code}
          targets={targets}
        />
        {field.mappedTo?.conversion ? <span className="mt-1 block text-xs text-slate-600">{field.mappedTo.conversion}</span> : null}
      </td>
      <td className="py-2 text-xs text-slate-600">{field.notes.join(" ")}</td>
    </tr>
  );
}

/** The field's coded answers, which become the new biomarker's categories; a long list folds away. */
function ChoiceList({ field }: { field: Field }) {
  const items = (
    <ul aria-label={`Categories of ${field.field}`} className="mt-1 space-y-0.5 text-xs text-slate-600">
      {field.choices.map((c) => (
        <li key={c.code}>
          <span className="font-mono">{c.code}</span> = {c.label}
        </li>
      ))}
    </ul>
  );
  if (field.choices.length <= 8) return items;
  return (
    <details className="mt-1 text-xs text-slate-600">
      <summary className="cursor-pointer">{field.choices.length} categories</summary>
      {items}
    </details>
  );
}

function LeftOutRow({ skipped, index, targets }: { skipped: Skipped; index: number; targets: Target[] }) {
  return (
    <tr className="border-b border-slate-100 align-top">
      <th scope="row" className="py-2 pr-3 font-medium">
        <span className="font-mono">{skipped.field}</span>
        <span className="block text-xs font-normal text-slate-600">{skipped.location}</span>
      </th>
      <td className="py-2 pr-3 text-slate-600">—</td>
      <td className="py-2 pr-3">
        <MappingSelect index={index} field={skipped.field} value={LEAVE_OUT} newCode={null} targets={targets} />
      </td>
      <td className="py-2 text-xs text-slate-600">Left out: choose again and review to bring it back.</td>
    </tr>
  );
}

function MappingSelect(props: { index: number; field: string; value: string; newCode: string | null; targets: Target[] }) {
  const { index, field, value, newCode, targets } = props;
  const panels = [...new Set(targets.map((t) => t.panelName))];
  const id = `map-${index}`;
  return (
    <>
      <label htmlFor={id} className="sr-only">
        What {field} becomes
      </label>
      <select
        id={id}
        name={`map.${field}`}
        defaultValue={value}
        className="w-full max-w-xs rounded-md border border-slate-300 px-2 py-1 text-sm"
      >
        <option value={NEW_BIOMARKER}>{newCode ? `New biomarker ${newCode}` : "New biomarker"}</option>
        <option value={LEAVE_OUT}>Leave out</option>
        {panels.map((panel) => (
          <optgroup key={panel} label={`Same as, in ${panel}`}>
            {targets
              .filter((t) => t.panelName === panel)
              .map((t) => (
                <option key={t.biomarkerId} value={t.biomarkerId}>
                  {t.code} · {t.label}
                  {t.unit ? ` (${t.unit})` : ""}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </>
  );
}

function SkippedList({ skipped }: { skipped: Skipped[] }) {
  return (
    <Card>
      <h3 className="text-lg font-semibold">
        {skipped.length} {skipped.length === 1 ? "field is skipped" : "fields are skipped"}
      </h3>
      <ul className="mt-2 space-y-1 text-sm">
        {skipped.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a file may repeat a field name; the list is never reordered
          <li key={i}>
            <span className="font-mono">{s.field}</span> <span className="text-slate-600">({s.location})</span>: {s.reason}
          </li>
        ))}
      </ul>
    </Card>
  );
}
