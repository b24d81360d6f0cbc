/**
 * Idempotency keys (docs/decisions/014-idempotency-keys.md). A POST to the
 * JSON API sent with `Idempotency-Key: <key>` is carried out at most once per
 * caller, key and path: a repeat with the same request gets the first answer
 * again (status and body, marked `Idempotent-Replayed: true`) and creates
 * nothing; the same key with a different request is refused (422). Keys last
 * 24 hours.
 *
 * The key is written in the same transaction as what the request creates:
 * `writeTransaction` calls `claimIdempotencyKey` before it commits a change
 * that records an audit event. So a kill can never leave a creation without
 * its key, and a resend after a kill either finds the key (nothing is created
 * again) or finds nothing because nothing was committed. The answer is stored
 * right after. A kill in between (most often while the change's commit is
 * being flushed to disk: SQLite has handed it to the operating system, which
 * keeps it when the process dies) leaves a key without an answer, and a
 * resend is told what was created instead (409).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, randomUUID } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import { getDb, transaction, type Transaction } from "#db/client.ts";
import { idempotencyKeys, type IdempotencyKeyRow } from "#db/schema.ts";
import type { PublicEvent } from "#app/domain/events.ts";
import { conflict, ServiceError, unprocessable, validationFailed } from "./errors.server.ts";

export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Visible ASCII, as in a UUID or any token a client makes up; at most 255 characters. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** One request that carries a key: who, which key and path, what it asked, and a random id of its own. */
interface Claim {
  userId: string;
  key: string;
  path: string;
  requestHash: string;
  claimedBy: string;
}

interface State {
  /** The claim of the request being answered, seen by `claimIdempotencyKey` inside its transactions. */
  scope: AsyncLocalStorage<Claim>;
  /** Keys whose first request is still being answered in this process. */
  inFlight: Set<string>;
}

// Two copies of this module exist at run time (the server's and the Remix build's); both share one state.
const GLOBAL_KEY = Symbol.for("consilience.idempotency");

function state(): State {
  const g = globalThis as typeof globalThis & { [GLOBAL_KEY]?: State };
  g[GLOBAL_KEY] ??= { scope: new AsyncLocalStorage(), inFlight: new Set() };
  return g[GLOBAL_KEY];
}

const sameKey = (claim: Pick<Claim, "userId" | "key" | "path">) =>
  and(eq(idempotencyKeys.userId, claim.userId), eq(idempotencyKeys.key, claim.key), eq(idempotencyKeys.path, claim.path));

const expiredBefore = () => new Date(Date.now() - IDEMPOTENCY_KEY_LIFETIME_MS);

/**
 * What identifies "the same request": method, path with query, content type
 * and body. A multipart body is taken without its boundary, which clients
 * draw afresh for every send.
 */
async function requestHash(request: Request, url: URL): Promise<string> {
  const contentType = request.headers.get("content-type") ?? "";
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  let body = Buffer.from(await request.clone().arrayBuffer()).toString("latin1");
  if (boundary) body = body.split(boundary).join("");
  return createHash("sha256")
    .update(`${request.method.toUpperCase()} ${url.pathname}${url.search}\n${contentType.replace(/;\s*boundary=[^;]*/i, "")}\n`)
    .update(body, "latin1")
    .digest("hex");
}

function replay(row: IdempotencyKeyRow): Response {
  const status = row.status!;
  const empty = row.body === "" && (status === 204 || status === 205);
  return new Response(empty ? null : row.body, {
    status,
    headers: {
      "Content-Type": row.contentType ?? "application/json; charset=utf-8",
      "Cache-Control": "no-store",
      "Idempotent-Replayed": "true",
    },
  });
}

/**
 * Stores the answer of a request that holds a claim, or of any successful one
 * (which then claims the key). This write does not wait for the disk
 * (a commit that is not durable, db/client.ts): the key was made durable with the
 * change, and a stored answer lost to a power cut only turns a resend's replay
 * into the "answer lost" reply. It saves a disk flush per request, and a kill
 * during that flush can no longer cost the answer.
 */
