/** A study's fixed vocabularies: designs, classes of intervention arm, kinds of outcome. */
export const STUDY_DESIGNS = ["rct", "crossover", "cohort", "case-control", "cross-sectional", "open-label", "other"] as const;
export const ARM_CLASSES = ["anti-inflammatory", "metabolic", "lifestyle", "antidepressant", "placebo", "other"] as const;
export const OUTCOME_KINDS = ["continuous", "binary"] as const;
