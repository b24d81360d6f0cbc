import { Form, Link } from "@remix-run/react";
import { closeSocket } from "#app/realtime/socket.ts";
import { useUnreadNotifications } from "#app/realtime/use-unread-notifications.ts";

interface Props {
  user: { id: string; name: string; email: string } | null;
  unreadNotifications?: number;
}

export function AppHeader({ user, unreadNotifications: fromLoader = 0 }: Props) {
  const unreadNotifications = useUnreadNotifications(fromLoader, user !== null);
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
        <Link to={user ? "/workspaces" : "/"} className="flex items-center gap-2 font-semibold text-brand-700">
          <span aria-hidden className="inline-block h-6 w-6 rounded-full bg-brand-500" />
          Consilience
        </Link>
        {user ? (
          <nav aria-label="Account" className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
            <Link to="/workspaces" className="text-slate-700 hover:text-slate-900">
              Workspaces
            </Link>
            <Link to="/notifications" className="inline-flex items-center gap-1 text-slate-700 hover:text-slate-900">
              Notifications
              {unreadNotifications > 0 ? (
                <>
                  {/* A plain span may not carry a name (ARIA 1.2): the words are for screen readers, the badge for the eye. */}
                  <span
                    data-testid="unread-count"
                    aria-hidden="true"
                    className="rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white"
                  >
                    {unreadNotifications}
                  </span>
                  <span className="sr-only">, {unreadNotifications} unread</span>
                </>
              ) : null}
            </Link>
            <Link to="/settings" className="text-slate-700 hover:text-slate-900" title={user.email}>
              <span className="hidden sm:inline">{user.name}</span>
              <span className="sm:hidden">Account</span>
            </Link>
            <Form method="post" action="/logout" onSubmit={closeSocket}>
              <button type="submit" className="text-slate-700 hover:text-slate-900">
                Sign out
              </button>
            </Form>
          </nav>
        ) : (
          <nav aria-label="Account" className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
            <Link to="/login" className="text-slate-700 hover:text-slate-900">
              Sign in
            </Link>
            <Link to="/signup" className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700">
              Create an account
            </Link>
          </nav>
        )}
      </div>
    </header>
  );
}
