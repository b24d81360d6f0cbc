/**
 * The metadata of a CDISC ODM 1.3 file (what EDC systems, REDCap among them,
 * export) → a panel proposal of the same shape as a REDCap dictionary's:
 * each ItemDef with a numeric DataType becomes a biomarker, its
 * MeasurementUnitRef the unit (checked with UCUM) and its RangeChecks the
 * plausible range; an ItemDef with a CodeListRef becomes a category with the
 * code list's decodes. Other items are skipped with a reason.
 *
 * A document type declaration is refused before the XML is parsed: ODM needs
 * none, and entity declarations are how XML reads local files (XXE) or
 * expands a few bytes into gigabytes ("billion laughs"). Pure (no I/O).
 */
import { XMLParser } from "fast-xml-parser";
import {
  type Choice,
  cleanLabel,
  codeOfField,
  importedDefinition,
  type ProposalParse,
  type ProposedField,
  type SkippedField,
  skipDuplicateCodes,
  unitFromText,
  unitOfField,
} from "./panel-proposal.ts";

type Node = Record<string, unknown>;

const LISTS = new Set([
  "Study",
  "MetaDataVersion",
  "ItemDef",
  "CodeList",
  "CodeListItem",
  "EnumeratedItem",
  "MeasurementUnit",
  "MeasurementUnitRef",
  "RangeCheck",
  "CheckValue",
  "TranslatedText",
  "Alias",
  "ClinicalData",
  "SubjectData",
  "StudyEventData",
  "FormData",
  "ItemGroupData",
  "ItemData",
]);

export function looksLikeXml(text: string): boolean {
  return /^\uFEFF?\s*</.test(text);
}

/** Why an XML text is refused before parsing, or null. */
export function unsafeXml(text: string): string | null {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    return "The XML file declares a document type or entities, which ODM files do not need and which are refused for safety (XXE, entity expansion); export the file again without a DOCTYPE.";
  }
  return null;
}

/** The ODM document as plain objects (attributes as "@Name"), or why it cannot be read. */
export function readOdm(text: string): { ok: true; odm: Node } | { ok: false; message: string } {
  const unsafe = unsafeXml(text);
  if (unsafe) return { ok: false, message: unsafe };
  let document: Node;
  try {
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@",
      removeNSPrefix: true,
      processEntities: false,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      isArray: (name) => LISTS.has(name),
    });
    document = parser.parse(text.replace(/^\uFEFF/, ""), true) as Node;
  } catch (error) {
    return { ok: false, message: `The file is not well-formed XML: ${(error as Error).message}` };
  }
  const odm = document.ODM as Node | undefined;
  if (!odm || typeof odm !== "object") return { ok: false, message: "This XML file is not CDISC ODM: its root element is not <ODM>." };
  return { ok: true, odm };
}

export const list = (value: unknown): Node[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]) as Node[];
const attr = (node: Node | undefined, name: string) => String(node?.[`@${name}`] ?? "").trim();
/** The first TranslatedText of a Question, Decode or Symbol (English first when several are given). */
function translated(node: unknown): string {
  const texts = list((node as Node | undefined)?.TranslatedText);
  const english = texts.find((t) => /^en/i.test(attr(t, "lang"))) ?? texts[0];
  if (english === undefined) return "";
  return String(typeof english === "object" ? (english["#text"] ?? "") : english).trim();
}

const NUMERIC_TYPES: Record<string, "numeric" | "integer"> = {
  integer: "integer",
  float: "numeric",
  double: "numeric",
  decimal: "numeric",
};

