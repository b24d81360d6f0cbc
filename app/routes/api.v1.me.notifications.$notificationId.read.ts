import { apiRoute, requireParam } from "#app/http/api.server.ts";
import { notificationJson } from "#app/public-shapes/notifications.ts";
import { markRead } from "#app/services/notifications.server.ts";

export const { loader, action } = apiRoute({
  POST: async ({ caller, params }) => notificationJson(await markRead(caller.user, requireParam(params, "notificationId"))),
});
