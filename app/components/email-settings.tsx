import { Form } from "@remix-run/react";
import type { EmailDelivery } from "#app/domain/email.ts";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { Button } from "./ui/button.tsx";
import { Card, Notice } from "./ui/notice.tsx";

const CHOICES: { value: EmailDelivery; label: string; hint: string }[] = [
  {
    value: "immediately",
    label: "Immediately",
    hint: "A few minutes after a mention, reply or goal reminder you have not read here; at most one email per quarter hour.",
  },
  { value: "daily", label: "Daily digest", hint: "One email a day with what is still unread." },
  { value: "never", label: "Never", hint: "No email; notifications stay in the app." },
];

const STATUS_WORDS = { sent: "Sent", waiting: "Waiting to be sent", retrying: "Not sent yet, will retry", failed: "Could not be sent" };

export interface RecentEmail {
  id: string;
  subject: string;
  createdAt: string;
  status: keyof typeof STATUS_WORDS;
  lastError: string | null;
}

export function EmailSettingsCard({
  delivery,
  email,
  recent,
  saved,
  busy,
}: {
  delivery: EmailDelivery;
  email: string;
  recent: RecentEmail[];
  saved: boolean;
  busy: boolean;
}) {
  return (
    <Card>
      <h2 className="text-lg font-semibold">Email</h2>
      <p className="mt-1 text-sm text-slate-600">
        When you are away, mentions, replies and goal reminders you have not read reach {email}.
      </p>
      <Form method="post" className="mt-4 space-y-3">
        <input type="hidden" name="intent" value="email" />
        {saved ? <Notice tone="success">Your email choice is saved.</Notice> : null}
        <fieldset className="space-y-2">
          <legend className="sr-only">Send me email</legend>
          {CHOICES.map((choice) => (
            <label key={choice.value} className="flex items-start gap-2">
              <input type="radio" name="delivery" value={choice.value} defaultChecked={delivery === choice.value} className="mt-1" />
              <span>
                <span className="font-medium">{choice.label}</span>
                <span className="block text-xs text-slate-500">{choice.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <Button disabled={busy}>Save email choice</Button>
      </Form>
      {recent.length ? (
        <div className="mt-6">
          <h3 className="text-sm font-semibold">Recent emails to you</h3>
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {recent.map((m) => (
              <li key={m.id} className="py-1.5">
                <span className="font-medium">{m.subject}</span>{" "}
                <span className={m.status === "failed" || m.status === "retrying" ? "text-red-700" : "text-slate-500"}>
                  · {STATUS_WORDS[m.status]}
                  {m.lastError && m.status !== "sent" ? ` (${m.lastError})` : ""}
                </span>
                <time className="block text-xs text-slate-500" dateTime={m.createdAt}>
                  {formatUtc(m.createdAt)}
                </time>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}
