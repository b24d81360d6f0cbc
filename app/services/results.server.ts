/**
 * Summary-level results of a study: an intervention arm against a comparator
 * on one outcome, in the whole sample or a subgroup. They feed the comparison view.
 */
import { and, asc, count, eq } from "drizzle-orm";
import { getDb, type Transaction } from "#db/client.ts";
import { results, type Result } from "#db/schema.ts";
import { CreateResultInput, ResultsQuery, UpdateResultInput } from "#app/schemas/results.ts";
import { type ResultRecord, resultJson } from "#app/public-shapes/results.ts";
import type { PublicUser } from "./accounts.server.ts";
import { newId } from "./crypto.server.ts";
import { notFound, validationFailed } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { loadStudy, type StudyView } from "./studies.server.ts";
import { parseInput } from "./validation.server.ts";
import { rejectStaleEdit } from "./versions.server.ts";

type Data = ResultRecord["data"];

/** The stored columns for one kind of result data; the other kinds' columns are cleared. */
function dataColumns(data: Data) {
  const empty = {
    interventionMean: null,
    interventionSd: null,
    interventionN: null,
    interventionEvents: null,
    comparatorMean: null,
    comparatorSd: null,
    comparatorN: null,
    comparatorEvents: null,
    measure: null,
    estimate: null,
    ciLower: null,
    ciUpper: null,
  };
  switch (data.type) {
    case "continuous":
      return {
        ...empty,
        type: data.type,
        interventionMean: data.intervention.mean,
        interventionSd: data.intervention.sd,
        interventionN: data.intervention.n,
        comparatorMean: data.comparator.mean,
        comparatorSd: data.comparator.sd,
        comparatorN: data.comparator.n,
      };
    case "binary":
      return {
        ...empty,
        type: data.type,
        interventionEvents: data.intervention.events,
        interventionN: data.intervention.n,
        comparatorEvents: data.comparator.events,
        comparatorN: data.comparator.n,
      };
    case "estimate":
      return {
        ...empty,
        type: data.type,
        measure: data.measure,
        estimate: data.estimate,
        ciLower: data.ciLower,
        ciUpper: data.ciUpper,
        interventionN: data.interventionN ?? null,
        comparatorN: data.comparatorN ?? null,
      };
  }
}

function dataOf(row: Result): Data {
  switch (row.type) {
    case "continuous":
      return {
        type: "continuous",
        intervention: { mean: row.interventionMean!, sd: row.interventionSd!, n: row.interventionN! },
        comparator: { mean: row.comparatorMean!, sd: row.comparatorSd!, n: row.comparatorN! },
      };
    case "binary":
      return {
        type: "binary",
        intervention: { events: row.interventionEvents!, n: row.interventionN! },
        comparator: { events: row.comparatorEvents!, n: row.comparatorN! },
      };
    case "estimate":
      return {
        type: "estimate",
        measure: row.measure!,
        estimate: row.estimate!,
        ciLower: row.ciLower!,
        ciUpper: row.ciUpper!,
        ...(row.interventionN !== null ? { interventionN: row.interventionN } : {}),
        ...(row.comparatorN !== null ? { comparatorN: row.comparatorN } : {}),
      };
  }
}

function invalid(field: string, message: string): never {
  throw validationFailed(`${field}: ${message}`, [{ field, message }]);
}

