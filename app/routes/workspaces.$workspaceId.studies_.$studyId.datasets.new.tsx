import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import {
  choiceFromProposal,
  mappingFromChoices,
  MappingTable,
  type ColumnChoice,
  type ProposedColumn,
} from "#app/components/datasets/mapping-table.tsx";
import { UploadProgress } from "#app/components/datasets/progress-bar.tsx";
import { type RecordsProposal, RecordsOptions, type RepeatChoice } from "#app/components/datasets/records-options.tsx";
import { errorMessage, sendDataset } from "#app/components/datasets/upload-request.ts";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField, TextField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { useImportProgress } from "#app/realtime/use-import-progress.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getPanel } from "#app/services/panels.server.ts";
import { getStudy } from "#app/services/studies.server.ts";
import { getWorkspace } from "#app/services/workspaces.server.ts";
import { either, family, revalidateOnLiveEvents, targets } from "#app/realtime/live-revalidation.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Upload a dataset · ${data.study.title}` : "Upload a dataset" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => {
    const workspace = await getWorkspace(user, params.workspaceId!);
    const study = await getStudy(user, workspace.id, params.studyId!);
    const panel = study.panelId ? await getPanel(user, workspace.id, study.panelId) : null;
    return {
      workspaceId: workspace.id,
      canUpload: workspace.role !== "observer",
      study: { id: study.id, title: study.title },
      panel: panel ? { name: panel.name, biomarkers: panel.biomarkers.map((b) => ({ code: b.code, label: b.label, unit: b.unit })) } : null,
    };
  });
}

/** The upload form maps columns to the study's panel. */
export const shouldRevalidate = revalidateOnLiveEvents(either(targets("studyId"), family("panel.")));

type Step =
  | { name: "choose" }
  | { name: "sending"; purpose: "check" | "import"; phase: "uploading" | "importing"; fraction: number | null }
  | { name: "review"; columns: ProposedColumn[]; rowCount: number; problem: string | null; records: RecordsProposal | null };

