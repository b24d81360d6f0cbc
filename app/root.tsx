import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import { authenticateRequest } from "#app/services/auth.server.ts";
import { unreadNotificationCount } from "#app/services/notifications.server.ts";
import { AppHeader } from "#app/components/app-header.tsx";
import { useNonce } from "#app/components/nonce.tsx";
import stylesheet from "#app/tailwind.css";
import { nothingLive, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Consilience" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await authenticateRequest(request);
  const user = caller?.via === "session" ? caller.user : null;
  return { user, unreadNotifications: user ? await unreadNotificationCount(user.id) : 0 };
}

/** The signed-in user and the unread count (kept live by its own nudges): workspace events never change them. */
export const shouldRevalidate = revalidateOnLiveEvents(nothingLive);

function Document({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en" className="h-full bg-slate-50">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="h-full font-sans text-slate-900 antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { user, unreadNotifications } = useLoaderData<typeof loader>();
  return (
    <Document>
      <AppHeader user={user} unreadNotifications={unreadNotifications} />
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : "Something went wrong";
  const message = isRouteErrorResponse(error)
    ? typeof error.data === "string"
      ? error.data
      : "This page could not be shown."
    : "An unexpected error happened. Reload the page; if it keeps happening, tell the workspace lead.";
  return (
    <Document>
      <main className="mx-auto max-w-xl px-4 py-16">
        <h1 className="text-2xl font-semibold">{title}</h1>
        <p className="mt-3 text-slate-600">{message}</p>
        <a className="mt-6 inline-block text-brand-700 underline" href="/">
          Back to the start page
        </a>
      </main>
    </Document>
  );
}
