/**
 * Citing a snapshot: ORCID iDs checked with their checksum, and the APA and
 * BibTeX text "Cite this" offers. Pure code, shared by the settings form,
 * the snapshot page and the RO-Crate's README.
 */

/** An ORCID iD as written on orcid.org: four groups of four, the last character a digit or X. */
const ORCID_PATTERN = /^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/;

/**
 * Whether an ORCID iD is well formed and its check digit right (ISO 7064
 * MOD 11-2, as ORCID documents it). Accepts the bare iD or its https://orcid.org/ URL.
 */
export function normaliseOrcid(value: string): string | null {
  const id = value
    .trim()
    .replace(/^https?:\/\/orcid\.org\//i, "")
    .toUpperCase();
  if (!ORCID_PATTERN.test(id)) return null;
  const digits = id.replace(/-/g, "");
  let total = 0;
  for (const char of digits.slice(0, -1)) total = (total + Number(char)) * 2;
  const result = (12 - (total % 11)) % 11;
  const check = result === 10 ? "X" : String(result);
  return check === digits.at(-1) ? id : null;
}

export interface CitationFields {
  authors: { name: string; orcid: string | null }[];
  title: string;
  version: number;
  year: number;
  publisher: string;
  url: string;
  hash: string;
}

/** "Ada Lovelace" → "Lovelace, A."; a single name stays as it is. */
function apaName(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 2) return name.trim();
  const family = parts.at(-1)!;
  const initials = parts
    .slice(0, -1)
    .map((p) => `${p[0].toUpperCase()}.`)
    .join(" ");
  return `${family}, ${initials}`;
}

function apaAuthors(names: string[]): string {
  const written = names.map(apaName);
  if (written.length === 0) return "";
  if (written.length === 1) return written[0];
  return `${written.slice(0, -1).join(", ")}, & ${written.at(-1)}`;
}

/** APA 7 for a data set: Authors. (Year). Title (Version n) [Data set]. Publisher. URL */
export function apaCitation(c: CitationFields): string {
  const authors = apaAuthors(c.authors.map((a) => a.name));
  const title = c.title.replace(/\.$/, "");
  return `${authors ? `${authors} ` : ""}(${c.year}). ${title} (Version ${c.version}) [Data set]. ${c.publisher}. ${c.url}`;
}

/** BibTeX braces and backslashes would break the entry: they are dropped from user text. */
const bibText = (text: string) => text.replace(/[{}\\]/g, "").replace(/[%&$#_]/g, (m) => `\\${m}`);

export function bibtexCitation(c: CitationFields): string {
  const firstFamily = (c.authors[0]?.name.trim().split(/\s+/).at(-1) ?? "snapshot").replace(/[^A-Za-z0-9]/g, "") || "snapshot";
  const key = `${firstFamily.toLowerCase()}${c.year}_${c.hash.slice(0, 8)}`;
  const fields = [
    ["author", c.authors.map((a) => bibText(a.name)).join(" and ")],
    ["title", `{${bibText(c.title)}}`],
    ["year", String(c.year)],
    ["version", String(c.version)],
    ["publisher", bibText(c.publisher)],
    ["howpublished", `\\url{${c.url}}`],
    ["note", `SHA-256 ${c.hash}`],
  ];
  return `@misc{${key},\n${fields.map(([k, v]) => `  ${k} = {${v}}`).join(",\n")}\n}`;
}
