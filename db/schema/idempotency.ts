/**
 * Idempotency keys of the JSON API (docs/decisions/014-idempotency-keys.md):
 * a POST sent with `Idempotency-Key` is carried out once per caller, key and
 * path; a repeat gets the stored answer. The row is written in the same
 * transaction as what the request created, and its answer right after.
 */
import { users } from "./accounts.ts";
import { createdAt, index, integer, primaryKey, table, text } from "./columns.ts";

export const idempotencyKeys = table(
  "idempotency_keys",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** The request path, without the query string. */
    path: text("path").notNull(),
    /** SHA-256 of the method, path with query, content type and body: a repeat must match it. */
    requestHash: text("request_hash").notNull(),
    /** Which request wrote the row (a random id per request), so its later transactions recognise it. */
    claimedBy: text("claimed_by").notNull(),
    /** What the request created first (its first audit event's target), for an answer lost in a crash. */
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** The stored answer; null until the request has answered. */
    status: integer("status"),
    contentType: text("content_type"),
    body: text("body"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key, t.path] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
