/** How the API writes a site summary's record (the summary itself stays as the site wrote it). */
import type { z } from "zod";
import type { SiteSummaryJson } from "#app/schemas/site-summaries.ts";
import type { SiteSummary } from "#app/domain/site-summary-format.ts";

export const siteSummaryJson = (v: SiteSummaryView): z.output<typeof SiteSummaryJson> => ({ ...v, createdAt: v.createdAt.toISOString() });

/** One version of one site's summary of a study, with what changed since its kit was made. */
export interface SiteSummaryView {
  id: string;
  studyId: string;
  site: string;
  version: number;
  uploadedBy: { id: string; name: string };
  createdAt: Date;
  rows: number;
  profiles: number;
  interactions: number;
  withheld: SiteSummary["withheld"];
  stale: string[];
  sourceSha256: string;
}
