/**
 * User text in files that another person opens or runs: R scripts, iCalendar
 * files, plain-text notes. Each format has exactly one function that writes
 * user text into it; nothing else puts user text in such a file. (CSV has its
 * own: toSafeCsv in spreadsheet-safety.ts.)
 *
 * A name like `infliximab\nsystem("…")\n#` must stay one name: inside an R
 * string literal it is escaped, in a comment its line breaks become spaces, so
 * it can never start a statement of its own.
 */

/** Every character a reader, editor or parser may take as the end of a line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const LINE_BREAKS = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g;
/** Other control characters (C0, DEL, C1) and the bidirectional overrides that make text display out of order. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text on one line: line breaks become spaces, control and direction-override characters go. */
export function singleLine(text: string): string {
  return text.replace(LINE_BREAKS, " ").replace(INVISIBLE, "");
}

/**
 * An R string literal holding `text` exactly. Only printable ASCII is written
 * as itself; quotes and backslashes are escaped, and every other character is
 * written as `\u{…}` / `\U{…}`, so the script is plain ASCII whatever the
 * reader's locale. R strings cannot hold NUL, which becomes U+FFFD.
 */
export function rString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) out += char;
    else if (code === 0) out += "\\u{fffd}";
    else if (code <= 0xffff) out += `\\u{${code.toString(16)}}`;
    else out += `\\U{${code.toString(16)}}`;
  }
  return `${out}"`;
}

/** Text for an R comment (after `# `): one line, so it cannot end the comment. */
export const rComment = singleLine;

/** A number for an R script at full precision, so R recomputes the same values; NA for none. */
export const rNumber = (x: number | null | undefined) => (typeof x === "number" && Number.isFinite(x) ? String(x) : "NA");

/**
 * Where a generated script's data comes from: the script's own address with
 * its last part replaced by the data file's, and the same query less the
 * parameters only the script uses. `ownName` matches the script's last part.
 */
export function besideScript(scriptUrl: URL, ownName: RegExp, dataPath: string, scriptOnly: readonly string[] = []): URL {
  const data = new URL(scriptUrl.pathname.replace(ownName, dataPath), scriptUrl);
  for (const [k, v] of scriptUrl.searchParams) if (!scriptOnly.includes(k)) data.searchParams.append(k, v);
  return data;
}

/** The comment lines telling a script's reader which file to save beside it, from where. */
export function rFetchBeside(what: string, fileName: string, url: URL): string[] {
  return [
    `# ${what}: save this file beside the script as ${fileName}`,
    `#   ${url.toString()}`,
    "# (send your access token: Authorization: Bearer <token>).",
  ];
}

/** RFC 5545 TEXT: backslash, semicolon and comma escaped, every line break as `\n`, control characters dropped. */
export function icsText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(LINE_BREAKS, "\\n").replace(INVISIBLE, "");
}

/** A line of a plain-text note (a README in an export): one line, nothing invisible. */
export const plainTextLine = singleLine;
