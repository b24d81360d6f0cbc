/**
 * Writing a protocol together: the live draft is a Yjs document that every
 * member may read and contributors and leads may edit (docs/decisions/024).
 * Each update is stored before it is acknowledged and relayed; a keystroke is
 * not an audit event, but each person's spell of editing is one, and so is
 * every version cut from the draft. Search finds the draft's text once typing
 * pauses (draft-search.server.ts).
 */
import { getDb } from "#db/client.ts";
import { refuseUpdate, textOfUpdates } from "#app/domain/live-document.ts";
import type { Person, PublicUser } from "#app/public-shapes/accounts.ts";
import { SaveDraftVersionInput } from "#app/schemas/protocols.ts";
import { unprocessable } from "./errors.server.ts";
import { writeTransaction } from "./events.server.ts";
import { requireWorkspaceRole } from "./permissions.server.ts";
import { reindexDraftWhenQuiet } from "./draft-search.server.ts";
import { appendUpdate, compactDraft, compactionDue, draftState, ensureDraft } from "./protocol-draft-store.server.ts";
import { addVersion, loadProtocolRow, refuseSuperseded, refuseUnchanged, type VersionView } from "./protocols.server.ts";
import { publishDraftUpdate } from "./realtime-hub.server.ts";
import { parseInput } from "./validation.server.ts";
import { roleAtLeast, type Role } from "#app/domain/roles.ts";

/**
 * The draft's whole state, for a member opening the document, and whether
 * they may edit it. `enter` runs once the member may read the document and
 * before its state is read: the live channel puts the socket into the
 * document's room there, so no update committed in between passes it by.
 */
export async function openLiveDraft(
  actor: Person,
  workspaceId: string,
  protocolId: string,
  enter: () => void = () => {},
): Promise<{ state: Uint8Array; role: Role; canEdit: boolean }> {
  const role = await requireWorkspaceRole(actor.id, workspaceId, "observer");
  await loadProtocolRow(getDb(), workspaceId, protocolId);
  enter();
  return await writeTransaction(async ({ tx }) => {
    const protocol = await loadProtocolRow(tx, workspaceId, protocolId);
    const draft = await ensureDraft(tx, protocol);
    return { state: await draftState(tx, draft), role, canEdit: roleAtLeast(role, "contributor") && protocol.status !== "superseded" };
  });
}

/**
 * Stores one edit of the draft; once this answers, the edit is durable and is
 * being relayed to the document's other sockets (all but `fromSocket`).
 */
export async function applyLiveUpdate(
  actor: Person,
  workspaceId: string,
  protocolId: string,
  update: Uint8Array,
  fromSocket?: string,
): Promise<void> {
  const refusal = refuseUpdate(update);
  if (refusal) throw unprocessable(refusal);
  await writeTransaction(async ({ tx, record }) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", tx);
    const protocol = await loadProtocolRow(tx, workspaceId, protocolId);
    refuseSuperseded(protocol);
    const draft = await ensureDraft(tx, protocol);
    const startsSpell = await appendUpdate(tx, protocolId, actor.id, update);
    if (startsSpell) {
      await record({
        workspaceId,
        actorId: actor.id,
        type: "protocol.draft_edited",
        target: { type: "protocol", id: protocolId },
        payload: { title: protocol.title, sinceVersion: draft.baseVersion },
      });
    }
  });
  publishDraftUpdate({ workspaceId, protocolId, update, fromSocket });
  // Search follows the draft once typing pauses, after this edit is answered (docs/decisions/029).
  reindexDraftWhenQuiet(protocolId);
  void compactWhenDue(protocolId);
}

/** "Save version": the next version is the live text as the server holds it, whatever a browser has not yet sent. */
export async function cutVersionFromDraft(
  actor: PublicUser,
  workspaceId: string,
  protocolId: string,
  input: unknown,
): Promise<VersionView> {
  return await writeTransaction(async (writer) => {
    await requireWorkspaceRole(actor.id, workspaceId, "contributor", writer.tx);
    const { note } = parseInput(SaveDraftVersionInput, input);
    const protocol = await loadProtocolRow(writer.tx, workspaceId, protocolId);
    refuseSuperseded(protocol);
    const state = await draftState(writer.tx, await ensureDraft(writer.tx, protocol));
    const body = textOfUpdates([state]);
    await refuseUnchanged(writer.tx, protocol, body);
    return await addVersion(writer, actor, protocol, { body, note: note ?? null, state });
  });
}

/** Folds a long tail of updates into the snapshot, after the edit that made it long has been answered. */
async function compactWhenDue(protocolId: string): Promise<void> {
  try {
    if (await compactionDue(getDb(), protocolId)) await writeTransaction(({ tx }) => compactDraft(tx, protocolId));
  } catch (error) {
    // The updates stay where they are and are folded next time; readers merge them meanwhile.
    console.error("compacting a live draft failed", error);
  }
}
