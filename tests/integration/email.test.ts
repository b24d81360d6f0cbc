/**
 * Email for people who are away, end to end: the app server sends through a
 * real SMTP server started here, with short delays and windows set through
 * the environment. Absence is shown beside presence: a person who should get
 * nothing is mentioned in the same comment as one who should, and is checked
 * once the other's email has arrived (both are decided in the same pass).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, signInForSessionCookie, type TestUser, workspaceWithRoles } from "#tests/support/api.ts";
import { TestDatabase } from "#tests/support/database.ts";
import { startSmtp, type ReceivedEmail } from "#tests/support/smtp.ts";
import { startServer, useServer } from "#tests/support/server.ts";

const smtp = await startSmtp();
const BATCH_MS = 1500;
const DIGEST_MS = 4000;
const timing = {
  SMTP_URL: smtp.url,
  MAIL_FROM: "Consilience <noreply@consilience.test>",
  EMAIL_DELAY_MS: "700",
  EMAIL_BATCH_MS: String(BATCH_MS),
  EMAIL_DIGEST_MS: String(DIGEST_MS),
  EMAIL_POLL_MS: "100",
  EMAIL_SEND_LEASE_MS: "1500",
};
const server = useServer(timing);
afterAll(() => smtp.close());

let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
let studyId: string;
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
const mention = (user: TestUser) => `@[${user.name}](mention:${user.id})`;

/** A new member of the workspace, so each test's inbox starts empty. */
async function member(url: string, workspaceId: string, lead: TestUser, name: string): Promise<TestUser> {
  const user = await registerUser(url, name);
  const invitation = await lead.api.post(`/api/v1/workspaces/${workspaceId}/invitations`, { role: "contributor" });
  await user.api.post(`/api/v1/invitations/${invitation.body.token}/accept`);
  return user;
}

/** Waits until a window of `ms` has just begun, so what the test does next falls in one window. */
async function startOfWindow(ms: number) {
  while (Date.now() % ms > 150) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A page's text as read: React's separators between text pieces removed. */
const pageText = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");
const linkIn = (email: ReceivedEmail, pattern: RegExp) => pattern.exec(email.readable)?.[0];

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
  studyId = (await team.lead.api.post(`${ws()}/studies`, { title: "CRP <trial>" })).body.id;
});

const comment = (author: TestUser, body: string) => author.api.post(`${ws()}/comments`, { target: { type: "study", id: studyId }, body });

