/** Snapshots of an analysis: what freezing one takes, and how the API shows them. */
import { z } from "zod";
import { EFFECT_MODIFICATION_OPTIONS } from "#app/domain/effect-modification-diff.ts";
import { LICENCE_IDS, SNAPSHOT_FORMAT, SNAPSHOT_SCOPES } from "#app/domain/snapshots.ts";
import { ComparisonQuery } from "./comparison.ts";
import { EffectModificationQuery } from "./effect-modification.ts";
import { requestShape, responseShape } from "./components.ts";
import { Count, Id, idList, IsoTime, PersonJson } from "./json.ts";

export const CreateSnapshotInput = requestShape(
  "CreateSnapshotInput",
  ComparisonQuery.extend({
    title: z
      .string({ error: "Give the snapshot a title." })
      .trim()
      .min(1, "Give the snapshot a title.")
      .max(300, "A title has at most 300 characters."),
    scope: z
      .enum(SNAPSHOT_SCOPES, { error: `scope is one of ${SNAPSHOT_SCOPES.join(", ")}.` })
      .default("comparison")
      .describe(
        "comparison: the whole matrix; cell: one row (with profile, one cell); effect-modification: one within-trial effect-modification analysis (with intervention, biomarker, scale, per).",
      ),
    row: z.string().trim().max(300).optional().describe("For scope cell: the row key (intervention:<name> or class:<class>)."),
    profile: z.string().trim().max(100).optional().describe("For scope cell: one profile's column; without it, every profile of the row."),
    intervention: EffectModificationQuery.shape.intervention.describe(
      "For scope effect-modification: the intervention (or class:<class>).",
    ),
    biomarker: EffectModificationQuery.shape.biomarker.describe("For scope effect-modification: the biomarker's code."),
    scale: EffectModificationQuery.shape.scale,
    per: EffectModificationQuery.shape.per,
    authors: idList.describe("Members named as authors, in order (user ids); the lead alone when none is given."),
    licence: z.enum(LICENCE_IDS, { error: `licence is one of ${LICENCE_IDS.join(", ")}.` }).default("CC-BY-4.0"),
  }).describe("The comparison's options (outcome, measure, method, knha, prefer, exclude) as the live view takes them."),
);

export const WithdrawSnapshotInput = requestShape(
  "WithdrawSnapshotInput",
  z.object({
    reason: z
      .string({ error: "Say why the snapshot is withdrawn." })
      .trim()
      .min(1, "Say why the snapshot is withdrawn.")
      .max(2000, "A reason has at most 2000 characters."),
  }),
);

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const withdrawal = z
  .object({ reason: z.string(), by: PersonJson, at: IsoTime })
  .nullable()
  .describe("Set once a lead withdrew the snapshot; it stays readable as it was.");

const snapshotHeader = {
  id: Id,
  number: Count.describe("1, 2, … per workspace: the version a citation names."),
  title: z.string(),
  scope: z.enum(SNAPSHOT_SCOPES),
  hash: Sha256.describe("SHA-256 of the canonical JSON (RFC 8785) of content."),
  createdAt: IsoTime,
  createdBy: PersonJson,
  url: z.string().describe("The snapshot's page."),
  withdrawn: withdrawal,
};

export const SnapshotSummaryJson = responseShape("SnapshotSummary", z.object(snapshotHeader));

export const SnapshotListJson = responseShape("SnapshotList", z.object({ items: z.array(SnapshotSummaryJson), nextCursor: z.null() }));

const loose = z.record(z.string(), z.unknown());

export const SnapshotContentJson = responseShape(
  "SnapshotContent",
  z
    .object({
      format: z.literal(SNAPSHOT_FORMAT),
      metadata: z.object({
        title: z.string(),
        number: Count,
        authors: z.array(z.object({ name: z.string(), orcid: z.string().nullable() })),
        licence: z.enum(LICENCE_IDS),
        createdAt: IsoTime,
        createdBy: z.string(),
        workspace: z.object({ id: Id, name: z.string() }),
        previous: z.array(z.object({ id: Id, number: Count, hash: Sha256 })),
      }),
      scope: z.union([
        z.object({ kind: z.literal("comparison") }),
        z.object({ kind: z.literal("cell"), row: z.string(), profileId: Id.nullable() }),
        z.object({ kind: z.literal("effect-modification") }),
      ]),
      options: z.object({
        outcome: z.string().nullable(),
        measure: z.string(),
        method: z.string(),
        knha: z.boolean(),
        prefer: z.string(),
        exclude: z.array(Id),
      }),
      outcome: loose.nullable(),
      profiles: z.array(loose).describe("Each profile with its version and criteria, as frozen."),
      studies: z.array(loose).describe("Each study with its version and its panel's version."),
      inputs: z.array(loose).describe("Every input used: provenance (dataset and result versions) and raw numbers."),
      setAside: z.array(loose),
      outputs: z.object({
        rows: z.array(loose).describe("The matrix rows with their pooled cells (null: no effect)."),
        forests: z.record(z.string(), loose).describe("Each row's forest plot, by row key."),
      }),
      effectModification: z
        .object({
          options: loose.describe("outcome, intervention, biomarker, scale, per, method, knha, exclude: the question asked."),
          view: loose.describe("The analysis as the page showed it: trials with their fits, pooled interaction, line, across-trial check."),
          points: z
            .record(z.string(), z.array(z.tuple([z.union([z.literal(0), z.literal(1)]), z.number(), z.number()])))
            .describe("Each participant-level trial's points by trial key: [arm (1 = intervention), x on the analysis scale, y]."),
        })
        .optional()
        .describe("Scope effect-modification only: the analysis, its inputs and its numbers (the comparison's fields are then empty)."),
    })
    .describe("Everything the snapshot froze, exactly as hashed: parse it, canonicalise it (RFC 8785) and its SHA-256 is hash."),
);

