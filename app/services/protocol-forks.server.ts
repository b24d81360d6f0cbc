/**
 * Forking a protocol into another workspace the caller works in. The fork
 * remembers its origin (protocol, workspace, version); the origin learns
 * nothing about the target: its event names neither the workspace nor the fork.
 */
import { and, asc, eq, ne } from "drizzle-orm";
import { memberships, protocolVersions, workspaces } from "#db/schema.ts";
import { getDb } from "#db/client.ts";
import { roleAtLeast } from "#app/domain/roles.ts";
import { ForkProtocolInput } from "#app/schemas/protocols.ts";
import type { PublicUser } from "./accounts.server.ts";
import { notFound, validationFailed } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { findMembership, requireWorkspaceRole } from "./permissions.server.ts";
import { insertProtocol, loadProtocol, loadProtocolRow, type ProtocolView } from "./protocols.server.ts";
import { parseInput } from "./validation.server.ts";

export async function forkProtocol(actor: PublicUser, workspaceId: string, protocolId: string, input: unknown): Promise<ProtocolView> {
  return await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "observer", tx);
    const data = parseInput(ForkProtocolInput, input);
    const origin = await loadProtocolRow(tx, workspaceId, protocolId);
    if (data.workspaceId === workspaceId) {
      throw validationFailed("workspaceId: choose another workspace; this protocol is already here.", [
        { field: "workspaceId", message: "Choose another workspace: this protocol is already here." },
      ]);
    }
    // Non-member of the target → 404 (its existence is not revealed); observer there → 403.
    await requireWorkspaceRole(actor.id, data.workspaceId, "contributor", tx);
    const version = data.version ?? origin.version;
    const source = (
      await tx
        .select({ body: protocolVersions.body })
        .from(protocolVersions)
        .where(and(eq(protocolVersions.protocolId, protocolId), eq(protocolVersions.version, version)))
    )[0];
    if (!source) throw notFound(`This protocol has no version ${version}.`);
    const originWorkspace = (await tx.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId)))[0]!;
    const fork = await insertProtocol(tx, {
      workspaceId: data.workspaceId,
      title: origin.title,
      body: source.body,
      note: `Forked from “${origin.title}” version ${version} in ${originWorkspace.name}`,
      authorId: actor.id,
      now: new Date(),
      forkedFromProtocolId: origin.id,
      forkedFromWorkspaceId: workspaceId,
      forkedFromVersion: version,
    });
    await record({
      workspaceId,
      actorId: actor.id,
      type: "protocol.forked",
      target: { type: "protocol", id: origin.id },
      payload: { direction: "out", title: origin.title, version },
    });
    await record({
      workspaceId: data.workspaceId,
      actorId: actor.id,
      type: "protocol.forked",
      target: { type: "protocol", id: fork.id },
      payload: {
        direction: "in",
        title: fork.title,
        forkedFromProtocolId: origin.id,
        forkedFromWorkspaceId: workspaceId,
        forkedFromVersion: version,
      },
    });
    return await loadProtocol(tx, data.workspaceId, fork.id);
  });
}

/** Other workspaces where the caller may create protocols: where a fork can go. */
export async function listForkTargets(actor: PublicUser, workspaceId: string) {
  await requireWorkspaceRole(actor.id, workspaceId, "observer");
  return (
    await getDb()
      .select({ id: workspaces.id, name: workspaces.name, role: memberships.role })
      .from(memberships)
      .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
      .where(and(eq(memberships.userId, actor.id), ne(workspaces.id, workspaceId)))
      .orderBy(asc(workspaces.name))
  ).filter((w) => roleAtLeast(w.role, "contributor"));
}

/**
 * Where a fork came from, as far as the viewer may know: the origin's
 * workspace name and title only when the viewer is a member there too.
 */
export async function describeForkOrigin(actor: PublicUser, forkedFrom: { protocolId: string; workspaceId: string; version: number }) {
  const db = getDb();
  if (!(await findMembership(forkedFrom.workspaceId, actor.id))) return { ...forkedFrom, visible: false as const };
  const workspace = (await db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, forkedFrom.workspaceId)))[0];
  let title: string | null = null;
  try {
    title = (await loadProtocolRow(db, forkedFrom.workspaceId, forkedFrom.protocolId)).title;
  } catch {
    title = null;
  }
  return { ...forkedFrom, visible: true as const, workspaceName: workspace?.name ?? null, title };
}
