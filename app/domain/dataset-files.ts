/**
 * What a dataset file must be before its rows are read: the limits, the
 * encoding (UTF-8, with or without a BOM) and the delimiter (a comma).
 * Pure functions over bytes and text; the service streams and calls these.
 *
 * Decision (docs/decisions/008-dataset-files.md): one unambiguous CSV dialect.
 * Comma-separated, dot as decimal mark. A semicolon- or tab-separated file is
 * refused with a message saying so, rather than guessed: guessing the
 * delimiter and the decimal mark together silently turns "1,500" into 1.5.
 */

export const DATASET_LIMITS = {
  /** Larger uploads are refused with 413 while they stream in. */
  maxFileBytes: 10 * 1024 * 1024,
  maxColumns: 500,
  /** One record (a line, or several lines when a quoted cell holds newlines). */
  maxRecordChars: 1024 * 1024,
  /** XLSX: the unzipped parts together; a zip bomb is refused before it is inflated further. */
  maxUnzippedBytes: 200 * 1024 * 1024,
  maxZipEntries: 2000,
  maxCellChars: 32 * 1024,
} as const;

export const CSV_TYPES = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"];
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/** CDISC ODM clinical data (docs/decisions/030-records-and-visits.md). */
export const XML_TYPES = ["application/xml", "text/xml", "application/vnd.cdisc.odm+xml"];

/** A refusal that points at a place in the file. Turned into a 400 (or `status`) by the service. */
export class DatasetFileError extends Error {
  constructor(
    message: string,
    readonly where: { row?: number; column?: string; byteOffset?: number } = {},
    readonly status: 400 | 413 | 415 | 422 = 400,
  ) {
    super(message);
    this.name = "DatasetFileError";
  }
}

export type FileFormat = "csv" | "xlsx" | "xml";

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function looksLikeZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Which reader a file needs, from its content first (a zip is a workbook),
 * then from what the client said it was. Anything else is refused with 415.
 */
export function detectFormat(bytes: Uint8Array, declaredType: string, fileName: string): FileFormat {
  const type = declaredType.split(";")[0].trim().toLowerCase();
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? "";
  if (type === XLSX_TYPE || extension === "xlsx") return "xlsx";
  if (looksLikeZip(bytes)) return "xlsx";
  if (XML_TYPES.includes(type) || extension === "xml") return "xml";
  if (CSV_TYPES.includes(type) || extension === "csv" || ((type === "" || type === "application/octet-stream") && extension === "")) {
    return "csv";
  }
  throw new DatasetFileError(
    `This file type (${type || extension || "unknown"}) cannot be imported: upload a CSV (text/csv), an XLSX workbook or a CDISC ODM XML file.`,
    {},
    415,
  );
}

/** 1-based line number of a byte offset (counting \n before it). */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Checks that a CSV file is UTF-8 text and returns it decoded, without a BOM.
 * Names the byte offset and the line of the first byte that is not UTF-8, and
 * recognises UTF-16 (what some spreadsheet programs save as "Unicode text").
 */
export function decodeCsvText(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new DatasetFileError("The file is empty.");
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DatasetFileError("The file is UTF-16 encoded (“Unicode text”); save it as “CSV UTF-8” and upload it again.");
  }
  // The built-in decoder checks validity fast; the byte-by-byte scan only runs to say where a bad file goes wrong.
  let text: string | null = null;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = null;
  }
  const invalid = text === null ? firstInvalidUtf8(bytes) : -1;
  if (invalid !== -1) {
    const line = lineAt(bytes, invalid);
    throw new DatasetFileError(
      `The file is not valid UTF-8: byte ${invalid} (0x${bytes[invalid].toString(16).padStart(2, "0")}) on line ${line} is not UTF-8. ` +
        "Save the file as “CSV UTF-8” (it may be in Latin-1 or Windows-1252).",
      { row: line, byteOffset: invalid },
    );
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new DatasetFileError(`The file contains a NUL byte at byte ${nul} (line ${lineAt(bytes, nul)}): it is not a text file.`, {
      row: lineAt(bytes, nul),
      byteOffset: nul,
    });
  }
  text ??= new TextDecoder("utf-8").decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") throw new DatasetFileError("The file is empty.");
  return text;
}

/** Offset of the first byte that breaks UTF-8 (overlongs and surrogates included), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) (need = 1), (min = 0x80);
    else if (b >= 0xe0 && b <= 0xef) (need = 2), (min = 0x800);
    else if (b >= 0xf0 && b <= 0xf4) (need = 3), (min = 0x10000);
    else return i;
    if (i + need >= n) return i;
    let code = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Looks at the header line (outside quotes) and refuses a file that is
 * clearly separated by something other than commas, naming what it saw.
 */
export function checkDelimiter(text: string): void {
  const header = firstRecordLine(text);
  const counts = { ",": 0, ";": 0, "\t": 0, "|": 0 };
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char in counts) counts[char as keyof typeof counts]++;
  }
  const names: Record<string, string> = { ";": "semicolon", "\t": "tab", "|": "pipe (|)" };
  for (const delimiter of [";", "\t", "|"] as const) {
    if (counts[delimiter] > 0 && counts[delimiter] >= counts[","]) {
      throw new DatasetFileError(
        `This file looks ${names[delimiter]}-separated (the header row has ${counts[delimiter]} ${names[delimiter]}s and ` +
          `${counts[","]} commas). Save it as comma-separated CSV (“CSV UTF-8”), with a dot as the decimal mark, and upload it again.`,
        { row: 1 },
      );
    }
  }
}

function firstRecordLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}
