/**
 * Summary-level results: the effect of an intervention arm against a
 * comparator arm on one outcome, in the whole sample or a subgroup, as a
 * study reported it (means/SDs/Ns, events/Ns, or an estimate with its CI).
 */
import { users } from "./accounts.ts";
import { createdAt, index, integer, real, table, text, timestamp } from "./columns.ts";
import { studies, studyArms, studyOutcomes } from "./studies.ts";
import { workspaces } from "./workspaces.ts";
import { ESTIMATE_MEASURES, RESULT_TYPES } from "../../app/domain/results.ts";

export const results = table(
  "results",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    studyId: text("study_id")
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    outcomeId: text("outcome_id")
      .notNull()
      .references(() => studyOutcomes.id),
    interventionArmId: text("intervention_arm_id")
      .notNull()
      .references(() => studyArms.id),
    comparatorArmId: text("comparator_arm_id")
      .notNull()
      .references(() => studyArms.id),
    /** The subgroup as the study defined it ("CRP > 5 mg/L"); empty for the whole sample. */
    subgroup: text("subgroup").notNull().default(""),
    timepoint: text("timepoint").notNull().default(""),
    type: text("type", { enum: RESULT_TYPES }).notNull(),
    // continuous: mean, SD and N per arm; binary: events and N per arm.
    interventionMean: real("intervention_mean"),
    interventionSd: real("intervention_sd"),
    interventionN: integer("intervention_n"),
    interventionEvents: integer("intervention_events"),
    comparatorMean: real("comparator_mean"),
    comparatorSd: real("comparator_sd"),
    comparatorN: integer("comparator_n"),
    comparatorEvents: integer("comparator_events"),
    // estimate: as reported, on its natural scale (ratios as ratios, not logs).
    measure: text("measure", { enum: ESTIMATE_MEASURES }),
    estimate: real("estimate"),
    ciLower: real("ci_lower"),
    ciUpper: real("ci_upper"),
    /** Where the numbers come from (paper, table, page). */
    source: text("source").notNull().default(""),
    notes: text("notes").notNull().default(""),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("results_workspace_idx").on(t.workspaceId), index("results_study_idx").on(t.studyId)],
);

export type Result = typeof results.$inferSelect;
