/**
 * Patient profiles: named, structured criteria over panel biomarkers and
 * participant attributes (criteria JSON, see app/domain/profiles.ts). Each
 * edit bumps the version and keeps a snapshot, so earlier definitions stay
 * visible. Summary-level results reported for a subgroup are mapped to a
 * profile in a table of their own, so a result's own version and history are
 * untouched by mapping it (docs/decisions/010-patient-profiles-and-comparison.md).
 */
import type { ProfileCriteria } from "#app/domain/profiles.ts";
import { users } from "./accounts.ts";
import { createdAt, index, integer, json, table, text, timestamp, uniqueIndex } from "./columns.ts";
import { results } from "./results.ts";
import { workspaces } from "./workspaces.ts";

export const profiles = table(
  "profiles",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    criteria: json("criteria").$type<ProfileCriteria>().notNull(),
    /** The order profiles take as columns of the comparison. */
    position: integer("position").notNull().default(0),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("profiles_workspace_idx").on(t.workspaceId)],
);

export const profileVersions = table(
  "profile_versions",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** name, description and criteria as they were at this version. */
    snapshot: json("snapshot").$type<{ name: string; description: string; criteria: ProfileCriteria }>().notNull(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("profile_versions_unique").on(t.profileId, t.version)],
);

/** A summary-level result stands for (at most) one profile; who mapped it and when. */
export const resultProfileMappings = table(
  "result_profile_mappings",
  {
    resultId: text("result_id")
      .primaryKey()
      .references(() => results.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    profileId: text("profile_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "cascade" }),
    mappedBy: text("mapped_by")
      .notNull()
      .references(() => users.id),
    mappedAt: timestamp("mapped_at").notNull(),
  },
  (t) => [index("result_profile_mappings_workspace_idx").on(t.workspaceId)],
);

export type Profile = typeof profiles.$inferSelect;
export type ResultProfileMapping = typeof resultProfileMappings.$inferSelect;
