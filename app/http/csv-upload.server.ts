/**
 * Reads an uploaded CSV file from a request: the raw body (Content-Type
 * text/csv) or the `file` field of a multipart form, as browsers send it.
 * Refuses other types (415), files over the limit (413) and text that is not
 * UTF-8 (400) before anything else looks at the content.
 */
import { Readable } from "node:stream";
import busboy from "busboy";
import { setUserKey, userKeyedRecord } from "#app/domain/object-keys.ts";
import { ServiceError, validationFailed } from "#app/services/errors.server.ts";

export interface CsvUpload {
  text: string;
  filename: string | null;
  /** The other fields of a multipart form (empty for a raw body). */
  fields: Record<string, string>;
}

/** Which files an upload takes: by Content-Type or, in a form, by the file's name. */
export interface UploadKinds {
  types: RegExp;
  extensions: RegExp;
  /** What to say when the raw body has another type, or a form's file has another name. */
  wrongType: (got: string) => string;
  wrongFile: (fileName: string) => string;
}

// Browsers label .csv files variously (Windows: application/vnd.ms-excel).
const CSV_TYPES = /^(text\/csv|application\/csv|text\/plain|application\/vnd\.ms-excel)\b/i;

const CSV_ONLY: UploadKinds = {
  types: CSV_TYPES,
  extensions: /\.(csv|txt)$/i,
  wrongType: (got) => `Send the file as text/csv, or as the field “file” of a multipart form (got ${got || "no Content-Type"}).`,
  wrongFile: (fileName) => `“${fileName}” is not a CSV file: save the data dictionary as CSV (UTF-8) and upload that.`,
};

/** A REDCap data dictionary (CSV) or a CDISC ODM file (XML). */
export const CSV_OR_XML: UploadKinds = {
  types: /^(text\/csv|application\/csv|text\/plain|application\/vnd\.ms-excel|application\/xml|text\/xml|application\/odm\+xml)\b/i,
  extensions: /\.(csv|txt|xml|odm)$/i,
  wrongType: (got) =>
    `Send a REDCap data dictionary as text/csv or a CDISC ODM file as application/xml, or either as the field “file” of a multipart form (got ${got || "no Content-Type"}).`,
  wrongFile: (fileName) => `“${fileName}” is neither a REDCap data dictionary (CSV) nor a CDISC ODM file (XML).`,
};

export async function readCsvUpload(request: Request, maxBytes: number, kinds: UploadKinds = CSV_ONLY): Promise<CsvUpload> {
  const type = request.headers.get("content-type") ?? "";
  const declared = Number(request.headers.get("content-length") ?? "0");
  // A body far beyond the limit is refused unread; one a little over is read and dropped, so its 413 arrives.
  if (declared > 4 * maxBytes) throw tooLarge(maxBytes);

  if (/^multipart\/form-data\b/i.test(type)) return readMultipart(request, type, maxBytes, kinds);
  if (!kinds.types.test(type)) throw notCsv(kinds.wrongType(type));
  return { text: decode(await readLimited(request, maxBytes)), filename: null, fields: {} };
}

/**
 * The raw body, keeping no more than the limit (a chunked upload declares no
 * length). Past the limit the rest is read and dropped, so the client still
 * gets its 413 rather than a closed connection; a body far past it is cut off.
 */
async function readLimited(request: Request, maxBytes: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size <= maxBytes) chunks.push(Buffer.from(value));
    else if (size > 4 * maxBytes) {
      await reader.cancel();
      break;
    }
  }
  if (size > maxBytes) throw tooLarge(maxBytes);
  return Buffer.concat(chunks);
}

async function readMultipart(request: Request, type: string, maxBytes: number, kinds: UploadKinds): Promise<CsvUpload> {
  if (!request.body) throw validationFailed("The form is empty: choose a CSV file.", [{ field: "file", message: "Choose a CSV file." }]);
  const parser = busboy({ headers: { "content-type": type }, limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 10_000 } });
  const fields = userKeyedRecord<string>();
  let file: { chunks: Buffer[]; filename: string; mimeType: string; truncated: boolean } | null = null;

  await new Promise<void>((resolve, reject) => {
    parser.on("field", (name, value) => setUserKey(fields, name, value));
    parser.on("file", (name, stream, info) => {
      if (name !== "file") return void stream.resume();
      const current = { chunks: [] as Buffer[], filename: info.filename ?? "", mimeType: info.mimeType ?? "", truncated: false };
      file = current;
      stream.on("data", (chunk: Buffer) => current.chunks.push(chunk));
      stream.on("limit", () => (current.truncated = true));
    });
    parser.on("close", resolve);
    parser.on("error", (error) => reject(validationFailed(`The form could not be read: ${(error as Error).message}`)));
    Readable.fromWeb(request.body as import("node:stream/web").ReadableStream).pipe(parser);
  });

  const uploaded = file as { chunks: Buffer[]; filename: string; mimeType: string; truncated: boolean } | null;
  if (!uploaded || (uploaded.filename === "" && uploaded.chunks.length === 0)) {
    throw validationFailed("Choose a CSV file to import.", [{ field: "file", message: "Choose a CSV file to import." }]);
  }
  if (uploaded.truncated) throw tooLarge(maxBytes);
  const byName = kinds.extensions.test(uploaded.filename);
  if (!byName && !kinds.types.test(uploaded.mimeType)) throw notCsv(kinds.wrongFile(uploaded.filename));
  return { text: decode(Buffer.concat(uploaded.chunks)), filename: uploaded.filename || null, fields };
}

function decode(bytes: Buffer): string {
  // XLSX is a zip archive; a NUL byte means some other binary file.
  if (bytes.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "latin1")) || bytes.includes(0)) {
    throw notCsv("This is a binary file (a spreadsheet workbook?), not CSV: save it as CSV (UTF-8) and upload that.");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw validationFailed("The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.", [
      { field: "file", message: "The file is not UTF-8 text." },
    ]);
  }
}

const tooLarge = (maxBytes: number) =>
  new ServiceError(413, "too_large", `The file is larger than ${Math.round(maxBytes / 1024)} KiB, the most a data dictionary may be.`);
const notCsv = (message: string) => new ServiceError(415, "unsupported_media_type", message);
