/** The panels page's pieces: the list of panels and the ways to start one. */
import { Form, Link, useNavigation } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Card, EmptyState, Notice } from "#app/components/ui/notice.tsx";

export interface PanelSummary {
  id: string;
  name: string;
  description: string;
  version: number;
  biomarkerCount: number;
  updatedAt: string;
}

const NEW_PANEL_NAME_ID = "new-panel-name";

type Failure = { ok: false; formError: string | null; fieldErrors: Record<string, string>; values: Record<string, string> } | undefined;

export function PanelList({ workspaceId, panels }: { workspaceId: string; panels: PanelSummary[] }) {
  return (
    <ul className="space-y-3">
      {panels.map((p) => (
        <li key={p.id}>
          <Link
            to={`/workspaces/${workspaceId}/panels/${p.id}`}
            className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500"
          >
            <span className="flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-medium">{p.name}</span>
              <span className="text-xs text-slate-500">
                {p.biomarkerCount} biomarker{p.biomarkerCount === 1 ? "" : "s"} · version {p.version} · updated {p.updatedAt.slice(0, 10)}
              </span>
            </span>
            {p.description ? <span className="mt-1 block text-sm text-slate-600">{p.description}</span> : null}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** The empty state: what a panel is, and (for contributors) the two ways to start one. */
export function NoPanelsYet({ canEdit, defaultName }: { canEdit: boolean; defaultName: string }) {
  const busy = useNavigation().state === "submitting";
  return (
    <EmptyState
      title="No biomarker panels yet"
      action={
        canEdit ? (
          <div className="flex flex-wrap items-center justify-center gap-3">
            <Form method="post">
              <input type="hidden" name="intent" value="create" />
              <input type="hidden" name="fromDefault" value="true" />
              <input type="hidden" name="name" value={defaultName} />
              <Button disabled={busy}>Start from the default immuno-metabolic panel</Button>
            </Form>
            <a
              href={`#${NEW_PANEL_NAME_ID}`}
              onClick={() => document.getElementById(NEW_PANEL_NAME_ID)?.focus()}
              className="inline-flex rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50"
            >
              Create a blank panel
            </a>
          </div>
        ) : null
      }
    >
      A panel is the shared data dictionary: which markers are measured (hs-CRP, IL-6, leptin, HOMA-IR…), in which UCUM unit, with which
      plausible ranges and cut-offs. The default panel holds eleven inflammatory and metabolic markers with their LOINC codes; you can edit
      it freely. {canEdit ? "Or name a blank panel and build it up yourself." : "Contributors and leads can create one."}
    </EmptyState>
  );
}

export function NewPanelCard({ failure, defaultName }: { failure: Failure; defaultName: string }) {
  const busy = useNavigation().state === "submitting";
  return (
    <Card className="h-fit">
      <h2 className="text-lg font-semibold">New panel</h2>
      <Form method="post" className="mt-4 space-y-4" noValidate>
        <input type="hidden" name="intent" value="create" />
        {failure?.formError ? <Notice tone="error">{failure.formError}</Notice> : null}
        <TextField
          id={NEW_PANEL_NAME_ID}
          label="Name"
          name="name"
          required
          maxLength={120}
          defaultValue={failure?.values.name}
          error={failure?.fieldErrors.name}
        />
        <TextAreaField
          label="Description"
          name="description"
          rows={2}
          defaultValue={failure?.values.description}
          error={failure?.fieldErrors.description}
        />
        <label className="flex items-start gap-2 text-sm text-slate-700">
          <input type="checkbox" name="fromDefault" value="true" className="mt-1" defaultChecked={failure?.values.fromDefault === "true"} />
          <span>Start with the biomarkers of the default panel (“{defaultName}”)</span>
        </label>
        <Button disabled={busy}>{busy ? "Creating…" : "Create panel"}</Button>
      </Form>
    </Card>
  );
}
