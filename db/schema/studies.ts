/** Studies with their arms and outcome measures. Datasets and results hang off a study. */
import { users } from "./accounts.ts";
import { createdAt, index, integer, table, text, timestamp } from "./columns.ts";
import { panels } from "./panels.ts";
import { workspaces } from "./workspaces.ts";
import { ARM_CLASSES, OUTCOME_KINDS, STUDY_DESIGNS } from "../../app/domain/studies.ts";

export const studies = table(
  "studies",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    design: text("design", { enum: STUDY_DESIGNS }),
    /** Trial registry id, e.g. NCT01559857. */
    registryId: text("registry_id"),
    population: text("population").notNull().default(""),
    /** A protocol of this workspace (kept as a plain id: protocols live in their own area). */
    protocolId: text("protocol_id"),
    panelId: text("panel_id").references(() => panels.id, { onDelete: "set null" }),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("studies_workspace_idx").on(t.workspaceId)],
);

export const studyArms = table(
  "study_arms",
  {
    id: text("id").primaryKey(),
    studyId: text("study_id")
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** The intervention as the study names it: "infliximab", "placebo". */
    name: text("name").notNull(),
    class: text("class", { enum: ARM_CLASSES }).notNull().default("other"),
    dose: text("dose").notNull().default(""),
  },
  (t) => [index("study_arms_study_idx").on(t.studyId)],
);

export const studyOutcomes = table(
  "study_outcomes",
  {
    id: text("id").primaryKey(),
    studyId: text("study_id")
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** The measure: "HAM-D 17", "MADRS", "response (≥50% HAM-D drop)". */
    name: text("name").notNull(),
    kind: text("kind", { enum: OUTCOME_KINDS }).notNull().default("continuous"),
    /** Timepoint of the primary assessment, e.g. "week 12". */
    timepoint: text("timepoint").notNull().default(""),
  },
  (t) => [index("study_outcomes_study_idx").on(t.studyId)],
);

export type Study = typeof studies.$inferSelect;
export type StudyArm = typeof studyArms.$inferSelect;
export type StudyOutcome = typeof studyOutcomes.$inferSelect;
