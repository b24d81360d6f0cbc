/**
 * The two files a site exchanges with the app (docs/decisions/019-site-summaries.md):
 * the site kit it is given and the site summary it writes. Types and fixed
 * values only, so the database schema and the comparison can name them
 * without loading the site's reading code.
 */
import type { CovariateScale } from "./effect-modification.ts";
import type { UnitConvention, ValueType } from "./panels.ts";
import type { PlanProblem } from "./profile-plan.ts";
import type { ProfileCriteria } from "./profiles.ts";

export const SITE_KIT_FORMAT = "consilience-site-kit/1";
export const SITE_SUMMARY_FORMAT = "consilience-site-summary/1";
/** Fewer participants than this in a cell and the cell is not written (the usual small-cell rule). */
export const MINIMUM_CELL_SIZE = 5;

/** A panel biomarker as the import reads it: the value type and plausible range too, so a site reads its file as an upload would. */
export interface SiteKitBiomarker {
  code: string;
  label: string;
  unit: string;
  molarMass: number | null;
  unitConventions: UnitConvention[];
  aliases: string[];
  valueType: ValueType;
  plausibleMin: number | null;
  plausibleMax: number | null;
}

/** What the app hands a site for one study (GET …/studies/:studyId/site-kit.json). */
export interface SiteKit {
  format: typeof SITE_KIT_FORMAT;
  workspace: { id: string; name: string };
  study: {
    id: string;
    title: string;
    version: number;
    arms: { id: string; name: string; class: string }[];
    comparatorArmId: string | null;
    outcomes: { id: string; name: string; kind: "continuous" | "binary" }[];
  };
  panel: { id: string; version: number; biomarkers: SiteKitBiomarker[] } | null;
  profiles: { id: string; version: number; name: string; criteria: ProfileCriteria }[];
  minimumCellSize: number;
  createdAt: string;
}

export type OutcomeCell = { n: number; mean: number; sd: number } | { n: number; events: number };

export interface SiteProfileSummary {
  profileId: string;
  name: string;
  evaluable: boolean;
  problems: PlanProblem[];
  arms: { arm: string; armId: string; n: number; outcomes: Record<string, OutcomeCell> }[];
}

export interface SiteInteraction {
  outcomeId: string;
  biomarker: string;
  scale: CovariateScale;
  per: number;
  /** Study arm ids. */
  intervention: string;
  comparator: string;
  n: number;
  interaction: number;
  se: number;
  effectAtZero: number;
  varEffectAtZero: number;
  covEffectInteraction: number;
  /**
   * The covariate's range on the analysis scale, each end the mean of the
   * `minimumCellSize` most extreme participants: a plain minimum is one
   * person's biomarker value, which the analysis scale does not hide.
   */
  xMin: number;
  xMax: number;
  xMean: number;
}

export interface SiteSummary {
  format: typeof SITE_SUMMARY_FORMAT;
  kit: {
    workspaceId: string;
    studyId: string;
    studyVersion: number;
    panelVersion: number | null;
    profiles: { id: string; version: number }[];
  };
  source: { fileName: string; sha256: string; rows: number };
  createdAt: string;
  minimumCellSize: number;
  profiles: SiteProfileSummary[];
  interactions: SiteInteraction[];
  withheld: { where: string; reason: string }[];
}
