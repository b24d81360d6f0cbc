import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { EmptyState } from "#app/components/ui/notice.tsx";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { notificationPath } from "#app/domain/notification-links.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { notificationJson } from "#app/public-shapes/notifications.ts";
import { listNotifications, markRead } from "#app/services/notifications.server.ts";

export const meta: MetaFunction = () => [{ title: "Notifications · Consilience" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return { notifications: (await listNotifications(user)).map(notificationJson) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = Object.fromEntries(await request.formData());
  return handleFormAction(async () => {
    await markRead(user, String(form.notificationId));
    return { ok: true as const };
  }, "read");
}

export default function Notifications() {
  const { notifications } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="text-2xl font-semibold">Notifications</h1>
      <p className="mt-1 text-sm text-slate-600">Mentions of you, replies in threads you are in, and reminders about goals you own.</p>
      {notifications.length === 0 ? (
        <div className="mt-6">
          <EmptyState title="Nothing for you yet">When a goal you own comes due, a reminder appears here.</EmptyState>
        </div>
      ) : (
        <ul className="mt-6 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {notifications.map((n) => {
            const url = notificationPath(n);
            return (
              <li
                key={n.id}
                className={`flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-start sm:justify-between ${n.readAt ? "" : "bg-brand-50/40"}`}
              >
                <div className="min-w-0">
                  <p className="font-medium">
                    {n.readAt ? null : <span className="sr-only">Unread: </span>}
                    {url ? (
                      <Link to={url} className="hover:underline">
                        {n.title}
                      </Link>
                    ) : (
                      n.title
                    )}
                  </p>
                  {n.body ? <p className="mt-0.5 text-sm text-slate-600">{n.body}</p> : null}
                  <time className="mt-0.5 block text-xs text-slate-500" dateTime={n.createdAt}>
                    {formatUtc(n.createdAt)}
                  </time>
                </div>
                {n.readAt ? (
                  <span className="text-xs text-slate-500">Read</span>
                ) : (
                  <Form method="post">
                    <input type="hidden" name="notificationId" value={n.id} />
                    <Button variant="secondary" disabled={busy} aria-label={`Mark “${n.title}” as read`}>
                      Mark as read
                    </Button>
                  </Form>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </main>
  );
}