export default function NewDataset() {
  const { workspaceId, canUpload, study, panel } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const [dictionary, setDictionary] = useState<File | null>(null);
  const [visits, setVisits] = useState<Record<string, string>>({});
  const [repeats, setRepeats] = useState<RepeatChoice>("rows");
  const [name, setName] = useState(search.get("name") ?? "");
  const [kind, setKind] = useState(search.get("kind") ?? "participant");
  const [step, setStep] = useState<Step>({ name: "choose" });
  const [choices, setChoices] = useState<ColumnChoice[]>([]);
  const [error, setError] = useState<string | null>(null);
  // A fresh id per request: the server's progress messages carry it.
  const [uploadId, setUploadId] = useState<string | null>(null);
  const importing = useImportProgress(uploadId);
  const uploadUrl = `/api/v1/workspaces/${workspaceId}/studies/${study.id}/datasets`;
  const columns = step.name === "review" ? step.columns : null;

  async function send(purpose: "check" | "import", reduce: RepeatChoice = repeats) {
    if (!file) return setError("Choose a CSV, XLSX or ODM XML file first.");
    setError(null);
    const form = new FormData();
    if (name.trim()) form.set("name", name.trim());
    form.set("kind", kind);
    form.set("repeats", reduce);
    if (dictionary) form.set("dictionary", dictionary);
    // A different reduction changes the columns: the earlier matching would name columns that are gone.
    if (columns && reduce === repeats)
      form.set(
        "mapping",
        JSON.stringify(
          mappingFromChoices(
            columns.map((c) => c.name),
            choices,
            visits,
          ),
        ),
      );
    setRepeats(reduce);
    // getRandomValues, not randomUUID: the latter exists only on HTTPS or localhost.
    const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    form.set("uploadId", id);
    setUploadId(id);
    form.set("file", file);
    const previous = step;
    setStep({ name: "sending", purpose, phase: "uploading", fraction: 0 });
    try {
      const answer = await sendDataset(`${uploadUrl}${purpose === "check" ? "?dryRun=1" : ""}`, form, (phase, fraction) =>
        setStep({ name: "sending", purpose, phase, fraction }),
      );
      if (purpose === "import" && answer.status === 201) return navigate(`/workspaces/${workspaceId}/datasets/${answer.body.id}`);
      if (purpose === "check" && answer.status === 200) {
        setChoices(answer.body.columns.map(choiceFromProposal));
        const records: RecordsProposal | null = answer.body.records ?? null;
        setVisits(Object.fromEntries((records?.events ?? []).map((e) => [e.event, e.visit])));
        return setStep({
          name: "review",
          columns: answer.body.columns,
          rowCount: answer.body.rowCount,
          problem: answer.body.problem?.message ?? null,
          records,
        });
      }
      setError(errorMessage(answer));
      setStep(previous.name === "sending" ? { name: "choose" } : previous);
    } catch (failure) {
      setError((failure as Error).message);
      setStep(previous.name === "sending" ? { name: "choose" } : previous);
    }
  }

  return (
    <section aria-labelledby="upload-heading" className="space-y-4">
      <p className="text-sm text-slate-500">
        <Link to={`/workspaces/${workspaceId}/studies`} className="hover:underline">
          Studies
        </Link>{" "}
        · {study.title}
      </p>
      <h2 id="upload-heading" className="text-xl font-semibold">
        Upload a dataset
      </h2>
      {!canUpload ? (
        <Notice>Only contributors and leads can upload datasets; as an observer you can read them.</Notice>
      ) : (
        <>
          <Card className="space-y-4">
            <p className="text-sm text-slate-600">
              CSV (UTF-8, comma-separated, dot as decimal mark) or XLSX, up to 10 MB; or a REDCap records export (with its data dictionary,
              or read with the study's panel) or CDISC ODM clinical data (XML). Columns are matched to{" "}
              {panel ? `the study's panel “${panel.name}”` : "nothing yet: this study has no biomarker panel"}; values in another unit are
              converted to the panel's unit. A file with a problem is refused as a whole, with the row and column named.
            </p>
            <div className="grid gap-4 sm:grid-cols-3">
              <div className="space-y-1">
                <label htmlFor="dataset-file" className="block text-sm font-medium text-slate-800">
                  File (CSV or XLSX)
                </label>
                <input
                  id="dataset-file"
                  name="file"
                  type="file"
                  accept=".csv,.xlsx,.xml,text/csv,application/xml,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  className="block w-full text-sm"
                  onChange={(e) => {
                    const chosen = e.target.files?.[0] ?? null;
                    setFile(chosen);
                    setStep({ name: "choose" });
                    if (chosen && !name) setName(chosen.name.replace(/\.(csv|xlsx|xml)$/i, ""));
                  }}
                />
                <p className="text-xs text-slate-500">A REDCap records export is a CSV; CDISC ODM clinical data, an XML file.</p>
                <label htmlFor="dataset-dictionary" className="block pt-2 text-sm font-medium text-slate-800">
                  REDCap data dictionary (optional)
                </label>
                <input
                  id="dataset-dictionary"
                  name="dictionary"
                  type="file"
                  accept=".csv,text/csv"
                  className="block w-full text-sm"
                  aria-describedby="dataset-dictionary-hint"
                  onChange={(e) => {
                    setDictionary(e.target.files?.[0] ?? null);
                    setStep({ name: "choose" });
                  }}
                />
                <p id="dataset-dictionary-hint" className="text-xs text-slate-500">
                  For a records export: gives field types, units and coded answers.
                </p>
              </div>
              <TextField
                label="Dataset name"
                name="name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                hint="The same name again adds a version."
              />
              <SelectField
                label="Kind"
                name="kind"
                value={kind}
                onChange={(e) => setKind(e.target.value)}
                options={[
                  { value: "participant", label: "Participant-level (one row per participant)" },
                  { value: "summary", label: "Summary-level (one row per arm or subgroup)" },
                ]}
              />
            </div>
            {error ? <Notice tone="error">{error}</Notice> : null}
            {step.name === "sending" ? (
              <UploadProgress phase={step.phase} fraction={step.fraction} importing={importing} />
            ) : (
              <div className="flex gap-2">
                <Button type="button" variant={columns ? "secondary" : "primary"} onClick={() => void send("check")} disabled={!file}>
                  {columns ? "Check again" : "Check columns"}
                </Button>
              </div>
            )}
          </Card>
          {columns && step.name === "review" ? (
            <Card className="space-y-4">
              {step.records ? (
                <>
                  <h3 className="text-base font-semibold">Records</h3>
                  <RecordsOptions
                    records={step.records}
                    visits={visits}
                    onVisit={(event, label) => setVisits((all) => ({ ...all, [event]: label }))}
                    onRepeats={(choice) => void send("check", choice)}
                  />
                </>
              ) : null}
              <h3 className="text-base font-semibold">Column matching</h3>
              <p className="text-sm text-slate-600">
                {step.rowCount} rows read. Change a column's role, biomarker or unit if the guess is wrong, then import.
              </p>
              <MappingTable
                columns={columns}
                choices={choices}
                biomarkers={panel?.biomarkers ?? []}
                onChange={(i, choice) => setChoices((all) => all.map((c, k) => (k === i ? choice : c)))}
              />
              {step.problem ? <Notice tone="error">{step.problem}</Notice> : null}
              <Button type="button" onClick={() => void send("import")}>
                Import dataset
              </Button>
            </Card>
          ) : null}
        </>
      )}
    </section>
  );
}
