/**
 * Uploading a site summary (POST …/studies/:studyId/site-summaries) and how
 * the app answers. The summary is the file consilience-site.mjs wrote; its
 * shape is the TypeScript type SiteSummary of app/domain/site-summary.ts, and
 * every number in it is checked here before it reaches a pooled estimate.
 */
import { z } from "zod";
import { COVARIATE_SCALES } from "#app/domain/effect-modification.ts";
import { PLAN_PROBLEM_REASONS } from "#app/domain/profile-plan.ts";
import { MINIMUM_CELL_SIZE, SITE_SUMMARY_FORMAT } from "#app/domain/site-summary-format.ts";
import { requestShape, responseShape } from "./components.ts";
import { Count, Id, IsoTime } from "./json.ts";

const finite = z.number({ error: "must be a finite number." });
const atLeastCell = z
  .int({ error: "must be a whole number." })
  .min(MINIMUM_CELL_SIZE, `cells of fewer than ${MINIMUM_CELL_SIZE} participants are never shared.`);
const positive = finite.gt(0, "must be above 0.");

const OutcomeCell = z.union([
  z.object({ n: atLeastCell, mean: finite, sd: finite.min(0, "cannot be negative.") }),
  z.object({ n: atLeastCell, events: z.int({ error: "must be a whole number." }).min(0, "cannot be negative.") }),
]);

export const SiteSummaryContent = z.object({
  format: z.literal(SITE_SUMMARY_FORMAT, { error: `This is not a site summary (format must be “${SITE_SUMMARY_FORMAT}”).` }),
  kit: z.object({
    workspaceId: z.string(),
    studyId: z.string(),
    studyVersion: Count,
    panelVersion: Count.nullable(),
    profiles: z.array(z.object({ id: z.string(), version: Count })).max(500),
  }),
  source: z.object({ fileName: z.string().max(500), sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in hex."), rows: Count }),
  createdAt: z.string().max(40),
  minimumCellSize: z.literal(MINIMUM_CELL_SIZE, { error: `The minimum cell size must be ${MINIMUM_CELL_SIZE}.` }),
  profiles: z
    .array(
      z.object({
        profileId: z.string(),
        name: z.string().max(200),
        evaluable: z.boolean(),
        problems: z
          .array(z.object({ criterion: z.string().max(500), reason: z.enum(PLAN_PROBLEM_REASONS), message: z.string().max(1000) }))
          .max(50),
        arms: z
          .array(z.object({ arm: z.string().max(200), armId: z.string(), n: atLeastCell, outcomes: z.record(z.string(), OutcomeCell) }))
          .max(50),
      }),
    )
    .max(500),
  interactions: z
    .array(
      z.object({
        outcomeId: z.string(),
        biomarker: z.string().max(100),
        scale: z.enum(COVARIATE_SCALES),
        per: positive,
        intervention: z.string(),
        comparator: z.string(),
        n: atLeastCell,
        interaction: finite,
        se: positive,
        effectAtZero: finite,
        varEffectAtZero: finite.min(0, "cannot be negative."),
        covEffectInteraction: finite,
        xMin: finite,
        xMax: finite,
        xMean: finite,
      }),
    )
    .max(10_000),
  withheld: z.array(z.object({ where: z.string().max(1000), reason: z.string().max(1000) })).max(10_000),
});

export const UploadSiteSummaryInput = requestShape(
  "UploadSiteSummaryInput",
  z.object({
    site: z
      .string({ error: "Name the site (for example its city)." })
      .trim()
      .min(1, "Name the site (for example its city).")
      .max(100, "A site name has at most 100 characters."),
    summary: SiteSummaryContent.describe("The site-summary.json that consilience-site.mjs wrote, as it is."),
  }),
);

export const SiteSummaryJson = responseShape(
  "SiteSummary",
  z.object({
    id: Id,
    studyId: Id,
    site: z.string(),
    version: Count,
    uploadedBy: z.object({ id: Id, name: z.string() }),
    createdAt: IsoTime,
    rows: Count.describe("Rows the site read."),
    profiles: Count,
    interactions: Count,
    withheld: z.array(z.object({ where: z.string(), reason: z.string() })),
    stale: z
      .array(z.string())
      .describe("What changed in the workspace since the site's kit was made (a profile edited, the study changed)."),
    sourceSha256: z.string().describe("SHA-256 of the file the site summarised, for provenance: the file itself never left the site."),
  }),
);

export const SiteSummaryListJson = responseShape("SiteSummaryList", z.object({ items: z.array(SiteSummaryJson) }));
