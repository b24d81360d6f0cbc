/**
 * The ClinicalData of a CDISC ODM 1.3 file → the rows the dataset importer
 * reads, through the same transform as REDCap records (clinical-records.ts):
 * each SubjectData is a participant, each StudyEventData a visit (named by its
 * StudyEventDef), a repeated form or item group (FormRepeatKey,
 * ItemGroupRepeatKey) or event (StudyEventRepeatKey) a repeat instance. The
 * file's own metadata says what each ItemOID is: its Name becomes the column,
 * a numeric DataType a checked number with its MeasurementUnit in the header,
 * a CodeListRef a coded value replaced by its decode.
 *
 * A DOCTYPE or ENTITY declaration is refused before parsing (readOdm, as for
 * the metadata import). Pure (no I/O).
 */
import { type ClinicalRecord, type RecordField, type RecordsTable, type RepeatRule, recordsToTable } from "./clinical-records.ts";
import { DatasetFileError } from "./dataset-files.ts";
import { list, readOdm } from "./odm-metadata.ts";
import { type Choice, unitFromText } from "./panel-proposal.ts";

type Node = Record<string, unknown>;

const attr = (node: Node | undefined, name: string) => String(node?.[`@${name}`] ?? "").trim();
const NUMERIC = new Set(["integer", "float", "double", "decimal"]);

function translated(node: unknown): string {
  const texts = list((node as Node | undefined)?.TranslatedText);
  const english = texts.find((t) => /^en/i.test(attr(t, "lang"))) ?? texts[0];
  if (english === undefined) return "";
  return String(typeof english === "object" ? (english["#text"] ?? "") : english).trim();
}

/** Whether an XML text is an ODM file with clinical data (what the dataset upload reads from XML). */
export function hasClinicalData(text: string): boolean {
  return /<(\w+:)?ClinicalData[\s>]/.test(text);
}

