/** Bench data, set up only through the JSON API (as a script would), on a server with SEED_DEMO=0. */
import { registerUser, type TestUser } from "../support/api.ts";
import { runLoad } from "./load.ts";
import { request } from "./http.ts";

export interface BenchWorkspace {
  workspaceId: string;
  lead: TestUser;
  /** Members who joined by invitation (observers), in addition to the lead. */
  members: TestUser[];
}

/** A workspace with a lead and `memberCount` observers who accepted invitations. */
export async function benchWorkspace(baseUrl: string, memberCount: number): Promise<BenchWorkspace> {
  const lead = await registerUser(baseUrl, "Bench Lead");
  const created = await lead.api.post("/api/v1/workspaces", { name: "Bench consortium" });
  if (created.status !== 201) throw new Error(`workspace not created: ${created.status} ${JSON.stringify(created.body)}`);
  const workspaceId: string = created.body.id;
  const members = await Promise.all(
    Array.from({ length: memberCount }, (_, i) => registerUser(baseUrl, `Bench Member ${String.fromCharCode(65 + (i % 26))}`)),
  );
  for (const member of members) {
    const invitation = await lead.api.post(`/api/v1/workspaces/${workspaceId}/invitations`, { role: "observer" });
    const accepted = await member.api.post(`/api/v1/invitations/${invitation.body.token}/accept`);
    if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  }
  return { workspaceId, lead, members };
}

/** Another workspace with the same lead and members (who accept invitations to it), on the server the lead registered with. */
export async function siblingWorkspace(ws: BenchWorkspace, name: string): Promise<BenchWorkspace> {
  const created = await ws.lead.api.post("/api/v1/workspaces", { name });
  if (created.status !== 201) throw new Error(`workspace not created: ${created.status} ${JSON.stringify(created.body)}`);
  const workspaceId: string = created.body.id;
  for (const member of ws.members) {
    const invitation = await ws.lead.api.post(`/api/v1/workspaces/${workspaceId}/invitations`, { role: "observer" });
    const accepted = await member.api.post(`/api/v1/invitations/${invitation.body.token}/accept`);
    if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  }
  return { workspaceId, lead: ws.lead, members: ws.members };
}

/** Every event id of a workspace's trail, in id order, read through the paged API. */
export async function eventIds(baseUrl: string, ws: BenchWorkspace): Promise<string[]> {
  const ids: string[] = [];
  let after = "0";
  for (let page = 0; page < 100; page++) {
    const answer = await ws.lead.api.get(`/api/v1/workspaces/${ws.workspaceId}/events?after=${after}&limit=1000`);
    if (answer.status !== 200) throw new Error(`events: ${answer.status} ${JSON.stringify(answer.body)}`);
    ids.push(...answer.body.items.map((e: { id: string }) => e.id));
    if (!answer.body.nextCursor) break;
    after = answer.body.nextCursor;
  }
  return ids;
}

/**
 * Grows the trail to at least `target` events cheaply: each invitation
 * created through the API records one event.
 */
export async function fillTrail(baseUrl: string, ws: BenchWorkspace, target: number): Promise<number> {
  const existing = (await eventIds(baseUrl, ws)).length;
  const missing = Math.max(0, target - existing);
  if (missing > 0) {
    const invite = request(`${baseUrl}/api/v1/workspaces/${ws.workspaceId}/invitations`, {
      method: "POST",
      token: ws.lead.token,
      body: { role: "observer" },
      expect: 201,
    });
    const result = await runLoad(invite, { warmup: 0, count: missing, concurrency: 8, budgetMs: 60_000 });
    if (result.truncated) throw new Error(`filling the trail took over 60 s (${result.samples.length} of ${missing} events)`);
  }
  return (await eventIds(baseUrl, ws)).length;
}