export const SnapshotJson = responseShape("Snapshot", z.object({ ...snapshotHeader, content: SnapshotContentJson }));

export const SnapshotCreatedJson = responseShape(
  "SnapshotCreated",
  z.object({ id: Id, number: Count, hash: Sha256, createdAt: IsoTime, url: z.string() }),
);

const cellNumbers = z.object({ k: Count, estimate: z.number().nullable(), ciLower: z.number().nullable(), ciUpper: z.number().nullable() });

const snapshotReference = z.object({ id: Id, number: Count, hash: Sha256 });
const diffEnds = {
  from: snapshotReference,
  to: snapshotReference.nullable().describe("null: the live view."),
};

/** Two snapshots of the comparison (or its cells), or one and the live comparison: unchanged since snapshots could first be compared. */
export const ComparisonSnapshotDiffJson = responseShape(
  "ComparisonSnapshotDiff",
  z.object({
    ...diffEnds,
    summary: z.string().describe("“3 cells moved, 1 new study”."),
    cells: z.array(
      z.object({
        change: z.enum(["moved", "added", "removed"]),
        row: z.string(),
        rowName: z.string(),
        profileId: Id,
        profileName: z.string(),
        before: cellNumbers.nullable(),
        after: cellNumbers.nullable(),
      }),
    ),
    studiesAdded: z.array(z.object({ id: Id, title: z.string() })),
    studiesRemoved: z.array(z.object({ id: Id, title: z.string() })),
    sourcesUpdated: z.array(z.object({ studyTitle: z.string(), what: z.string(), before: Count, after: Count })),
    profilesChanged: z.array(z.object({ id: Id, name: z.string(), before: Count.nullable(), after: Count.nullable() })),
  }),
);

/** A number the JSON API writes; null where there is none (JSON has no NaN). */
const maybeNumber = z.number().nullable();

const pooledInteraction = z
  .object({
    k: Count.describe("Trials pooled."),
    estimate: maybeNumber.describe("The pooled within-trial interaction."),
    se: maybeNumber,
    ciLower: maybeNumber,
    ciUpper: maybeNumber,
    tau2: maybeNumber.describe("Between-trial variance of the interaction."),
    i2: maybeNumber.describe("I² in percent."),
    q: maybeNumber,
    piLower: maybeNumber,
    piUpper: maybeNumber,
  })
  .nullable()
  .describe("null: no trial was pooled.");

const trialSide = z
  .object({
    key: z.string().describe("The trial's key on this side (dataset version and arm): a re-import gives a new key."),
    studyTitle: z.string(),
    datasetVersion: Count,
    n: Count,
    excluded: z.boolean().describe("Left out of the pooling by this side's exclusions."),
    fit: z
      .object({ interaction: maybeNumber, se: maybeNumber, ciLower: maybeNumber, ciUpper: maybeNumber })
      .nullable()
      .describe("null: the trial could not be fitted."),
  })
  .nullable();

const optionValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);

/** Two snapshots of one effect-modification analysis, or one and the live view asked the same question. */
export const EffectModificationSnapshotDiffJson = responseShape(
  "EffectModificationSnapshotDiff",
  z.object({
    ...diffEnds,
    summary: z.string().describe("“Pooled interaction moved, 2 trials moved, 1 new trial”, or “Nothing changed”."),
    effectModification: z.object({
      pooled: z.object({
        before: pooledInteraction,
        after: pooledInteraction,
        moved: z.boolean().describe("Any pooled number differs to the digit, or another set of trials was pooled."),
      }),
      trials: z
        .array(
          z.object({
            change: z
              .enum(["moved", "added", "removed"])
              .describe("moved: the trial's own fit (n or any fitted number) differs; added: new on the second side; removed: gone."),
            studyId: Id,
            studyTitle: z.string(),
            datasetName: z.string(),
            interventionName: z.string(),
            comparatorName: z.string(),
            source: z.enum(["dataset", "site"]),
            before: trialSide,
            after: trialSide,
          }),
        )
        .describe("Trials matched across re-imports by study, dataset name and intervention arm."),
      sourcesUpdated: z.array(z.object({ studyTitle: z.string(), what: z.string(), before: Count, after: Count })),
      options: z
        .array(z.object({ option: z.enum(EFFECT_MODIFICATION_OPTIONS), before: optionValue, after: optionValue }))
        .describe("Options of the question that differ; excluded trials are named “study · dataset · arm”."),
    }),
  }),
);

export const SnapshotDiffJson = responseShape(
  "SnapshotDiff",
  z
    .union([ComparisonSnapshotDiffJson, EffectModificationSnapshotDiffJson])
    .describe("Snapshots of the comparison give cells, studies and profiles; effect-modification snapshots give effectModification."),
);
