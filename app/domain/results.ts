/** The kinds of summary-level result a study reports, and the measures a reported estimate may be on. */
export const RESULT_TYPES = ["continuous", "binary", "estimate"] as const;
export const ESTIMATE_MEASURES = ["SMD", "MD", "OR", "RR"] as const;
