/**
 * The answer of GET /api/v1/workspaces/:ws/studies/:studyId/site-kit.json:
 * what a site needs to summarise participant-level data that cannot leave it
 * (docs/decisions/019-site-summaries.md). The site's command reads it as the
 * TypeScript type SiteKit of app/domain/site-summary.ts, without zod.
 */
import { z } from "zod";
import { VALUE_TYPES } from "#app/domain/panels.ts";
import { MINIMUM_CELL_SIZE, SITE_KIT_FORMAT } from "#app/domain/site-summary-format.ts";
import { responseShape } from "./components.ts";
import { Count, Id, IsoTime } from "./json.ts";
import { ProfileCriteriaJson } from "./profiles.ts";

export const SiteKitJson = responseShape(
  "SiteKit",
  z.object({
    format: z.literal(SITE_KIT_FORMAT),
    workspace: z.object({ id: Id, name: z.string() }),
    study: z.object({
      id: Id,
      title: z.string(),
      version: Count.describe("The study version the kit was made from; the summary names it."),
      arms: z.array(z.object({ id: Id, name: z.string(), class: z.string() })),
      comparatorArmId: Id.nullable().describe("The first placebo arm, or the second of exactly two arms; null when neither."),
      outcomes: z.array(z.object({ id: Id, name: z.string(), kind: z.enum(["continuous", "binary"]) })),
    }),
    panel: z
      .object({
        id: Id,
        version: Count,
        biomarkers: z.array(
          z.object({
            code: z.string(),
            label: z.string(),
            unit: z.string(),
            molarMass: z.number().nullable(),
            unitConventions: z.array(z.object({ unit: z.string(), factor: z.number(), note: z.string() })),
            aliases: z.array(z.string()),
            valueType: z.enum(VALUE_TYPES),
            plausibleMin: z.number().nullable(),
            plausibleMax: z.number().nullable(),
          }),
        ),
      })
      .nullable()
      .describe("The study's panel, for recognising columns and converting units; null when the study has none."),
    profiles: z.array(z.object({ id: Id, version: Count, name: z.string(), criteria: ProfileCriteriaJson })),
    minimumCellSize: z.literal(MINIMUM_CELL_SIZE).describe("Cells with fewer participants are withheld from the site's summary."),
    createdAt: IsoTime,
  }),
);
