/**
 * Snapshots: a lead freezes the comparison, or one of its cells, for
 * publication (docs/decisions/027-snapshots.md). The inputs are gathered by
 * the live comparison's own service, so a snapshot holds exactly what the
 * page showed; the whole record is stored as canonical JSON (RFC 8785) with
 * its SHA-256, and never changes: the database refuses updates and deletes.
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { getDb, type Reader } from "#db/client.ts";
import { snapshots, snapshotWithdrawals, users, workspaces, type SnapshotRow } from "#db/schema.ts";
import { inputsOfRow } from "#app/domain/comparison.ts";
import { compareEffectModification } from "#app/domain/effect-modification-diff.ts";
import {
  compareSnapshots,
  forestsOf,
  comparisonOptions,
  SNAPSHOT_FORMAT,
  type SnapshotAnalysis,
  type SnapshotContent,
  type SnapshotOptions,
  type SnapshotScope,
  type SnapshotScopeKind,
} from "#app/domain/snapshots.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { SnapshotDiffView, SnapshotSummaryView, SnapshotView } from "#app/public-shapes/snapshots.ts";
import { CreateSnapshotInput, WithdrawSnapshotInput } from "#app/schemas/snapshots.ts";
import { getComparison } from "./comparison.server.ts";
import { comparedAnalysis, effectModificationChangesSince, gatherEffectModification } from "./effect-modification-snapshots.server.ts";
import { authorsOf, canonicalText, sha256, studyVersions } from "./frozen-records.server.ts";
import { newId } from "./crypto.server.ts";
import { conflict, notFound, unprocessable, validationFailed } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { workspaceProfiles } from "./profiles.server.ts";
import { parseInput } from "./validation.server.ts";

export type { SnapshotDiffView, SnapshotSummaryView, SnapshotView };

type Analysis = Pick<
  SnapshotContent,
  "scope" | "options" | "outcome" | "profiles" | "studies" | "inputs" | "setAside" | "outputs" | "effectModification"
>;

function invalid(field: string, message: string): never {
  throw validationFailed(`${field}: ${message}`, [{ field, message }]);
}

/**
 * The analysis as the live comparison gives it now, for the scope: the numbers
 * of its rows and each row's forest plot, the inputs behind them with their
 * provenance, and the versions of the profiles, studies and panels involved.
 */
async function gatherAnalysis(
  actor: PublicUser,
  workspaceId: string,
  query: Record<string, unknown>,
  scope: SnapshotScope,
): Promise<Analysis> {
  const view = await getComparison(actor, workspaceId, query);
  const options: SnapshotOptions = {
    outcome: view.outcome?.name ?? null,
    measure: view.measure,
    method: view.method,
    knha: view.knha,
    prefer: view.prefer,
    exclude: view.exclude,
  };
  let profileIds = view.profiles.map((p) => p.id);
  let rows = view.rows;
  let inputs = view.inputs;
  let setAside = view.setAside;
  if (scope.kind === "cell") {
    const row = view.rows.find((r) => r.key === scope.row);
    if (!row) invalid("row", "No such row in this comparison (rows are keyed class:<class> or intervention:<name>).");
    if (scope.profileId && !profileIds.includes(scope.profileId)) invalid("profile", "No patient profile with this id in this workspace.");
    const chosen = scope.profileId ? [scope.profileId] : profileIds;
    rows = [{ ...row, cells: row.cells.filter((_, i) => chosen.includes(profileIds[i])) }];
    profileIds = chosen;
    inputs = inputsOfRow(view.inputs, row.key).filter((i) => chosen.includes(i.profileId));
    const kept = new Set(inputs.map((i) => i.id));
    setAside = view.setAside.filter((s) => kept.has(s.usedInstead));
  }
  const criteria = new Map((await workspaceProfiles(getDb(), workspaceId)).map((p) => [p.id, p.criteria]));
  const profiles = view.profiles
    .filter((p) => profileIds.includes(p.id))
    .map((p) => ({
      id: p.id,
      name: p.name,
      version: p.version,
      text: p.text,
      description: p.description,
      criteria: criteria.get(p.id) ?? null,
      // Whether it was pre-registered, as the live view said when frozen (decision 031; snapshots before it lack this).
      registration: p.registration ?? null,
    }));
  return {
    scope,
    options,
    outcome: view.outcome && {
      key: view.outcome.key,
      name: view.outcome.name,
      kind: view.outcome.kind,
      higherIsBetter: view.outcome.higherIsBetter,
    },
    profiles,
    studies: await studyVersions(getDb(), [...new Set(inputs.map((i) => i.studyId))]),
    inputs,
    setAside,
    outputs: { rows, forests: forestsOf(rows, inputs, profileIds, comparisonOptions(options)) },
  };
}

