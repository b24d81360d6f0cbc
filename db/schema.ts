/**
 * The database schema, one file per area under db/schema/. A new area adds
 * its file there and one line here; `npm run db:generate` then writes the
 * migration from the whole schema.
 */
export * from "./schema/accounts.ts";
export * from "./schema/workspaces.ts";
export * from "./schema/events.ts";
export * from "./schema/panels.ts";
export * from "./schema/studies.ts";
export * from "./schema/results.ts";
export * from "./schema/comments.ts";
export * from "./schema/datasets.ts";
export * from "./schema/goals.ts";
export * from "./schema/notifications.ts";
export * from "./schema/email.ts";
export * from "./schema/protocols.ts";
export * from "./schema/profiles.ts";
export * from "./schema/idempotency.ts";
export * from "./schema/site-summaries.ts";
export * from "./schema/protocol-drafts.ts";
export * from "./schema/snapshots.ts";
export * from "./schema/registrations.ts";
