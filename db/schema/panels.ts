/**
 * Biomarker panels: the consortium's data dictionary. Each edit bumps the
 * panel's version and stores a snapshot, so earlier definitions stay visible.
 */
import { users } from "./accounts.ts";
import { createdAt, index, integer, json, real, table, text, timestamp, uniqueIndex } from "./columns.ts";
import { workspaces } from "./workspaces.ts";
import type { Category } from "../../app/domain/categories.ts";
import { type Cutoff, type UnitConvention, VALUE_TYPES } from "../../app/domain/panels.ts";

export const panels = table(
  "panels",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("panels_workspace_idx").on(t.workspaceId)],
);

export const panelBiomarkers = table(
  "panel_biomarkers",
  {
    id: text("id").primaryKey(),
    panelId: text("panel_id")
      .notNull()
      .references(() => panels.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** Short machine name, unique in the panel: "hs_crp", "bmi". */
    code: text("code").notNull(),
    label: text("label").notNull(),
    loinc: text("loinc"),
    specimen: text("specimen"),
    /** UCUM unit of the panel: values are harmonised to it. Empty for unitless values. */
    unit: text("unit").notNull().default(""),
    valueType: text("value_type", { enum: VALUE_TYPES }).notNull().default("numeric"),
    /** The coded answers of a category biomarker, in order ([{code, label}]); empty for other value types. */
    categories: json("categories").$type<Category[]>().notNull().default([]),
    plausibleMin: real("plausible_min"),
    plausibleMax: real("plausible_max"),
    cutoffs: json("cutoffs").$type<Cutoff[]>().notNull().default([]),
    /** g/mol, for mass ↔ molar conversion (glucose 180.16). */
    molarMass: real("molar_mass"),
    unitConventions: json("unit_conventions").$type<UnitConvention[]>().notNull().default([]),
    /** Other column names that mean this biomarker in uploaded files ("CRP", "hsCRP"). */
    aliases: json("aliases").$type<string[]>().notNull().default([]),
    description: text("description").notNull().default(""),
  },
  (t) => [uniqueIndex("panel_biomarkers_code_unique").on(t.panelId, t.code)],
);

export const panelVersions = table(
  "panel_versions",
  {
    id: text("id").primaryKey(),
    panelId: text("panel_id")
      .notNull()
      .references(() => panels.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** The whole panel (name, description, biomarkers) as it was at this version. */
    snapshot: json("snapshot").$type<Record<string, unknown>>().notNull(),
    note: text("note"),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("panel_versions_unique").on(t.panelId, t.version)],
);

export type Panel = typeof panels.$inferSelect;
export type PanelBiomarker = typeof panelBiomarkers.$inferSelect;