describe("email for people who are away", () => {
  let ana: TestUser;
  let first: ReceivedEmail;

  it("emails a mention left unread, once, in the person's words, with a link to the place and an unsubscribe link", async () => {
    ana = await member(server.url, team.workspaceId, team.lead, "Ana Lima");
    await comment(team.lead, `${mention(ana)} is the cut-off <b>3 mg/L</b>?`);
    [first] = await smtp.waitFor(ana.email);
    expect(first.headers.subject).toBe("Lead Researcher mentioned you in 'CRP <trial>'");
    expect(first.readable).toContain(`${server.url}/workspaces/${team.workspaceId}/studies/${studyId}`);
    expect(first.readable).toContain("@Ana Lima is the cut-off <b>3 mg/L</b>?");
    expect(first.readable).toContain("@Ana Lima is the cut-off &lt;b&gt;3 mg/L&lt;/b&gt;?");
    expect(first.readable).not.toContain("<b>3 mg/L</b></");
    const unsubscribe = linkIn(first, /http:\/\/\S+\/email\/unsubscribe\?u=[\w]+&t=[\w-]+/);
    expect(unsubscribe).toBeTruthy();
    expect(first.headers["list-unsubscribe"]).toBe(`<${unsubscribe}>`);
    expect(first.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(first.headers["message-id"]).toMatch(/^<\w+\.outbox@consilience\.test>$/);
  });

  it("sends nothing for a mention read in the app in time", async () => {
    const reader = await member(server.url, team.workspaceId, team.lead, "Ben Reader");
    const away = await member(server.url, team.workspaceId, team.lead, "Cara Away");
    await comment(team.lead, `${mention(reader)} and ${mention(away)}: the SDs?`);
    const inbox = await reader.api.get("/api/v1/me/notifications");
    expect(inbox.body.items).toHaveLength(1);
    expect((await reader.api.post(`/api/v1/me/notifications/${inbox.body.items[0].id}/read`)).status).toBe(200);
    await smtp.waitFor(away.email);
    expect(smtp.to(reader.email)).toEqual([]);
  });

  it("batches three mentions in one quarter hour (here, one window) into one email", async () => {
    const dan = await member(server.url, team.workspaceId, team.lead, "Dan Busy");
    await startOfWindow(BATCH_MS);
    for (const text of ["first point", "second point", "third point"]) await comment(team.lead, `${mention(dan)} ${text}`);
    const [email] = await smtp.waitFor(dan.email);
    expect(email.headers.subject).toBe("3 things for you in Consilience");
    for (const text of ["first point", "second point", "third point"]) expect(email.readable).toContain(text);
    // Each notification rides in one email only: a second one could only repeat them.
    const later = await member(server.url, team.workspaceId, team.lead, "Control Person");
    await comment(team.lead, `${mention(later)} control`);
    await smtp.waitFor(later.email);
    expect(smtp.to(dan.email)).toHaveLength(1);
  });

  it("sends nothing to someone who chose never", async () => {
    const eve = await member(server.url, team.workspaceId, team.lead, "Eve Never");
    const fay = await member(server.url, team.workspaceId, team.lead, "Fay Always");
    expect((await eve.api.request("PUT", "/api/v1/me/email", { delivery: "never" })).body).toEqual({ delivery: "never" });
    await comment(team.lead, `${mention(eve)} and ${mention(fay)}: the protocol?`);
    await smtp.waitFor(fay.email);
    expect(smtp.to(eve.email)).toEqual([]);
  });

  it("gathers a day (here, a short window) into one digest for someone who chose daily", async () => {
    const gus = await member(server.url, team.workspaceId, team.lead, "Gus Daily");
    expect((await gus.api.request("PUT", "/api/v1/me/email", { delivery: "daily" })).status).toBe(200);
    await startOfWindow(DIGEST_MS);
    await comment(team.lead, `${mention(gus)} morning question`);
    await comment(team.contributor, `${mention(gus)} afternoon question`);
    const [digest] = await smtp.waitFor(gus.email);
    expect(digest.headers.subject).toBe("Your day in Consilience: 2 things for you");
    expect(digest.readable).toContain("morning question");
    expect(digest.readable).toContain("Contributing Researcher mentioned you in 'CRP <trial>'");
  });

  it("unsubscribes from the link without a session, in one click of the page or the mail client's one-click POST", async () => {
    const link = linkIn(first, /http:\/\/\S+\/email\/unsubscribe\?u=[\w]+&t=[\w-]+/)!;
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await pageText(page)).toContain("Stop all email from Consilience to");
    // Opening the link (as a mail scanner does) changes nothing.
    expect((await ana.api.get("/api/v1/me/email")).body).toEqual({ delivery: "immediately" });

    const oneClick = await fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(await pageText(oneClick)).toContain(`You are unsubscribed. Consilience will send no more email to ${ana.email}.`);
    expect((await ana.api.get("/api/v1/me/email")).body).toEqual({ delivery: "never" });

    const forged = link.replace(/t=[\w-]+/, "t=AAAA");
    expect((await fetch(forged, { method: "POST", body: new URLSearchParams({ intent: "unsubscribe" }) })).status).toBe(403);
    const someoneElse = link.replace(/u=\w+/, `u=${team.observer.id}`);
    expect((await fetch(someoneElse, { method: "POST", body: new URLSearchParams({ intent: "unsubscribe" }) })).status).toBe(403);
    expect((await team.observer.api.get("/api/v1/me/email")).body).toEqual({ delivery: "immediately" });
  });

  it("lets the person subscribe again from the same page once signed in as themselves", async () => {
    const link = linkIn(first, /http:\/\/\S+\/email\/unsubscribe\?u=[\w]+&t=[\w-]+/)!;
    const anonymous = await fetch(link, { method: "POST", body: new URLSearchParams({ intent: "resubscribe" }) });
    expect(anonymous.status).toBe(403);
    const cookie = await signInForSessionCookie(server.url, ana.email);
    const page = await pageText(await fetch(link, { headers: { cookie } }));
    expect(page).toContain("Email me again");
    const again = await fetch(link, {
      method: "POST",
      headers: { cookie, origin: server.url, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "resubscribe" }),
    });
    expect(again.status).toBe(200);
    expect((await ana.api.get("/api/v1/me/email")).body).toEqual({ delivery: "immediately" });
  });
});

