/**
 * The demo consortium, seeded into an empty database through the same
 * services a person uses, so the demo's audit trail is real from the start.
 */
import { count, eq } from "drizzle-orm";
import { getDb } from "./client.ts";
import { users } from "./schema.ts";
import type { Role } from "#app/domain/roles.ts";
import { createAccount } from "#app/services/accounts.server.ts";
import { acceptInvitation, createInvitation } from "#app/services/members.server.ts";
import { createWorkspace } from "#app/services/workspaces.server.ts";
import { seedComments } from "./seed/comments.ts";
import { seedComparison } from "./seed/comparison.ts";
import { seedDatasets } from "./seed/datasets.ts";
import { seedSiteSummaries } from "./seed/site-summaries.ts";
import { seedGoals } from "./seed/goals.ts";
import { seedPanels } from "./seed/panels.ts";
import { seedProtocols } from "./seed/protocols.ts";
import { seedStudies } from "./seed/studies.ts";

export const DEMO_WORKSPACE_NAME = "Immuno-metabolic depression consortium";

export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "lead@demo.example", name: "Dr. Maria Jansen", role: "lead" },
  { email: "immunology@demo.example", name: "Dr. Tomás Okafor", role: "contributor" },
  { email: "endocrinology@demo.example", name: "Dr. Lea Schmidt", role: "contributor" },
  { email: "observer@demo.example", name: "Sam Visser", role: "observer" },
];

export async function seedDemoIfEmpty(password: string) {
  const db = getDb();
  const userCount = (await db.select({ n: count() }).from(users))[0]!.n;
  if (userCount > 0) {
    const demoLead = (await db.select().from(users).where(eq(users.email, DEMO_USERS[0].email)))[0];
    return demoLead ? { seededNow: false, users: DEMO_USERS } : null;
  }

  const accounts = [];
  for (const person of DEMO_USERS) {
    accounts.push(await createAccount({ email: person.email, name: person.name, password }));
  }
  const [lead, ...others] = accounts;
  const workspace = await createWorkspace(lead, {
    name: DEMO_WORKSPACE_NAME,
    description:
      "Psychiatry, immunology and endocrinology groups pooling trials of anti-inflammatory and metabolic " +
      "treatments for depression with low-grade inflammation and metabolic dysregulation.",
  });
  for (const [i, account] of others.entries()) {
    const { token } = await createInvitation(lead, workspace.id, { role: DEMO_USERS[i + 1].role });
    await acceptInvitation(account, token);
  }
  const [immunologist, endocrinologist, observer] = others;
  const context = { lead, contributors: [immunologist, endocrinologist], observer, workspaceId: workspace.id };
  const { panel } = await seedPanels(context);
  const protocols = await seedProtocols(context);
  const trials = await seedStudies({ ...context, panelId: panel.id });
  await seedDatasets(context, { infliximab: trials.raison.id, minocycline: trials.nettis.id, epa: trials.mischoulon.id });
  await seedComparison(context, trials);
  await seedSiteSummaries(context, { lin: trials.lin.id });
  await seedGoals(context);
  await seedComments(context, {
    samplingProtocolId: protocols.samplingId,
    energyProtocolId: protocols.energyId,
    raisonStudyId: trials.raison.id,
  });
  return { seededNow: true, users: DEMO_USERS };
}
