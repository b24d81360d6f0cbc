/** Studies: what was run (design, arms, outcome measures) and what it links to. */
import { asc, eq } from "drizzle-orm";
import { getDb, type Transaction } from "#db/client.ts";
import { panels, studies, studyArms, studyOutcomes, type Study, type StudyArm, type StudyOutcome } from "#db/schema.ts";
import { CreateStudyInput } from "#app/schemas/studies.ts";
import type { PublicUser } from "./accounts.server.ts";
import { newId } from "./crypto.server.ts";
import { notFound, validationFailed } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";

export interface StudyView extends Study {
  arms: StudyArm[];
  outcomes: StudyOutcome[];
}

export function createStudy(actor: PublicUser, workspaceId: string, input: unknown): StudyView {
  return writeTransaction(({ tx, record }) => {
    requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const data = parseInput(CreateStudyInput, input);
    if (data.panelId) requirePanelInWorkspace(tx, workspaceId, data.panelId);
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
    tx.insert(studies).values(study).run();
    const arms = data.arms.map((a, position) => ({ ...a, id: newId(), studyId: study.id, position }));
    const outcomes = data.outcomes.map((o, position) => ({ ...o, id: newId(), studyId: study.id, position }));
    if (arms.length) tx.insert(studyArms).values(arms).run();
    if (outcomes.length) tx.insert(studyOutcomes).values(outcomes).run();
    record({
      workspaceId,
      actorId: actor.id,
      type: "study.created",
      target: { type: "study", id: study.id },
      payload: { title: study.title, arms: arms.map((a) => a.name) },
    });
    return { ...study, arms, outcomes };
  });
}

export function listStudies(actor: PublicUser, workspaceId: string): Study[] {
  requireWorkspaceRole(actor.id, workspaceId, "observer");
  return getDb().select().from(studies).where(eq(studies.workspaceId, workspaceId)).orderBy(asc(studies.title)).all();
}

export function getStudy(actor: PublicUser, workspaceId: string, studyId: string): StudyView {
  requireWorkspaceRole(actor.id, workspaceId, "observer");
  return loadStudy(getDb(), workspaceId, studyId);
}

/** A study with its arms and outcomes; 404 when it is not in this workspace. */
export function loadStudy(db: Transaction | ReturnType<typeof getDb>, workspaceId: string, studyId: string): StudyView {
  const study = db.select().from(studies).where(eq(studies.id, studyId)).get();
  if (!study || study.workspaceId !== workspaceId) throw notFound("No study with this id in this workspace.");
  return {
    ...study,
    arms: db.select().from(studyArms).where(eq(studyArms.studyId, studyId)).orderBy(asc(studyArms.position)).all(),
    outcomes: db.select().from(studyOutcomes).where(eq(studyOutcomes.studyId, studyId)).orderBy(asc(studyOutcomes.position)).all(),
  };
}

function requirePanelInWorkspace(tx: Transaction, workspaceId: string, panelId: string) {
  const panel = tx.select({ workspaceId: panels.workspaceId }).from(panels).where(eq(panels.id, panelId)).get();
  if (!panel || panel.workspaceId !== workspaceId) {
    throw validationFailed("panelId: no biomarker panel with this id in this workspace.", [
      { field: "panelId", message: "No biomarker panel with this id in this workspace." },
    ]);
  }
}
