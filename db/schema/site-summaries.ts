/**
 * Site summaries: what a partner that may not share participant-level data
 * computed at its own site with consilience-site.mjs (docs/decisions/019):
 * per-arm summaries per profile and per-trial interactions, small cells
 * withheld. Each upload is a new version of the study's summary from that
 * site; the newest feeds the comparison and the effect-modification view.
 */
import type { SiteSummary } from "../../app/domain/site-summary-format.ts";
import { users } from "./accounts.ts";
import { createdAt, index, integer, json, table, text, uniqueIndex } from "./columns.ts";
import { studies } from "./studies.ts";
import { workspaces } from "./workspaces.ts";

export const siteSummaries = table(
  "site_summaries",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    studyId: text("study_id")
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    /** The site, as the uploader names it ("Leiden"). */
    site: text("site").notNull(),
    /** Counts 1, 2, … per (study, site). */
    version: integer("version").notNull(),
    content: json("content").$type<SiteSummary>().notNull(),
    uploadedBy: text("uploaded_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("site_summaries_version_unique").on(t.studyId, t.site, t.version),
    index("site_summaries_workspace_idx").on(t.workspaceId),
  ],
);

export type SiteSummaryRow = typeof siteSummaries.$inferSelect;
