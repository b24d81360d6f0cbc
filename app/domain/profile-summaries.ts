/**
 * What a patient profile selects in a participant-level dataset: per arm, how
 * many participants match, and the outcome summaries among those who match.
 * Computed by the participant-summaries service; read by the comparison and
 * the profile page.
 */
import type { PlanProblem } from "./profile-plan.ts";

export interface ArmCounts {
  arm: string;
  total: number;
  matched: number;
  notMatched: number;
  /** Participants the profile could not be decided for (a value it needs is missing). */
  missing: number;
}

export interface OutcomeArmSummary {
  /** Matched participants with a value for the outcome. */
  n: number;
  mean: number;
  sd: number;
  /** Binary outcomes: participants with the event. */
  events: number;
}

export interface DatasetProfileSummary {
  evaluable: boolean;
  problems: PlanProblem[];
  conversions: string[];
  arms: ArmCounts[];
  /** By study outcome id. */
  outcomes: Record<string, { definition: string; kind: "continuous" | "binary"; arms: Record<string, OutcomeArmSummary> }>;
}

/** A profile's counts in every participant-level dataset of the workspace (the profile page and GET …/profiles/:id/counts). */
export interface ProfileCountsView {
  profileId: string;
  version: number;
  datasets: {
    studyId: string;
    studyTitle: string;
    datasetId: string;
    datasetName: string;
    version: number;
    evaluable: boolean;
    problems: DatasetProfileSummary["problems"];
    conversions: string[];
    arms: DatasetProfileSummary["arms"];
  }[];
}
