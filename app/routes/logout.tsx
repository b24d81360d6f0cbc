import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { authenticateRequest } from "#app/services/auth.server.ts";
import { clearedSessionCookie, invalidateSession } from "#app/services/session.server.ts";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const caller = await authenticateRequest(request);
  if (caller?.via === "session") await invalidateSession(caller.sessionId);
  return redirect("/", { headers: { "Set-Cookie": clearedSessionCookie() } });
}
