/**
 * The study's site summaries (one list item per site and version, newest first)
 * and, for contributors, the form that uploads the site-summary.json a
 * partner sent back. What changed in the workspace since a site's kit was
 * made is said beside it, since the site's numbers follow the profiles as
 * they were then.
 */
import { Form, useNavigation } from "@remix-run/react";
import type { FormFailure } from "#app/domain/form-failure.ts";
import { Button } from "#app/components/ui/button.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { Notice } from "#app/components/ui/notice.tsx";

interface SiteSummaryItem {
  id: string;
  site: string;
  version: number;
  uploadedBy: { name: string };
  createdAt: string;
  rows: number;
  profiles: number;
  interactions: number;
  withheld: { where: string; reason: string }[];
  stale: string[];
  sourceSha256: string;
}

export function SiteSummaries({
  summaries,
  canUpload,
  failure,
}: {
  summaries: SiteSummaryItem[];
  canUpload: boolean;
  failure?: FormFailure;
}) {
  const navigation = useNavigation();
  const uploading = navigation.state === "submitting" && navigation.formData?.get("intent") === "upload-site-summary";
  const summaryProblems = Object.entries(failure?.fieldErrors ?? {}).filter(([field]) => field !== "site");
  return (
    <div className="mt-3 space-y-3">
      {summaries.length ? (
        <ul className="space-y-2 text-sm" data-testid="site-summaries">
          {summaries.map((s) => (
            <li key={s.id} className="rounded border border-slate-200 bg-white px-3 py-2">
              <span className="font-medium">
                Site summary “{s.site}” v{s.version}
              </span>{" "}
              <span className="text-slate-600">
                · {s.rows.toLocaleString("en")} rows summarised at the site · {s.profiles} profiles · {s.interactions} interactions ·
                uploaded by {s.uploadedBy.name} on {s.createdAt.slice(0, 10)}
              </span>
              <span className="block text-xs text-slate-500">
                Source file SHA-256 {s.sourceSha256.slice(0, 16)}… (the file itself stayed at the site)
              </span>
              {s.stale.length ? (
                <span className="block text-xs text-amber-800">Since the site's kit was made: {s.stale.join("; ")}.</span>
              ) : null}
              {s.withheld.length ? (
                <details className="text-xs text-slate-600">
                  <summary>{s.withheld.length} small cells withheld at the site</summary>
                  <ul className="mt-1 list-disc pl-5">
                    {s.withheld.map((w) => (
                      <li key={`${w.where}|${w.reason}`}>
                        {w.where}: {w.reason}
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canUpload ? (
        <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-end gap-3" data-testid="site-summary-form">
          <input type="hidden" name="intent" value="upload-site-summary" />
          <div className="w-56">
            <TextField
              label="Site"
              name="site"
              required
              placeholder="e.g. Leiden"
              defaultValue={failure?.values.site}
              error={failure?.fieldErrors.site}
            />
          </div>
          <div className="space-y-1">
            <label htmlFor="site-summary-file" className="block text-sm font-medium text-slate-800">
              site-summary.json
            </label>
            <input id="site-summary-file" type="file" name="file" accept=".json,application/json" required className="text-sm" />
          </div>
          <Button type="submit" disabled={uploading}>
            {uploading ? "Uploading…" : "Upload site summary"}
          </Button>
          {failure?.formError || summaryProblems.length ? (
            <div className="basis-full">
              <Notice tone="error">
                {failure?.formError ?? "The summary was not stored:"}
                {summaryProblems.length ? (
                  <ul className="mt-1 list-disc pl-5">
                    {summaryProblems.map(([field, message]) => (
                      <li key={field}>{message}</li>
                    ))}
                  </ul>
                ) : null}
              </Notice>
            </div>
          ) : null}
        </Form>
      ) : null}
    </div>
  );
}
