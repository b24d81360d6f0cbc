/**
 * The import worker's front for clinical records: a REDCap records export or
 * the ClinicalData of an ODM file is turned into a header and rows
 * (redcap-records.ts, odm-clinical-data.ts), which then go through the same
 * column planning and checks as any CSV (dataset-parsing.server.ts). The
 * transform's roles and units come first in the column mapping; the user's
 * mapping is laid over them, column by column.
 */
import type { RecordsInfo, RecordsSource, RepeatRule } from "#app/domain/clinical-records.ts";
import type { ColumnMapping } from "#app/domain/dataset-columns.ts";
import { DatasetFileError, decodeCsvText } from "#app/domain/dataset-files.ts";
import type { SourceRecord } from "#app/domain/dataset-table.ts";
import { visitLabel } from "#app/domain/dataset-visits.ts";
import { readOdmClinicalData } from "#app/domain/odm-clinical-data.ts";
import { fieldsFromDictionary, fieldsFromPanel, type PanelFieldRef, readRedcapRecords } from "#app/domain/redcap-records.ts";

export type { RecordsInfo, RecordsSource };

export interface ClinicalRecordsRequest {
  source: RecordsSource;
  /** The REDCap data dictionary sent with the records, if one was. */
  dictionary: Uint8Array | null;
  /** The study's panel, read as a dictionary when none was sent. */
  panelFields: PanelFieldRef[];
  repeats: RepeatRule;
}

function decodeXml(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new DatasetFileError("The XML file is not UTF-8 text; export it again as UTF-8.");
  }
}

export function readClinicalRecords(
  bytes: Uint8Array,
  request: ClinicalRecordsRequest,
  userMapping: ColumnMapping,
): { info: RecordsInfo; mapping: ColumnMapping; records: AsyncGenerator<SourceRecord> } {
  let table: ReturnType<typeof readRedcapRecords>;
  let dictionary: RecordsInfo["dictionary"] = "metadata";
  if (request.source === "odm") table = readOdmClinicalData(decodeXml(bytes), { repeats: request.repeats });
  else {
    dictionary = request.dictionary ? "file" : "panel";
    const fields = request.dictionary ? fieldsFromDictionary(decodeCsvText(request.dictionary)) : fieldsFromPanel(request.panelFields);
    table = readRedcapRecords(decodeCsvText(bytes), fields, { repeats: request.repeats });
    if (!request.dictionary && fields.fields.size === 0) {
      table.notes.push(
        "No dictionary came with the records and the study's panel knows none of their fields: coded values are kept as codes.",
      );
    }
  }
  const mapping: ColumnMapping = {};
  for (const [name, entry] of Object.entries(table.mapping)) mapping[name] = { ...entry };
  for (const [name, entry] of Object.entries(userMapping))
    mapping[name] = { ...(Object.hasOwn(mapping, name) ? mapping[name] : {}), ...entry };
  const visitColumn = Object.entries(mapping).find(([, e]) => e.role === "visit")?.[0] ?? null;
  const labels = visitColumn ? (mapping[visitColumn].visits ?? {}) : {};
  const info: RecordsInfo = {
    source: request.source,
    dictionary,
    visitColumn,
    events: table.events.map((event) => ({ event, visit: visitLabel(event, labels) })),
    repeatedInstruments: table.repeatedInstruments,
    repeats: request.repeats,
    notes: table.notes,
  };
  async function* records(): AsyncGenerator<SourceRecord> {
    yield { row: 1, cells: table.header };
    yield* table.records;
  }
  return { info, mapping, records: records() };
}