export async function createResult(actor: PublicUser, workspaceId: string, input: unknown): Promise<ResultRecord> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const data = parseInput(CreateResultInput, input);
    let study: StudyView;
    try {
      study = await loadStudy(tx, workspaceId, data.studyId);
    } catch {
      invalid("studyId", "No study with this id in this workspace.");
    }
    const armIds = new Set(study.arms.map((a) => a.id));
    if (!armIds.has(data.interventionArmId)) invalid("interventionArmId", "This arm is not an arm of the study.");
    if (!armIds.has(data.comparatorArmId)) invalid("comparatorArmId", "This arm is not an arm of the study.");
    const outcome = study.outcomes.find((o) => o.id === data.outcomeId);
    if (!outcome) invalid("outcomeId", "This outcome is not an outcome of the study.");
    if (outcome.kind === "binary" && data.data.type === "continuous")
      invalid("data.type", `${outcome.name} is a binary outcome: give events and N.`);
    if (outcome.kind === "continuous" && data.data.type === "binary")
      invalid("data.type", `${outcome.name} is a continuous outcome: give means, SDs and N.`);
    const now = new Date();
    const row = {
      id: newId(),
      workspaceId,
      studyId: study.id,
      outcomeId: data.outcomeId,
      interventionArmId: data.interventionArmId,
      comparatorArmId: data.comparatorArmId,
      subgroup: data.subgroup,
      timepoint: data.timepoint,
      ...dataColumns(data.data),
      source: data.source,
      notes: data.notes,
      version: 1,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(results).values(row);
    const view = await loadResult(tx, workspaceId, row.id);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "result.created",
      target: { type: "result", id: row.id },
      payload: {
        studyId: study.id,
        study: study.title,
        intervention: view.intervention.name,
        comparator: view.comparator.name,
        subgroup: row.subgroup,
        result: resultJson(view),
      },
    });
    return view;
  });
}

export async function updateResult(actor: PublicUser, workspaceId: string, resultId: string, input: unknown): Promise<ResultRecord> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const before = await loadResult(tx, workspaceId, resultId);
    const changes = parseInput(UpdateResultInput, input);
    await rejectStaleEdit(changes.baseVersion, before.version, { what: "result", current: () => resultJson(before) });
    const { baseVersion: _, data, ...fields } = changes;
    await tx
      .update(results)
      .set({ ...fields, ...(data ? dataColumns(data) : {}), version: before.version + 1, updatedAt: new Date() })
      .where(eq(results.id, resultId));
    const after = await loadResult(tx, workspaceId, resultId);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "result.updated",
      target: { type: "result", id: resultId },
      payload: { version: after.version, before: resultJson(before), after: resultJson(after) },
    });
    return after;
  });
}

export async function getResult(actor: PublicUser, workspaceId: string, resultId: string): Promise<ResultRecord> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return await loadResult(getDb(), workspaceId, resultId);
}

export async function listResults(actor: PublicUser, workspaceId: string, query: unknown) {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const { studyId, offset, limit } = parseInput(ResultsQuery, query);
  const where = studyId ? and(eq(results.workspaceId, workspaceId), eq(results.studyId, studyId)) : eq(results.workspaceId, workspaceId);
  const db = getDb();
  const rows = await db.select().from(results).where(where).orderBy(asc(results.createdAt), asc(results.id)).limit(limit).offset(offset);
  const total = (await db.select({ n: count() }).from(results).where(where))[0]!.n;
  // Results of one study share it: load each study (with its arms and outcomes) once.
  const studyViews = new Map<string, StudyView>();
  for (const studyId of new Set(rows.map((row) => row.studyId))) studyViews.set(studyId, await loadStudy(db, workspaceId, studyId));
  return {
    items: rows.map((row) => toResultView(row, studyViews.get(row.studyId)!)),
    nextCursor: offset + rows.length < total ? String(offset + rows.length) : null,
    total,
  };
}

async function loadResult(db: Transaction | ReturnType<typeof getDb>, workspaceId: string, resultId: string): Promise<ResultRecord> {
  const row = (await db.select().from(results).where(eq(results.id, resultId)))[0];
  if (!row || row.workspaceId !== workspaceId) throw notFound("No result with this id in this workspace.");
  return toResultView(row, await loadStudy(db, workspaceId, row.studyId));
}

function toResultView(row: Result, study: StudyView): ResultRecord {
  const arm = (id: string) => {
    const a = study.arms.find((x) => x.id === id)!;
    return { id: a.id, name: a.name, class: a.class, dose: a.dose };
  };
  const outcome = study.outcomes.find((o) => o.id === row.outcomeId)!;
  return {
    id: row.id,
    studyId: row.studyId,
    studyTitle: study.title,
    outcome: { id: outcome.id, name: outcome.name, kind: outcome.kind },
    intervention: arm(row.interventionArmId),
    comparator: arm(row.comparatorArmId),
    subgroup: row.subgroup,
    timepoint: row.timepoint,
    data: dataOf(row),
    source: row.source,
    notes: row.notes,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
