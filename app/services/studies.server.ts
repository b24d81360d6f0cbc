/** Studies: what was run (design, arms, outcome measures) and what it links to. */
import { and, asc, eq, inArray, or } from "drizzle-orm";
import { getDb, type Transaction } from "#db/client.ts";
import { panels, results, studies, studyArms, studyOutcomes, type Study } from "#db/schema.ts";
import { PageQuery, pageOf } from "#app/schemas/paging.ts";
import { CreateStudyInput, UpdateStudyInput } from "#app/schemas/studies.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import { studyFieldsJson, type StudyView } from "#app/public-shapes/studies.ts";
import { newId } from "./crypto.server.ts";
import { notFound, unprocessable, validationFailed } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";
import { rejectStaleEdit } from "./versions.server.ts";

export type { StudyView };

export async function createStudy(actor: PublicUser, workspaceId: string, input: unknown): Promise<StudyView> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const data = parseInput(CreateStudyInput, input);
    if (data.panelId) await requirePanelInWorkspace(tx, workspaceId, data.panelId);
    const now = new Date();
    const study = {
      id: newId(),
      workspaceId,
      title: data.title,
      design: data.design ?? null,
      registryId: data.registryId ?? null,
      population: data.population,
      protocolId: data.protocolId ?? null,
      panelId: data.panelId ?? null,
      version: 1,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(studies).values(study);
    const arms = data.arms.map((a, position) => ({ ...a, id: newId(), studyId: study.id, position }));
    const outcomes = data.outcomes.map((o, position) => ({ ...o, id: newId(), studyId: study.id, position }));
    if (arms.length) await tx.insert(studyArms).values(arms);
    if (outcomes.length) await tx.insert(studyOutcomes).values(outcomes);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "study.created",
      target: { type: "study", id: study.id },
      payload: { title: study.title, arms: arms.map((a) => a.name) },
    });
    return { ...study, arms, outcomes };
  });
}

export async function updateStudy(actor: PublicUser, workspaceId: string, studyId: string, input: unknown): Promise<StudyView> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const before = await loadStudy(tx, workspaceId, studyId);
    const changes = parseInput(UpdateStudyInput, input);
    await rejectStaleEdit(changes.baseVersion, before.version, { what: "study", current: () => studyFieldsJson(before) });
    if (changes.panelId) await requirePanelInWorkspace(tx, workspaceId, changes.panelId);
    const { baseVersion: _, arms, outcomes, ...fields } = changes;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    await tx
      .update(studies)
      .set({ ...defined, version: before.version + 1, updatedAt: new Date() })
      .where(eq(studies.id, studyId));
    if (arms) await replaceItems(tx, studyArms, studyId, before.arms, arms, "arms");
    if (outcomes) await replaceItems(tx, studyOutcomes, studyId, before.outcomes, outcomes, "outcomes");
    const after = await loadStudy(tx, workspaceId, studyId);
    await record({
      workspaceId,
      actorId: actor.id,
      type: "study.updated",
      target: { type: "study", id: studyId },
      payload: { version: after.version, before: studyFieldsJson(before), after: studyFieldsJson(after) },
    });
    return after;
  });
}

/**
 * Makes a study's arms or outcomes the given list: items with a known id are
 * updated, new ones added, missing ones removed unless a result still uses them.
 */
async function replaceItems(
  tx: Transaction,
  table: typeof studyArms | typeof studyOutcomes,
  studyId: string,
  existing: { id: string }[],
  wanted: ({ id?: string } & Record<string, unknown>)[],
  field: "arms" | "outcomes",
) {
  const known = new Set(existing.map((e) => e.id));
  wanted.forEach((item, i) => {
    if (item.id && !known.has(item.id)) {
      throw validationFailed(`${field}.${i}.id: not an item of this study.`, [
        { field: `${field}.${i}.id`, message: "Not an item of this study." },
      ]);
    }
  });
  const kept = new Set(wanted.map((w) => w.id).filter(Boolean) as string[]);
  const removed = existing.map((e) => e.id).filter((id) => !kept.has(id));
  if (removed.length) {
    const used = (
      await tx
        .select({ id: results.id })
        .from(results)
        .where(
          field === "arms"
            ? or(inArray(results.interventionArmId, removed), inArray(results.comparatorArmId, removed))
            : inArray(results.outcomeId, removed),
        )
    )[0];
    if (used) throw unprocessable(`A result still refers to one of the ${field} you removed. Change or remove that result first.`);
    await tx.delete(table).where(and(eq(table.studyId, studyId), inArray(table.id, removed)));
  }
  for (const [position, { id, ...values }] of wanted.entries()) {
    if (id)
      await tx
        .update(table)
        .set({ ...values, position })
        .where(eq(table.id, id));
    else await tx.insert(table).values({ ...values, id: newId(), studyId, position } as never);
  }
}

export async function listStudies(
  actor: PublicUser,
  workspaceId: string,
  query: unknown = {},
): Promise<{ items: Study[]; nextCursor: string | null }> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const { offset, limit } = parseInput(PageQuery, query);
  const rows = await getDb()
    .select()
    .from(studies)
    .where(eq(studies.workspaceId, workspaceId))
    .orderBy(asc(studies.title), asc(studies.id))
    .limit(limit + 1)
    .offset(offset);
  return pageOf(rows, offset, limit);
}

export async function getStudy(actor: PublicUser, workspaceId: string, studyId: string): Promise<StudyView> {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return await loadStudy(getDb(), workspaceId, studyId);
}

/** A study with its arms and outcomes; 404 when it is not in this workspace. */
export async function loadStudy(db: Transaction | ReturnType<typeof getDb>, workspaceId: string, studyId: string): Promise<StudyView> {
  const study = (await db.select().from(studies).where(eq(studies.id, studyId)))[0];
  if (!study || study.workspaceId !== workspaceId) throw notFound("No study with this id in this workspace.");
  return {
    ...study,
    arms: await db.select().from(studyArms).where(eq(studyArms.studyId, studyId)).orderBy(asc(studyArms.position)),
    outcomes: await db.select().from(studyOutcomes).where(eq(studyOutcomes.studyId, studyId)).orderBy(asc(studyOutcomes.position)),
  };
}

async function requirePanelInWorkspace(tx: Transaction, workspaceId: string, panelId: string) {
  const panel = (await tx.select({ workspaceId: panels.workspaceId }).from(panels).where(eq(panels.id, panelId)))[0];
  if (!panel || panel.workspaceId !== workspaceId) {
    throw validationFailed("panelId: no biomarker panel with this id in this workspace.", [
      { field: "panelId", message: "No biomarker panel with this id in this workspace." },
    ]);
  }
}