function scopeOf(parsed: { scope: SnapshotScopeKind; row?: string; profile?: string }): SnapshotScope {
  if (parsed.scope === "comparison") return { kind: "comparison" };
  if (parsed.scope === "effect-modification") return { kind: "effect-modification" };
  if (!parsed.row) invalid("row", "Give the row to freeze (an intervention or class key).");
  return { kind: "cell", row: parsed.row, profileId: parsed.profile || null };
}

export async function createSnapshot(actor: PublicUser, workspaceId: string, input: unknown): Promise<SnapshotSummaryView> {
  await requireWorkspaceRole(actor.id, workspaceId, "lead");
  const parsed = parseInput(CreateSnapshotInput, input);
  const scope = scopeOf(parsed);
  const { title, authors: authorIds, licence, scope: _scope, row: _row, profile: _profile, ...query } = parsed;
  const analysis =
    scope.kind === "effect-modification"
      ? await gatherEffectModification(actor, workspaceId, query)
      : await gatherAnalysis(actor, workspaceId, query, scope);
  if (scope.kind !== "effect-modification" && !analysis.outputs.rows.length)
    throw unprocessable("Nothing to freeze: no study gives an effect for this outcome yet.", [{ field: "outcome", message: "No rows." }]);
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "lead", tx);
    const authors = await authorsOf(tx, workspaceId, authorIds.length ? authorIds : [actor.id]);
    const [workspace] = await tx
      .select({ id: workspaces.id, name: workspaces.name })
      .from(workspaces)
      .where(eq(workspaces.id, workspaceId));
    const previous = await tx
      .select({ id: snapshots.id, number: snapshots.number, hash: snapshots.hash })
      .from(snapshots)
      .where(eq(snapshots.workspaceId, workspaceId))
      .orderBy(asc(snapshots.number));
    const number = (previous.at(-1)?.number ?? 0) + 1;
    // Kept to the millisecond both engines store, so the row's time and the content's agree.
    const createdAt = new Date();
    const content: SnapshotContent = {
      format: SNAPSHOT_FORMAT,
      metadata: {
        title,
        number,
        authors,
        licence,
        createdAt: createdAt.toISOString(),
        createdBy: actor.name,
        workspace: { id: workspace.id, name: workspace.name },
        previous,
      },
      ...analysis,
    };
    const text = canonicalText(content);
    const row = {
      id: newId(),
      workspaceId,
      number,
      title,
      scope: scope.kind,
      content: text,
      hash: sha256(text),
      createdBy: actor.id,
      createdAt,
    };
    await tx.insert(snapshots).values(row);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "snapshot.created",
      target: { type: "snapshot", id: row.id },
      payload: { title, number, scope: scope.kind, hash: row.hash },
    });
    return { ...summaryOf(row, actor.name), withdrawn: null };
  });
}

function summaryOf(row: Omit<SnapshotRow, "content">, creatorName: string): Omit<SnapshotSummaryView, "withdrawn"> {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    number: row.number,
    title: row.title,
    scope: row.scope as SnapshotScopeKind,
    hash: row.hash,
    createdAt: row.createdAt,
    createdBy: { id: row.createdBy, name: creatorName },
  };
}

async function withdrawalsOf(db: Reader, snapshotIds: string[]) {
  if (!snapshotIds.length) return new Map<string, SnapshotSummaryView["withdrawn"]>();
  const rows = await db
    .select({ w: snapshotWithdrawals, name: users.name })
    .from(snapshotWithdrawals)
    .innerJoin(users, eq(users.id, snapshotWithdrawals.withdrawnBy))
    .where(inArray(snapshotWithdrawals.snapshotId, snapshotIds));
  return new Map(rows.map((r) => [r.w.snapshotId, { reason: r.w.reason, by: { id: r.w.withdrawnBy, name: r.name }, at: r.w.createdAt }]));
}

const headerColumns = {
  id: snapshots.id,
  workspaceId: snapshots.workspaceId,
  number: snapshots.number,
  title: snapshots.title,
  scope: snapshots.scope,
  hash: snapshots.hash,
  createdBy: snapshots.createdBy,
  createdAt: snapshots.createdAt,
  creatorName: users.name,
};

/** The workspace's snapshots, newest first (a workspace keeps tens, not thousands: one page). */
export async function listSnapshots(actor: PublicUser, workspaceId: string): Promise<SnapshotSummaryView[]> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  const rows = await db
    .select(headerColumns)
    .from(snapshots)
    .innerJoin(users, eq(users.id, snapshots.createdBy))
    .where(eq(snapshots.workspaceId, workspaceId))
    .orderBy(desc(snapshots.number));
  const withdrawn = await withdrawalsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map(({ creatorName, ...row }) => ({ ...summaryOf(row, creatorName), withdrawn: withdrawn.get(row.id) ?? null }));
}