export function parseOdmMetadata(text: string): ProposalParse {
  const read = readOdm(text);
  if (!read.ok) return { ok: false, problems: [{ row: null, column: "", message: read.message }] };
  const study = list(read.odm.Study)[0];
  const metadata = list(study?.MetaDataVersion)[0];
  if (!metadata) {
    return {
      ok: false,
      problems: [{ row: null, column: "", message: "The ODM file has no Study/MetaDataVersion: export it with its metadata." }],
    };
  }
  const units = new Map<string, string>();
  for (const unit of list((study.BasicDefinitions as Node | undefined)?.MeasurementUnit)) {
    units.set(attr(unit, "OID"), translated(unit.Symbol) || attr(unit, "Name"));
  }
  const codeLists = new Map<string, Choice[]>();
  for (const codeList of list(metadata.CodeList)) {
    const items = list(codeList.CodeListItem).map((item) => ({
      code: attr(item, "CodedValue"),
      label: translated(item.Decode) || attr(item, "CodedValue"),
    }));
    const enumerated = list(codeList.EnumeratedItem).map((item) => ({ code: attr(item, "CodedValue"), label: attr(item, "CodedValue") }));
    codeLists.set(attr(codeList, "OID"), [...items, ...enumerated]);
  }

  const fields: ProposedField[] = [];
  const skipped: SkippedField[] = [];
  for (const item of list(metadata.ItemDef)) {
    const oid = attr(item, "OID");
    const name = attr(item, "Name") || oid;
    const location = `ItemDef ${oid || "(no OID)"}`;
    const dataType = attr(item, "DataType").toLowerCase();
    const skip = (reason: string) => skipped.push({ field: name || "(no name)", location, reason });
    if (!name) {
      skip("the ItemDef has no OID or Name");
      continue;
    }
    const codeListOid = attr(list(item.CodeListRef)[0], "CodeListOID");
    const choices = codeListOid ? codeLists.get(codeListOid) : undefined;
    if (codeListOid && !choices) {
      skip(`its code list ${codeListOid} is not in the file`);
      continue;
    }
    const valueType = choices ? "category" : NUMERIC_TYPES[dataType];
    if (!valueType) {
      skip(dataType ? `its DataType ${dataType} is not a number` : "it has no DataType");
      continue;
    }
    const code = codeOfField(name);
    if (!code) {
      skip("its name cannot be a biomarker code (letters, digits and _, at most 40)");
      continue;
    }
    const notes: string[] = [];
    const question = translated(item.Question) || name;
    let unit: string | null = null;
    let label = question;
    const unitOid = attr(list(item.MeasurementUnitRef)[0], "MeasurementUnitOID");
    if (!choices && unitOid) {
      const symbol = units.get(unitOid);
      unit = symbol ? unitFromText(symbol) : null;
      if (unit) notes.push(`Unit ${unit}, from MeasurementUnit ${unitOid}.`);
      else
        notes.push(symbol ? `The unit “${symbol}” is not a UCUM unit and was left out.` : `MeasurementUnit ${unitOid} is not in the file.`);
    } else if (!choices) {
      const fromLabel = unitOfField(question, "");
      if (fromLabel) {
        unit = fromLabel.unit;
        label = fromLabel.label;
        notes.push(`Unit ${unit}, read from the question.`);
      }
    }
    const range = { min: null as number | null, max: null as number | null };
    if (!choices) {
      for (const check of list(item.RangeCheck)) {
        const comparator = attr(check, "Comparator").toUpperCase();
        const value = Number(String(list(check.CheckValue)[0] ?? "").trim());
        if (!Number.isFinite(value)) continue;
        if (comparator === "GE" || comparator === "GT") range.min = value;
        if (comparator === "LE" || comparator === "LT") range.max = value;
      }
      if (range.min !== null && range.max !== null && range.min > range.max) range.min = range.max = null;
    }
    if (code !== name) notes.push(`Code ${code}; the ODM name ${name} is kept as an alias.`);
    const loinc = list(item.Alias).find((a) => /loinc/i.test(attr(a, "Context")));
    fields.push({
      field: name,
      location,
      sourceType: choices ? `${dataType || "text"} with code list` : dataType,
      biomarker: importedDefinition({
        code,
        label: cleanLabel(label) || name,
        unit: unit ?? "",
        valueType,
        categories: choices ?? [],
        plausibleMin: range.min,
        plausibleMax: range.max,
        loinc: loinc ? attr(loinc, "Name") || null : null,
        aliases: code !== name ? [name] : [],
      }),
      choices: choices ?? [],
      notes,
    });
  }
  if (fields.length + skipped.length === 0) {
    return { ok: false, problems: [{ row: null, column: "", message: "The ODM metadata has no ItemDef: there is nothing to import." }] };
  }
  return { ok: true, proposal: skipDuplicateCodes({ source: "odm", fields, skipped }) };
}