async function remember(claim: Claim, status: number, contentType: string | null, body: string): Promise<void> {
  await transaction(
    async (tx) => {
      await tx.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, expiredBefore()));
      const answered = await tx
        .update(idempotencyKeys)
        .set({ status, contentType, body })
        .where(and(sameKey(claim), eq(idempotencyKeys.claimedBy, claim.claimedBy)))
        .returning({ key: idempotencyKeys.key });
      // Nothing was claimed in a transaction (the request recorded no change): keep a successful answer all the same.
      if (answered.length === 0 && status >= 200 && status < 300) {
        await tx
          .insert(idempotencyKeys)
          .values({ ...claim, status, contentType, body })
          .onConflictDoNothing();
      }
    },
    { durable: false },
  );
}

/**
 * Answers a request of the JSON API at most once per Idempotency-Key: a POST
 * without the header is simply answered. Refusals are thrown as ServiceErrors
 * (400 for a malformed key, 409 while the first request is still running, 422
 * for a different request under a used key).
 */
export async function answerOnce(request: Request, userId: string, answer: () => Promise<Response>): Promise<Response> {
  const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key === null || request.method.toUpperCase() !== "POST") return answer();
  if (!KEY_PATTERN.test(key)) {
    throw validationFailed(`${IDEMPOTENCY_KEY_HEADER}: use 1 to 255 visible ASCII characters, such as a UUID.`, [
      { field: IDEMPOTENCY_KEY_HEADER, message: "Use 1 to 255 visible ASCII characters, such as a UUID." },
    ]);
  }
  const url = new URL(request.url);
  const claim: Claim = { userId, key, path: url.pathname, requestHash: await requestHash(request, url), claimedBy: randomUUID() };
  const { scope, inFlight } = state();
  const flightId = JSON.stringify([claim.userId, claim.key, claim.path]);

  const stored = (await getDb().select().from(idempotencyKeys).where(sameKey(claim)))[0];
  if (stored && stored.createdAt > expiredBefore()) {
    if (stored.requestHash !== claim.requestHash) {
      throw unprocessable(
        `This ${IDEMPOTENCY_KEY_HEADER} was used for a different request to ${claim.path} in the last 24 hours; use a new key.`,
        [{ field: IDEMPOTENCY_KEY_HEADER, message: "Already used for a different request." }],
      );
    }
    if (stored.status !== null) return replay(stored);
    if (!inFlight.has(flightId)) {
      const created = stored.targetType && stored.targetId ? `: it created ${stored.targetType} ${stored.targetId}` : "";
      throw conflict(
        `This request was carried out, but its answer was lost when the server stopped${created}. Fetch the result instead of sending it again.`,
        [{ message: "Carried out; answer lost.", target: { type: stored.targetType, id: stored.targetId } }],
      );
    }
  }
  if (inFlight.has(flightId)) throw inProgress();

  inFlight.add(flightId);
  try {
    const response = await scope.run(claim, answer);
    const body = await response.text();
    await remember(claim, response.status, response.headers.get("content-type"), body);
    const empty = body === "" && (response.status === 204 || response.status === 205);
    return new Response(empty ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
  } finally {
    inFlight.delete(flightId);
  }
}

const inProgress = () =>
  new ServiceError(
    409,
    "conflict",
    `A request with this ${IDEMPOTENCY_KEY_HEADER} is still being answered; send it again in a moment.`,
    [{ field: IDEMPOTENCY_KEY_HEADER, message: "Still being answered." }],
    { "Retry-After": "1" },
  );

/**
 * Called by `writeTransaction` inside every transaction that records audit
 * events, before it commits: when the request being answered carries a key,
 * the key is written here, so it commits (or rolls back) with the change. A
 * concurrent request that claimed the key first makes this one roll back.
 */
export async function claimIdempotencyKey(tx: Transaction, firstEvent: PublicEvent | undefined): Promise<void> {
  const claim = state().scope.getStore();
  if (!claim || !firstEvent) return;
  const existing = (await tx.select().from(idempotencyKeys).where(sameKey(claim)))[0];
  if (existing?.claimedBy === claim.claimedBy) return;
  if (existing && existing.createdAt > expiredBefore()) throw inProgress();
  if (existing) await tx.delete(idempotencyKeys).where(sameKey(claim));
  await tx.insert(idempotencyKeys).values({ ...claim, targetType: firstEvent.target.type, targetId: firstEvent.target.id });
}
