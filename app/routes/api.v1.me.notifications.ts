import { apiRoute } from "#app/http/api.server.ts";
import { listNotifications, notificationJson, unreadNotificationCount } from "#app/services/notifications.server.ts";

export const { loader, action } = apiRoute({
  GET: ({ caller }) => ({
    items: listNotifications(caller.user).map(notificationJson),
    nextCursor: null,
    unreadCount: unreadNotificationCount(caller.user.id),
  }),
});
