/**
 * A snapshot as an RO-Crate 1.1 (https://w3id.org/ro/crate/1.1): a ZIP with
 * ro-crate-metadata.json (JSON-LD), the snapshot's canonical JSON, its inputs
 * and results as CSV (the comparison's own exports, fed from the stored
 * numbers), an R script per row that recomputes every cell with metafor and
 * stops if a number differs, DataCite metadata and a README. Every file is
 * listed with its size and SHA-256, so a reader can check the crate whole.
 */
import { createHash } from "node:crypto";
import JSZip from "jszip";
import { apaCitation, bibtexCitation, type CitationFields } from "#app/domain/citation.ts";
import { plainTextLine } from "#app/domain/generated-text.ts";
import { LICENCES, restoreForest, type SnapshotContent } from "#app/domain/snapshots.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import { snapshotUrl } from "#app/public-shapes/snapshots.ts";
import type { StoredEffectModification } from "#app/domain/effect-modification-snapshots.ts";
import type { EffectModificationView } from "#app/public-shapes/effect-modification.ts";
import { cellScript, inputsCsv, matrixCsv } from "./comparison-export.server.ts";
import {
  effectModificationPointsCsv,
  effectModificationResultsCsv,
  effectModificationScriptOf,
} from "./effect-modification-export.server.ts";
import { canonicalText } from "./frozen-records.server.ts";
import { getSnapshot } from "./snapshots.server.ts";

const RO_CRATE = "https://w3id.org/ro/crate/1.1";
/** `sha256` is not a schema.org term; RO-Crate's own vocabulary names it. */
const CONTEXT = [`${RO_CRATE}/context`, { sha256: "https://w3id.org/ro/terms/workflow-run#sha256" }];

