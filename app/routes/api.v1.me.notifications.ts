import { apiRoute } from "#app/http/api.server.ts";
import { notificationListJson } from "#app/public-shapes/notifications.ts";
import { listNotifications, unreadNotificationCount } from "#app/services/notifications.server.ts";

export const { loader, action } = apiRoute({
  GET: async ({ caller }) => notificationListJson(await listNotifications(caller.user), await unreadNotificationCount(caller.user.id)),
});