async function loadSnapshot(db: Reader, workspaceId: string, snapshotId: string): Promise<SnapshotView> {
  const [found] = await db
    .select({ ...headerColumns, content: snapshots.content })
    .from(snapshots)
    .innerJoin(users, eq(users.id, snapshots.createdBy))
    .where(and(eq(snapshots.id, snapshotId), eq(snapshots.workspaceId, workspaceId)));
  if (!found) throw notFound("No snapshot with this id in this workspace.");
  const { creatorName, content, ...row } = found;
  const withdrawn = (await withdrawalsOf(db, [row.id])).get(row.id) ?? null;
  return { ...summaryOf(row, creatorName), withdrawn, content: JSON.parse(content) as SnapshotContent };
}

/** A snapshot as it was frozen (with a withdrawal notice once there is one). */
export async function getSnapshot(actor: PublicUser, workspaceId: string, snapshotId: string): Promise<SnapshotView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return await loadSnapshot(getDb(), workspaceId, snapshotId);
}

/** A lead withdraws a snapshot (an error found after publication): it stays readable, with the reason beside it. */
export async function withdrawSnapshot(actor: PublicUser, workspaceId: string, snapshotId: string, input: unknown): Promise<SnapshotView> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "lead", tx);
    const snapshot = await loadSnapshot(tx, workspaceId, snapshotId);
    const { reason } = parseInput(WithdrawSnapshotInput, input);
    if (snapshot.withdrawn) throw conflict("This snapshot was already withdrawn.", [{ withdrawnAt: snapshot.withdrawn.at.toISOString() }]);
    const at = new Date();
    await tx.insert(snapshotWithdrawals).values({ snapshotId, reason, withdrawnBy: actor.id, createdAt: at });
    await record({
      workspaceId,
      actorId: actor.id,
      type: "snapshot.withdrawn",
      target: { type: "snapshot", id: snapshotId },
      payload: { title: snapshot.title, number: snapshot.number, reason },
    });
    return { ...snapshot, withdrawn: { reason, by: { id: actor.id, name: actor.name }, at } };
  });
}

const reference = (s: SnapshotView) => ({ id: s.id, number: s.number, hash: s.hash });

/** What each kind of snapshot answers, for a refusal that says why two of them are not compared. */
const QUESTION = {
  comparison: "of the comparison",
  "effect-modification": "of an effect-modification analysis (who benefits)",
} as const;
const questionOf = (s: SnapshotView): keyof typeof QUESTION => (s.content.effectModification ? "effect-modification" : "comparison");

/** What differs between two snapshots of the workspace (from the first to the second), when they answer the same kind of question. */
export async function diffSnapshots(
  actor: PublicUser,
  workspaceId: string,
  snapshotId: string,
  otherId: string,
): Promise<SnapshotDiffView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const db = getDb();
  const from = await loadSnapshot(db, workspaceId, snapshotId);
  const to = await loadSnapshot(db, workspaceId, otherId);
  const [a, b] = [questionOf(from), questionOf(to)];
  if (a !== b)
    throw unprocessable(
      `Snapshot ${from.number} is ${QUESTION[a]} and snapshot ${to.number} is ${QUESTION[b]}: they answer different questions, so they are not compared.`,
      [{ field: "otherId", message: `Choose a snapshot ${QUESTION[a]}.` }],
    );
  const diff =
    from.content.effectModification && to.content.effectModification
      ? compareEffectModification(comparedAnalysis(from.content.effectModification), comparedAnalysis(to.content.effectModification))
      : compareSnapshots(from.content, to.content);
  return { from: reference(from), to: reference(to), diff };
}

/**
 * What changed since the snapshot in the live view: the same question (scope
 * and options) asked of the workspace as it is now. When the live view can no
 * longer answer it (the outcome is gone), says so instead.
 */
export async function snapshotChangesSince(
  actor: PublicUser,
  workspaceId: string,
  snapshot: SnapshotView,
): Promise<{ diff: SnapshotDiffView } | { unavailable: string }> {
  const { options, scope, effectModification } = snapshot.content;
  if (effectModification) {
    const changes = await effectModificationChangesSince(actor, workspaceId, effectModification);
    return "diff" in changes ? { diff: { from: reference(snapshot), to: null, diff: changes.diff } } : changes;
  }
  const query = { ...options, outcome: options.outcome ?? undefined };
  let live: SnapshotAnalysis;
  try {
    live = await gatherAnalysis(actor, workspaceId, query, scope);
  } catch (error) {
    if (error instanceof Error && "status" in error && (error.status === 400 || error.status === 404))
      return { unavailable: `The live view cannot ask this question any more: ${error.message}` };
    throw error;
  }
  return { diff: { from: reference(snapshot), to: null, diff: compareSnapshots(snapshot.content, live) } };
}

/** The live analysis's differences from a snapshot, for the API (GET …/snapshots/{id}/changes). */
export async function getSnapshotChanges(actor: PublicUser, workspaceId: string, snapshotId: string): Promise<SnapshotDiffView> {
  const snapshot = await getSnapshot(actor, workspaceId, snapshotId);
  const changes = await snapshotChangesSince(actor, workspaceId, snapshot);
  if ("unavailable" in changes) throw unprocessable(changes.unavailable);
  return changes.diff;
}
