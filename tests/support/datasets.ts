/** Helpers for dataset tests: a study with the default panel, and uploads as a script would send them. */
import type { ApiClient, ApiResponse } from "./api.ts";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A panel started from the default (hs_crp mg/L, glucose mmol/L, …) and a study using it. */
export async function studyWithDefaultPanel(api: ApiClient, workspaceId: string, title = "Infliximab trial") {
  const panel = await api.post(`/api/v1/workspaces/${workspaceId}/panels`, { name: "Core panel", fromDefault: true });
  if (panel.status !== 201) throw new Error(`panel: ${panel.status} ${JSON.stringify(panel.body)}`);
  const study = await api.post(`/api/v1/workspaces/${workspaceId}/studies`, {
    title,
    panelId: panel.body.id,
    arms: [
      { name: "infliximab", class: "anti-inflammatory" },
      { name: "placebo", class: "placebo" },
    ],
  });
  if (study.status !== 201) throw new Error(`study: ${study.status} ${JSON.stringify(study.body)}`);
  return { panelId: panel.body.id as string, studyId: study.body.id as string };
}

export interface UploadOptions {
  name?: string;
  kind?: string;
  mapping?: Record<string, unknown>;
  /** The mapping as sent, verbatim (to send one that is not JSON). */
  mappingText?: string;
  fileName?: string;
  type?: string;
  dryRun?: boolean;
  /** Send the raw body instead of a multipart form. */
  raw?: boolean;
  /** Names the upload in the progress sent to the uploader's live connection. */
  uploadId?: string;
  /** More form fields (format, repeats). */
  fields?: Record<string, string>;
  /** A REDCap data dictionary sent as the multipart field `dictionary`. */
  dictionary?: string | Uint8Array;
}

/** Uploads a file as multipart field `file` (or raw), the way R's httr or Python's requests would. */
export async function uploadDataset(
  api: ApiClient,
  workspaceId: string,
  studyId: string,
  content: string | Uint8Array,
  options: UploadOptions = {},
): Promise<ApiResponse> {
  const type = options.type ?? "text/csv";
  const query = new URLSearchParams();
  if (options.dryRun) query.set("dryRun", "1");
  const path = `/api/v1/workspaces/${workspaceId}/studies/${studyId}/datasets`;
  const headers: Record<string, string> = api.token ? { authorization: `Bearer ${api.token}` } : {};
  let body: BodyInit;
  if (options.raw) {
    if (options.name) query.set("name", options.name);
    if (options.kind) query.set("kind", options.kind);
    if (options.mapping || options.mappingText) query.set("mapping", options.mappingText ?? JSON.stringify(options.mapping));
    if (options.fileName) query.set("fileName", options.fileName);
    if (options.uploadId) query.set("uploadId", options.uploadId);
    headers["content-type"] = type;
    body = typeof content === "string" ? content : Buffer.from(content);
  } else {
    const form = new FormData();
    if (options.name) form.set("name", options.name);
    if (options.kind) form.set("kind", options.kind);
    if (options.mapping || options.mappingText) form.set("mapping", options.mappingText ?? JSON.stringify(options.mapping));
    if (options.uploadId) form.set("uploadId", options.uploadId);
    for (const [name, value] of Object.entries(options.fields ?? {})) form.set(name, value);
    if (options.dictionary !== undefined) {
      const dictionary = typeof options.dictionary === "string" ? options.dictionary : Buffer.from(options.dictionary);
      form.set("dictionary", new Blob([dictionary], { type: "text/csv" }), "dictionary.csv");
    }
    form.set("file", new Blob([typeof content === "string" ? content : Buffer.from(content)], { type }), options.fileName ?? "data.csv");
    body = form;
  }
  const response = await fetch(`${api.baseUrl}${path}${query.size ? `?${query}` : ""}`, { method: "POST", headers, body });
  const text = await response.text();
  let parsed: any = text;
  if ((response.headers.get("content-type") ?? "").includes("json") && text) parsed = JSON.parse(text);
  return { status: response.status, body: parsed, headers: response.headers };
}
