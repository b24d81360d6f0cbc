/** Summary-level results: the kinds a study reports, the measures an estimate may be on, and how one reads. */
export const RESULT_TYPES = ["continuous", "binary", "estimate"] as const;
export const ESTIMATE_MEASURES = ["SMD", "MD", "OR", "RR"] as const;

/** A result's numbers: means/SDs/Ns per arm, events/Ns per arm, or a reported estimate with its 95% CI. */
export type ResultData =
  | { type: "continuous"; intervention: { mean: number; sd: number; n: number }; comparator: { mean: number; sd: number; n: number } }
  | { type: "binary"; intervention: { events: number; n: number }; comparator: { events: number; n: number } }
  | {
      type: "estimate";
      measure: (typeof ESTIMATE_MEASURES)[number];
      estimate: number;
      ciLower: number;
      ciUpper: number;
      interventionN?: number;
      comparatorN?: number;
    };

/** One result as pages and the API show it. */
export interface ResultView {
  id: string;
  studyId: string;
  studyTitle: string;
  outcome: { id: string; name: string; kind: string };
  intervention: { id: string; name: string; class: string; dose: string };
  comparator: { id: string; name: string; class: string; dose: string };
  subgroup: string;
  timepoint: string;
  data: ResultData;
  source: string;
  notes: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