// Two server starts and a lapsed lease each: more than the default test time on a busy machine.
describe("a crash while sending", { timeout: 120_000 }, () => {
  /** Starts a server that stops at `hook`, kills it with SIGKILL there, and starts it again without the hook. */
  async function crashAt(hook: "EMAIL_TEST_PAUSE_AFTER_CLAIM_MS" | "EMAIL_TEST_PAUSE_AFTER_SEND_MS", said: RegExp) {
    const database = await TestDatabase.fresh();
    const crashing = await startServer({ ...timing, [hook]: "60000" }, { database });
    const lead = await registerUser(crashing.url, "Lead Researcher");
    const workspaceId = (await lead.api.post("/api/v1/workspaces", { name: "Crash consortium" })).body.id;
    const away = await member(crashing.url, workspaceId, lead, "Ida Away");
    const study = (await lead.api.post(`/api/v1/workspaces/${workspaceId}/studies`, { title: "Kill trial" })).body.id;
    await lead.api.post(`/api/v1/workspaces/${workspaceId}/comments`, {
      target: { type: "study", id: study },
      body: `${mention(away)} look`,
    });
    const deadline = Date.now() + 20_000;
    while (!said.test(crashing.output())) {
      if (Date.now() > deadline) throw new Error(`the sender never reached the pause:\n${crashing.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const exited = new Promise((resolve) => crashing.process.once("exit", resolve));
    crashing.process.kill("SIGKILL");
    await exited;
    const restarted = await startServer(timing, { database });
    return { away, restarted, database, lead, workspaceId, study };
  }

  it("delivers a message claimed but not sent when the process died exactly once after a restart", async () => {
    const { away, restarted, database, lead, workspaceId, study } = await crashAt(
      "EMAIL_TEST_PAUSE_AFTER_CLAIM_MS",
      /claimed, attempt 1; pausing/,
    );
    try {
      expect(smtp.to(away.email)).toEqual([]);
      const [email] = await smtp.waitFor(away.email);
      expect(email.headers.subject).toBe("Lead Researcher mentioned you in 'Kill trial'");
      // Let a later email through the same sender: a second copy of the first would have gone before it.
      const leadHere = { ...lead, api: new ApiClient(restarted.url, lead.token) };
      const control = await member(restarted.url, workspaceId, leadHere, "Jo Control");
      await leadHere.api.post(`/api/v1/workspaces/${workspaceId}/comments`, {
        target: { type: "study", id: study },
        body: `${mention(control)} after`,
      });
      await smtp.waitFor(control.email);
      expect(smtp.to(away.email)).toHaveLength(1);
    } finally {
      await restarted.stop();
      await database.dispose();
    }
  });

  it("sends again, with the same Message-ID, a message the SMTP server took just before the process died unmarked", async () => {
    const { away, restarted, database } = await crashAt("EMAIL_TEST_PAUSE_AFTER_SEND_MS", /sent, not yet marked; pausing/);
    try {
      const copies = await smtp.waitFor(away.email, 2);
      expect(copies).toHaveLength(2);
      expect(copies[1].headers["message-id"]).toBe(copies[0].headers["message-id"]);
    } finally {
      await restarted.stop();
      await database.dispose();
    }
  });
});
