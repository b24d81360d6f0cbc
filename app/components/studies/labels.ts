/** How study vocabulary reads on screen. */
export const DESIGN_LABELS: Record<string, string> = {
  rct: "Randomised controlled trial",
  crossover: "Crossover trial",
  cohort: "Cohort study",
  "case-control": "Case–control study",
  "cross-sectional": "Cross-sectional study",
  "open-label": "Open-label trial",
  other: "Other design",
};

export const ARM_CLASS_LABELS: Record<string, string> = {
  "anti-inflammatory": "Anti-inflammatory",
  metabolic: "Metabolic",
  lifestyle: "Lifestyle",
  antidepressant: "Antidepressant",
  placebo: "Placebo",
  other: "Other",
};

/** A registry id links to its registry when we know where it lives. */
export function registryUrl(registryId: string | null): string | null {
  if (!registryId) return null;
  if (/^NCT\d{8}$/i.test(registryId)) return `https://clinicaltrials.gov/study/${registryId.toUpperCase()}`;
  if (/^ISRCTN\d+$/i.test(registryId)) return `https://www.isrctn.com/${registryId.toUpperCase()}`;
  return null;
}
