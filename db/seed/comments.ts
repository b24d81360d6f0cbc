/**
 * Live-looking discussion for the demo: a thread on a protocol section, threads
 * pinned to dataset cells, a resolved thread, and mentions between the demo
 * users, so a new user sees the collaboration at once. Written through the
 * comments service, so the audit trail and the inboxes are real.
 */
import { and, eq, like } from "drizzle-orm";
import { getDb } from "#db/client.ts";
import { datasets } from "#db/schema.ts";
import { mentionToken } from "#app/domain/mentions.ts";
import type { PublicUser } from "#app/services/accounts.server.ts";
import { createComment, setThreadResolved } from "#app/services/comments.server.ts";

export interface CommentsSeedContext {
  lead: PublicUser;
  contributors: PublicUser[];
  observer: PublicUser;
  workspaceId: string;
}

export async function seedComments(
  ctx: CommentsSeedContext,
  ids: { samplingProtocolId: string; energyProtocolId: string; raisonStudyId: string },
) {
  const [immunologist, endocrinologist] = ctx.contributors;
  const comment = async (
    author: PublicUser,
    target: { type: string; id: string; anchor?: Record<string, unknown> },
    body: string,
    parentId?: string,
  ) => await createComment(author, ctx.workspaceId, { target, body, parentId: parentId ?? null });

  // A protocol section: when to postpone sampling.
  const sop = { type: "protocol", id: ids.samplingProtocolId };
  const postpone = await comment(
    endocrinologist,
    { ...sop, anchor: { section: "participant-preparation" } },
    `Should we also postpone after a vaccination? ${mentionToken(immunologist.name, immunologist.id)}, what does your lab do?`,
  );
  await comment(immunologist, sop, "We wait 14 days after any vaccination; I'll add it to the next version.", postpone.id);
  await comment(
    ctx.lead,
    sop,
    `Agreed. ${mentionToken(immunologist.name, immunologist.id)} please note it in the version note too.`,
    postpone.id,
  );

  const centrifuge = await comment(
    immunologist,
    { ...sop, anchor: { section: "processing" } },
    "Is 2000 g right for the SST tubes from site B?",
  );
  await comment(endocrinologist, sop, "Yes, checked with the manufacturer's sheet.", centrifuge.id);
  await setThreadResolved(immunologist, ctx.workspaceId, centrifuge.id, true);

  await comment(
    ctx.observer,
    { type: "protocol", id: ids.energyProtocolId, anchor: { section: "scoring" } },
    "Does a missing appetite item count as zero, or is the score left missing?",
  );

  // Dataset cells: an implausible CRP and a unit question.
  const infliximab = (
    await getDb()
      .select({ id: datasets.id, columns: datasets.columns })
      .from(datasets)
      .where(and(eq(datasets.workspaceId, ctx.workspaceId), like(datasets.name, "Infliximab%")))
  )[0];
  if (infliximab) {
    const crp = infliximab.columns.find((c) => c.biomarker === "hs_crp")?.name;
    if (crp) {
      const high = await comment(
        ctx.lead,
        { type: "dataset", id: infliximab.id, anchor: { row: 2, column: crp } },
        `This CRP suggests an acute infection. ${mentionToken(immunologist.name, immunologist.id)}, can you recheck the sample?`,
      );
      await comment(
        immunologist,
        { type: "dataset", id: infliximab.id },
        "Rechecked: the value stands. Kept, and flagged as ≥ 10 mg/L.",
        high.id,
      );
      await comment(
        endocrinologist,
        { type: "dataset", id: infliximab.id, anchor: { column: crp } },
        "Reported in mg/dL by the lab; the panel converts it to mg/L (×10). Worth noting in the methods.",
      );
    }
  }

  await comment(
    ctx.observer,
    { type: "study", id: ids.raisonStudyId },
    `${mentionToken(ctx.lead.name, ctx.lead.id)}: is the CRP > 5 split in the pooled analysis plan?`,
  );
}
