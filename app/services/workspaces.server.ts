/** Workspaces: create, list, read, and the lead's settings. */
import { asc, eq } from "drizzle-orm";
import { getDb } from "#db/client.ts";
import { memberships, workspaces } from "#db/schema.ts";
import { CreateWorkspaceInput, UpdateWorkspaceInput } from "#app/schemas/workspaces.ts";
import type { PublicUser } from "#app/public-shapes/accounts.ts";
import type { WorkspaceView } from "#app/public-shapes/workspaces.ts";
import { newId } from "./crypto.server.ts";
import { writeTransaction } from "./events.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { parseInput } from "./validation.server.ts";

export async function createWorkspace(actor: PublicUser, input: unknown): Promise<WorkspaceView> {
  const data = parseInput(CreateWorkspaceInput, input);
  const now = new Date();
  const workspace = { id: newId(), name: data.name, description: data.description, createdBy: actor.id, createdAt: now };
  return await writeTransaction(async ({ tx, record }) => {
    await tx.insert(workspaces).values(workspace);
    await tx.insert(memberships).values({ workspaceId: workspace.id, userId: actor.id, role: "lead", createdAt: now });
    await record({
      workspaceId: workspace.id,
      actorId: actor.id,
      type: "workspace.created",
      target: { type: "workspace", id: workspace.id },
      payload: { name: workspace.name },
    });
    return { ...workspace, role: "lead" as const };
  });
}

export async function listWorkspaces(actor: PublicUser): Promise<WorkspaceView[]> {
  return await getDb()
    .select({
      id: workspaces.id,
      name: workspaces.name,
      description: workspaces.description,
      createdAt: workspaces.createdAt,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, actor.id))
    .orderBy(asc(workspaces.name));
}

export async function getWorkspace(actor: PublicUser, workspaceId: string): Promise<WorkspaceView> {
  const role = await requireWorkspaceRole(actor.id, workspaceId, "observer");
  const workspace = (await getDb().select().from(workspaces).where(eq(workspaces.id, workspaceId)))[0]!;
  return { id: workspace.id, name: workspace.name, description: workspace.description, createdAt: workspace.createdAt, role };
}

export async function updateWorkspace(actor: PublicUser, workspaceId: string, input: unknown): Promise<WorkspaceView> {
  return await writeTransaction(async ({ tx, record }) => {
    const role = await requireWorkspaceRole(actor.id, workspaceId, "lead", tx);
    const changes = parseInput(UpdateWorkspaceInput, input);
    const before = (await tx.select().from(workspaces).where(eq(workspaces.id, workspaceId)))[0]!;
    const after = { name: changes.name ?? before.name, description: changes.description ?? before.description };
    await tx.update(workspaces).set(after).where(eq(workspaces.id, workspaceId));
    await record({
      workspaceId,
      actorId: actor.id,
      type: "workspace.updated",
      target: { type: "workspace", id: workspaceId },
      payload: { before: { name: before.name, description: before.description }, after },
    });
    return { id: workspaceId, ...after, createdAt: before.createdAt, role };
  });
}
