/**
 * The objects of a seeded workspace, looked up (or made) through the API as
 * its lead, for tests that try every route with real ids.
 */
import type { ApiClient } from "./api.ts";

/** Awaits an API call and answers its body, or throws with what the server said. */
export async function must(promise: Promise<{ status: number; body: any }>, what: string, status = [200, 201]) {
  const response = await promise;
  if (!status.includes(response.status)) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The ids of one workspace's objects, looked up (or made) through the API as its lead. */
export async function demoObjectIds(api: ApiClient, workspaceId: string, replier: ApiClient | null): Promise<Record<string, string>> {
  const ws = `/api/v1/workspaces/${workspaceId}`;
  const first = async (p: string) => (await must(api.get(`${ws}/${p}`), p)).items[0];
  const protocol = await first("protocols");
  const panel = await must(api.get(`${ws}/panels/${(await first("panels")).id}`), "panel");
  const studies = (await must(api.get(`${ws}/studies`), "studies")).items as { id: string }[];
  let study: any;
  for (const s of studies) {
    const full = await must(api.get(`${ws}/studies/${s.id}`), "study");
    if (full.datasets?.length) study = full;
    if (study) break;
  }
  if (!study) throw new Error("no study with a dataset");
  const result = await first("results");
  const profile = await first("profiles");
  const goal = await must(api.get(`${ws}/goals/${(await first("goals")).id}`), "goal");
  const comment = await must(
    api.post(`${ws}/comments`, { target: { type: "study", id: study.id }, body: "Matrix fixture comment" }),
    "comment",
  );
  const invitation = await must(api.post(`${ws}/invitations`, { role: "observer" }), "invitation");
  const tokens = await must(api.get("/api/v1/me/tokens"), "tokens");
  let notificationId = "none";
  if (replier) {
    await must(replier.post(`${ws}/comments`, { target: { type: "study", id: study.id }, body: "A reply", parentId: comment.id }), "reply");
    notificationId = (await must(api.get("/api/v1/me/notifications"), "notifications")).items[0]?.id ?? "none";
  }
  const me = await must(api.get("/api/v1/me"), "me");
  // A workspace whose comparison is empty has nothing to freeze (422): its snapshot routes are tried with a missing id.
  const snapshot = await api.post(`${ws}/snapshots`, { title: "Matrix fixture snapshot" });
  const snapshotId = snapshot.status === 201 ? (snapshot.body.id as string) : "none";
  const registration = await must(
    api.post(`${ws}/registrations`, {
      title: "Matrix fixture registration",
      protocolId: protocol.id,
      protocolVersion: 1,
      profiles: [profile.id],
      outcome: "HAM-D change",
      measure: "SMD",
    }),
    "registration",
  );
  return {
    ws: workspaceId,
    workspaceId,
    protocolId: protocol.id,
    version: "1",
    panelId: panel.id,
    biomarkerId: panel.biomarkers[0].id,
    studyId: study.id,
    datasetId: study.datasets[0].id,
    resultId: result.id,
    profileId: profile.id,
    goalId: goal.id,
    milestoneId: goal.milestones[0].id,
    commentId: comment.id,
    invitationId: invitation.id,
    userId: me.id,
    tokenId: tokens.items[0].id,
    notificationId,
    snapshotId,
    otherId: snapshotId,
    registrationId: registration.id,
    token: invitation.token,
  };
}