export function readOdmClinicalData(text: string, options: { repeats: RepeatRule }): RecordsTable {
  const read = readOdm(text);
  if (!read.ok) throw new DatasetFileError(read.message);
  const study = list(read.odm.Study)[0];
  const metadata = list(study?.MetaDataVersion)[0];
  if (!metadata) {
    throw new DatasetFileError(
      "The ODM file has no Study/MetaDataVersion: export the clinical data together with its metadata, which says what each item is.",
    );
  }
  const clinical = list(read.odm.ClinicalData);
  if (clinical.length === 0) throw new DatasetFileError("The ODM file has no ClinicalData: it holds metadata only (import it as a panel).");

  const units = new Map<string, string>();
  for (const unit of list((study.BasicDefinitions as Node | undefined)?.MeasurementUnit)) {
    units.set(attr(unit, "OID"), translated(unit.Symbol) || attr(unit, "Name"));
  }
  const codeLists = new Map<string, Choice[]>();
  for (const codeList of list(metadata.CodeList)) {
    codeLists.set(attr(codeList, "OID"), [
      ...list(codeList.CodeListItem).map((item) => ({
        code: attr(item, "CodedValue"),
        label: translated(item.Decode) || attr(item, "CodedValue"),
      })),
      ...list(codeList.EnumeratedItem).map((item) => ({ code: attr(item, "CodedValue"), label: attr(item, "CodedValue") })),
    ]);
  }
  const eventNames = new Map(list(metadata.StudyEventDef).map((e) => [attr(e, "OID"), attr(e, "Name") || attr(e, "OID")]));
  const formNames = new Map(list(metadata.FormDef).map((f) => [attr(f, "OID"), attr(f, "Name") || attr(f, "OID")]));
  const nameOfItem = new Map<string, string>();
  const fields = new Map<string, RecordField>();
  for (const item of list(metadata.ItemDef)) {
    const oid = attr(item, "OID");
    const name = attr(item, "Name") || oid;
    if (!oid || fields.has(name)) continue;
    nameOfItem.set(oid, name);
    const choices = codeLists.get(attr(list(item.CodeListRef)[0], "CodeListOID"));
    const unitOid = attr(list(item.MeasurementUnitRef)[0], "MeasurementUnitOID");
    const symbol = unitOid ? units.get(unitOid) : undefined;
    if (choices) fields.set(name, { name, kind: "choice", unit: null, choices });
    else if (NUMERIC.has(attr(item, "DataType").toLowerCase()))
      fields.set(name, { name, kind: "number", unit: symbol ? unitFromText(symbol) : null, choices: [] });
    else fields.set(name, { name, kind: "text", unit: null, choices: [] });
  }

  const records: ClinicalRecord[] = [];
  const seen = new Set<string>();
  for (const data of clinical) {
    for (const subject of list(data.SubjectData)) {
      const participant = attr(subject, "SubjectKey");
      for (const event of list(subject.StudyEventData)) {
        const eventOid = attr(event, "StudyEventOID");
        const eventName = eventNames.get(eventOid) ?? eventOid;
        const eventRepeat = attr(event, "StudyEventRepeatKey");
        const where = `SubjectData ${participant || "(no SubjectKey)"}, StudyEventData ${eventOid}${eventRepeat ? ` (repeat ${eventRepeat})` : ""}`;
        const main: ClinicalRecord = {
          row: records.length + 2,
          where,
          participant,
          event: eventName,
          instance: eventRepeat ? repeatNumber(eventRepeat, where, "StudyEventRepeatKey") : null,
          instrument: null,
          values: new Map(),
        };
        const repeated = new Map<string, ClinicalRecord>();
        for (const form of list(event.FormData)) {
          const formOid = attr(form, "FormOID");
          const formRepeat = attr(form, "FormRepeatKey");
          for (const group of list(form.ItemGroupData)) {
            const groupRepeat = attr(group, "ItemGroupRepeatKey");
            const repeatKey = formRepeat || groupRepeat;
            let target = main;
            if (repeatKey) {
              const instrument = formRepeat ? (formNames.get(formOid) ?? formOid) : attr(group, "ItemGroupOID");
              const key = `${instrument}#${repeatKey}`;
              const at = `${where}, ${formRepeat ? `FormData ${formOid}` : `ItemGroupData ${attr(group, "ItemGroupOID")}`} (repeat ${repeatKey})`;
              target = repeated.get(key) ?? {
                ...main,
                where: at,
                instance: repeatNumber(repeatKey, at, formRepeat ? "FormRepeatKey" : "ItemGroupRepeatKey"),
                instrument,
                values: new Map(),
              };
              repeated.set(key, target);
            }
            for (const item of list(group.ItemData)) {
              const oid = attr(item, "ItemOID");
              const name = nameOfItem.get(oid);
              if (!name)
                throw new DatasetFileError(`${target.where}: ItemData ${oid || "(no ItemOID)"} has no ItemDef in the metadata.`, {
                  column: oid,
                });
              const value = item["@Value"] ?? item["#text"] ?? "";
              target.values.set(name, String(value));
            }
          }
        }
        for (const record of [main, ...repeated.values()]) {
          const key = JSON.stringify([participant, eventName, record.instrument, record.instance]);
          if (seen.has(key)) {
            throw new DatasetFileError(`${record.where}: this subject, event and repeat appear twice in the file.`, {
              column: "SubjectKey",
            });
          }
          seen.add(key);
          if (record !== main || record.values.size > 0 || repeated.size === 0) records.push({ ...record, row: records.length + 2 });
        }
      }
    }
  }
  const used = new Set(records.flatMap((r) => [...r.values.keys()]));
  const fieldOrder = [...fields.keys()].filter((name) => used.has(name));
  return recordsToTable(fieldOrder, fields, records, { repeats: options.repeats, decimalComma: false });
}

function repeatNumber(key: string, where: string, attribute: string): number {
  if (!/^\d+$/.test(key) || Number(key) < 1) {
    throw new DatasetFileError(`${where}: ${attribute} “${key}” is not a repeat number (1, 2, …).`, { column: attribute });
  }
  return Number(key);
}
