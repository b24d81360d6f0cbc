import { describe, expect, it } from "vitest";
import { composeEmail, dueBatches, type EmailDelivery, type EmailItem, retryDelayMs } from "#app/domain/email.ts";
import { mentionsAsPlainText } from "#app/domain/mentions.ts";
import { isValidUnsubscribeToken, unsubscribeToken, unsubscribeUrl } from "#app/services/email-links.server.ts";

const MIN = 60_000;
const timing = { delayMs: 5 * MIN, batchMs: 15 * MIN, digestMs: 24 * 60 * MIN };
const at = (iso: string) => new Date(`2026-03-02T${iso}Z`);
const note = (id: string, userId: string, time: string) => ({ id, userId, createdAt: at(time) });
const everyone =
  (delivery: EmailDelivery = "immediately") =>
  () =>
    delivery;

describe("when emails are due", () => {
  it("waits until the quarter hour has closed and the delay has passed", () => {
    const pending = [note("a", "ana", "10:01:00")];
    expect(dueBatches(pending, everyone(), timing, at("10:19:59"))).toEqual([]);
    const due = dueBatches(pending, everyone(), timing, at("10:20:00"));
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ userId: "ana", delivery: "immediately", windowStart: at("10:00:00") });
  });

  it("puts everything one person got in one quarter hour into one message, and other people's into their own", () => {
    const pending = [
      note("a", "ana", "10:01:00"),
      note("b", "ana", "10:14:59"),
      note("c", "ben", "10:05:00"),
      note("d", "ana", "10:15:00"),
    ];
    const due = dueBatches(pending, everyone(), timing, at("10:25:00"));
    expect(due.map((b) => [b.userId, b.notifications.map((n) => n.id)])).toEqual([
      ["ana", ["a", "b"]],
      ["ben", ["c"]],
    ]);
  });

  it("sends nothing to someone who chose never, and a digest once their UTC day is over", () => {
    const pending = [note("a", "ana", "01:00:00"), note("b", "ana", "23:00:00"), note("c", "ben", "10:00:00")];
    const choices = (userId: string): EmailDelivery => (userId === "ana" ? "daily" : "never");
    expect(dueBatches(pending, choices, timing, at("23:59:59"))).toEqual([]);
    const next = new Date(at("00:05:00").getTime() + 24 * 60 * MIN);
    const due = dueBatches(pending, choices, timing, next);
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ userId: "ana", delivery: "daily", windowStart: at("00:00:00") });
    expect(due[0].notifications.map((n) => n.id)).toEqual(["a", "b"]);
  });

  it("retries later and later, at most six hours apart", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, MIN))).toEqual([MIN, 2 * MIN, 4 * MIN, 8 * MIN]);
    expect(retryDelayMs(30, MIN)).toBe(6 * 60 * MIN);
  });
});

const item = (extra: Partial<EmailItem> = {}): EmailItem => ({
  kind: "mention",
  actorName: "Ana",
  placeName: "CRP protocol",
  workspaceName: "IMD consortium",
  title: "Ana mentioned you in a comment on a protocol",
  body: "Can you check the cut-off?",
  url: "https://c.example/workspaces/w1/protocols/p1",
  ...extra,
});
const compose = (items: EmailItem[], delivery: "immediately" | "daily" = "immediately") =>
  composeEmail({
    recipientName: "Ben",
    delivery,
    items,
    unsubscribeUrl: "https://c.example/email/unsubscribe?u=ben&t=x",
    settingsUrl: "https://c.example/settings",
  });

describe("what an email says", () => {
  it("says who did what where, with the link and the unsubscribe link, in text and HTML", () => {
    const email = compose([item()]);
    expect(email.subject).toBe("Ana mentioned you in 'CRP protocol'");
    for (const body of [email.text, email.html]) {
      expect(body).toContain("https://c.example/workspaces/w1/protocols/p1");
      expect(body).toContain("Can you check the cut-off?");
    }
    expect(email.text).toContain("https://c.example/email/unsubscribe?u=ben&t=x");
    expect(email.html).toContain('href="https://c.example/email/unsubscribe?u=ben&amp;t=x"');
    expect(compose([item({ kind: "reply" })]).subject).toBe("Ana replied to you in 'CRP protocol'");
    expect(compose([item({ kind: "goal.overdue", actorName: null, title: "Overdue: Recruit 200" })]).subject).toBe("Overdue: Recruit 200");
  });

  it("counts several things in one subject", () => {
    expect(compose([item(), item(), item()]).subject).toBe("3 things for you in Consilience");
    expect(compose([item(), item()], "daily").subject).toBe("Your day in Consilience: 2 things for you");
  });

  it("shows a comment's markup as text: nothing in it becomes HTML, and no name breaks the subject line", () => {
    const hostile = '<script>alert(1)</script><img src=x onerror="alert(1)"> & <a href="javascript:x">';
    const email = compose([item({ body: hostile, placeName: "<b>CRP</b>\r\nBcc: everyone@example.org", actorName: 'Ana "<i>"' })]);
    expect(email.html).not.toMatch(/<script|<img|<a href="javascript|<b>CRP|<i>/);
    expect(email.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(email.text).toContain(hostile);
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it("shows mentions as the member's current name", () => {
    const text = mentionsAsPlainText("Ask @[Boss](mention:u1) and @[x](mention:u9)", (id) => (id === "u1" ? "Ana Lima" : undefined));
    expect(text).toBe("Ask @Ana Lima and @unknown");
  });
});

describe("unsubscribe tokens", () => {
  it("are accepted for the person they were made for, under the secret they were made with, only", () => {
    const secret = "a".repeat(32);
    const token = unsubscribeToken(secret, "ana");
    expect(isValidUnsubscribeToken(secret, "ana", token)).toBe(true);
    expect(isValidUnsubscribeToken(secret, "ben", token)).toBe(false);
    expect(isValidUnsubscribeToken("b".repeat(32), "ana", token)).toBe(false);
    expect(isValidUnsubscribeToken(secret, "ana", `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`)).toBe(false);
    expect(isValidUnsubscribeToken(secret, "ana", "")).toBe(false);
    expect(unsubscribeUrl("https://c.example", secret, "ana")).toBe(`https://c.example/email/unsubscribe?u=ana&t=${token}`);
  });
});