interface CrateFile {
  path: string;
  text: string;
  name: string;
  description: string;
  encodingFormat: string;
  software?: boolean;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const fileSafe = (text: string) => text.replace(/[^\w.-]+/g, "_").slice(0, 60) || "row";

/** An author's JSON-LD id: their ORCID iD when they gave one, else a local one. */
const authorId = (a: { orcid: string | null }, i: number) => (a.orcid ? `https://orcid.org/${a.orcid}` : `#author-${i + 1}`);

type ComparisonSource = Parameters<typeof inputsCsv>[0] & Parameters<typeof matrixCsv>[0];

function comparisonFiles(content: SnapshotContent, source: ComparisonSource): CrateFile[] {
  return [
    {
      path: "comparison-inputs.csv",
      text: inputsCsv(source),
      name: "Inputs",
      description: "Every input with its provenance (dataset and result versions) and raw numbers at full precision, with yi and vi.",
      encodingFormat: "text/csv",
    },
    {
      path: "comparison-results.csv",
      text: matrixCsv(source),
      name: "Results",
      description: "The matrix as frozen: one line per intervention and profile, with the pooled estimate, CI, PI, τ², I² and Q.",
      encodingFormat: "text/csv",
    },
    ...rScripts(content),
  ];
}

/** An effect-modification analysis: its results and participant points as the live exports write them, and its R script. */
function effectModificationFiles(stored: StoredEffectModification): CrateFile[] {
  const view = stored.view as EffectModificationView;
  const points = new Map(
    Object.entries(stored.points).map(([key, list]) => [
      key,
      list.map(([arm, x, y]) => ({ arm: arm === 1 ? ("intervention" as const) : ("comparator" as const), x, y })),
    ]),
  );
  return [
    {
      path: "effect-modification-data.csv",
      text: effectModificationPointsCsv(view, points),
      name: "Inputs",
      description: "Each participant-level trial's participants: trial key, arm (1 = intervention), x on the analysis scale, y.",
      encodingFormat: "text/csv",
    },
    {
      path: "effect-modification-results.csv",
      text: effectModificationResultsCsv(view),
      name: "Results",
      description:
        "Each trial's treatment × biomarker interaction, the pooled within-trial interaction and the across-trial check, as frozen.",
      encodingFormat: "text/csv",
    },
    {
      path: "R/effect-modification.R",
      text: effectModificationScriptOf(view, [
        "# The data: effect-modification-data.csv in this crate. Run from the crate's top folder: Rscript R/effect-modification.R.",
      ]).script,
      name: "Recomputes the analysis with lm/glm and metafor",
      description:
        "Refits every trial from effect-modification-data.csv, re-pools with metafor, and stops if a number differs by more than 1e-6.",
      encodingFormat: "text/x-r",
      software: true,
    },
  ];
}

function rScripts(content: SnapshotContent): CrateFile[] {
  const view = { outcome: content.outcome, measure: content.options.measure, method: content.options.method, knha: content.options.knha };
  return content.outputs.rows.map((row, i) => ({
    path: `R/${String(i + 1).padStart(2, "0")}-${fileSafe(row.name)}.R`,
    text: cellScript({
      view,
      row,
      profiles: content.profiles,
      forest: restoreForest(content.outputs.forests[row.key], content.inputs),
      inputsLocation: ["# The inputs: comparison-inputs.csv in this crate. Run from the crate's top folder: Rscript R/<this file>."],
    }),
    name: `Recomputes “${row.name}” with metafor`,
    description: "Reads comparison-inputs.csv, pools each profile as the snapshot did, and stops if a number differs by more than 1e-5.",
    encodingFormat: "text/x-r",
    software: true,
  }));
}

function readme(content: SnapshotContent, hash: string, citation: CitationFields, files: CrateFile[]): string {
  const m = content.metadata;
  return [
    `# ${plainTextLine(m.title)}`,
    "",
    `Snapshot ${m.number} of the Consilience workspace “${plainTextLine(m.workspace.name)}”, frozen ${m.createdAt} by ${plainTextLine(m.createdBy)}.`,
    `Outcome: ${plainTextLine(content.outcome?.name ?? "none")}; measure ${content.options.measure}; method ${content.options.method}${content.options.knha ? " with Knapp–Hartung" : ""}.`,
    `Licence: ${m.licence} (${LICENCES[m.licence].url}).`,
    "",
    "## Cite this",
    "",
    apaCitation(citation),
    "",
    "```bibtex",
    bibtexCitation(citation),
    "```",
    "",
    "## Check it",
    "",
    `snapshot.json is the snapshot exactly as stored: canonical JSON (RFC 8785) whose SHA-256 is ${hash}.`,
    "ro-crate-metadata.json lists every file with its size and SHA-256.",
    ...(content.effectModification
      ? [
          "R/effect-modification.R refits every trial from effect-modification-data.csv (lm or glm), re-pools the interactions",
          "with metafor (R package) and stops if any number differs from the snapshot's by more than 1e-6. From this folder:",
          "`Rscript R/effect-modification.R`.",
        ]
      : [
          "Each script under R/ recomputes a row of the matrix from comparison-inputs.csv with metafor (R package) and stops",
          "if any number differs from the snapshot's by more than 1e-5. From this folder: `Rscript R/01-….R`.",
        ]),
    "",
    "## Files",
    "",
    ...files.map((f) => `- ${f.path}: ${f.description}`),
    "",
  ].join("\n");
}

function dataCite(content: SnapshotContent, hash: string, url: string, origin: string) {
  const m = content.metadata;
  return {
    creators: m.authors.map((a) => ({
      name: a.name,
      nameType: "Personal",
      nameIdentifiers: a.orcid
        ? [{ nameIdentifier: `https://orcid.org/${a.orcid}`, nameIdentifierScheme: "ORCID", schemeUri: "https://orcid.org" }]
        : [],
    })),
    titles: [{ title: m.title }],
    publisher: `Consilience, ${m.workspace.name}`,
    publicationYear: m.createdAt.slice(0, 4),
    types: { resourceTypeGeneral: "Dataset", resourceType: "Frozen analysis (meta-analysis snapshot)" },
    version: String(m.number),
    url,
    dates: [{ date: m.createdAt, dateType: "Created" }],
    rightsList: [{ rights: LICENCES[m.licence].name, rightsUri: LICENCES[m.licence].url, rightsIdentifier: m.licence }],
    relatedIdentifiers: m.previous.map((p) => ({
      relatedIdentifier: snapshotUrl(origin, { workspaceId: m.workspace.id, id: p.id }),
      relatedIdentifierType: "URL",
      relationType: "IsNewVersionOf",
    })),
    alternateIdentifiers: [{ alternateIdentifier: `sha256:${hash}`, alternateIdentifierType: "SHA-256" }],
  };
}

/** The crate's JSON-LD: the metadata descriptor, the root data set, its files, people, licence and earlier versions. */
function metadata(content: SnapshotContent, hash: string, url: string, origin: string, files: CrateFile[]) {
  const m = content.metadata;
  const licence = LICENCES[m.licence];
  const previous = m.previous.map((p) => ({
    "@id": snapshotUrl(origin, { workspaceId: m.workspace.id, id: p.id }),
    "@type": "Dataset",
    name: `Snapshot ${p.number}`,
    identifier: `sha256:${p.hash}`,
  }));
  return {
    "@context": CONTEXT,
    "@graph": [
      { "@id": "ro-crate-metadata.json", "@type": "CreativeWork", conformsTo: { "@id": RO_CRATE }, about: { "@id": "./" } },
      {
        "@id": "./",
        "@type": "Dataset",
        name: m.title,
        description: `Snapshot ${m.number} of ${content.effectModification ? "a within-trial effect-modification analysis" : "the comparison of interventions by patient profile"} in “${m.workspace.name}”: inputs, options and pooled numbers as frozen, with R scripts that reproduce them.`,
        datePublished: m.createdAt,
        version: String(m.number),
        identifier: `sha256:${hash}`,
        url,
        license: { "@id": licence.url },
        author: m.authors.map((a, i) => ({ "@id": authorId(a, i) })),
        publisher: { "@id": "#publisher" },
        ...(previous.length ? { isBasedOn: previous.map((p) => ({ "@id": p["@id"] })) } : {}),
        hasPart: files.map((f) => ({ "@id": f.path })),
      },
      ...files.map((f) => ({
        "@id": f.path,
        "@type": f.software ? ["File", "SoftwareSourceCode"] : "File",
        name: f.name,
        description: f.description,
        encodingFormat: f.encodingFormat,
        contentSize: String(Buffer.byteLength(f.text, "utf8")),
        sha256: sha256(f.text),
        ...(f.software ? { programmingLanguage: { "@id": "#r" } } : {}),
      })),
      ...m.authors.map((a, i) => ({
        "@id": authorId(a, i),
        "@type": "Person",
        name: a.name,
        ...(a.orcid ? { identifier: `https://orcid.org/${a.orcid}` } : {}),
      })),
      { "@id": "#publisher", "@type": "Organization", name: `Consilience, ${m.workspace.name}` },
      { "@id": licence.url, "@type": "CreativeWork", name: licence.name, identifier: m.licence },
      { "@id": "#r", "@type": "ComputerLanguage", name: "R", url: { "@id": "https://www.r-project.org/" } },
      ...previous,
    ],
  };
}

/** The snapshot as an RO-Crate ZIP; every file dated the snapshot's time, so the same snapshot gives the same archive. */
export async function snapshotCrate(
  actor: PublicUser,
  workspaceId: string,
  snapshotId: string,
  origin: string,
): Promise<{ fileName: string; zip: Buffer }> {
  const snapshot = await getSnapshot(actor, workspaceId, snapshotId);
  const { content } = snapshot;
  const url = snapshotUrl(origin, snapshot);
  const source = {
    rows: content.outputs.rows,
    profiles: content.profiles,
    outcome: content.outcome,
    measure: content.options.measure,
    method: content.options.method,
    exclude: content.options.exclude,
    inputs: content.inputs,
    setAside: content.setAside,
  };
  const citation: CitationFields = {
    authors: content.metadata.authors,
    title: content.metadata.title,
    version: content.metadata.number,
    year: Number(content.metadata.createdAt.slice(0, 4)),
    publisher: `Consilience, ${content.metadata.workspace.name}`,
    url,
    hash: snapshot.hash,
  };
  const files: CrateFile[] = [
    {
      path: "snapshot.json",
      // Canonicalising the parsed content gives the stored text back, byte for byte (its hash is the snapshot's).
      text: canonicalText(content),
      name: "The snapshot as stored",
      description: `Canonical JSON (RFC 8785) of every input, option and number; SHA-256 ${snapshot.hash}.`,
      encodingFormat: "application/json",
    },
    ...(content.effectModification ? effectModificationFiles(content.effectModification) : comparisonFiles(content, source)),
  ];
  files.push({
    path: "datacite.json",
    text: `${JSON.stringify(dataCite(content, snapshot.hash, url, origin), null, 2)}\n`,
    name: "DataCite metadata",
    description: "Creators, title, publisher, publication year, resource type, version and related identifiers, ready for a DOI.",
    encodingFormat: "application/json",
  });
  files.push({
    path: "README.md",
    text: readme(content, snapshot.hash, citation, files),
    name: "README",
    description: "What the crate holds, how to cite it and how to check it.",
    encodingFormat: "text/markdown",
  });
  const zip = new JSZip();
  const date = new Date(content.metadata.createdAt);
  for (const f of files) zip.file(f.path, f.text, { date });
  zip.file("ro-crate-metadata.json", `${JSON.stringify(metadata(content, snapshot.hash, url, origin, files), null, 2)}\n`, { date });
  const fileName = `snapshot-${content.metadata.number}-${fileSafe(content.metadata.title)}.zip`;
  return { fileName, zip: await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }) };
}
