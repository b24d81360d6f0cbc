/** How the API writes the caller's notifications. */
import type { z } from "zod";
import type { Notification } from "#db/schema.ts";
import type { NotificationJson, NotificationListJson } from "#app/schemas/goals.ts";

export const notificationJson = (n: Notification): z.output<typeof NotificationJson> => ({
  id: n.id,
  workspaceId: n.workspaceId,
  kind: n.kind,
  target: { type: n.targetType, id: n.targetId },
  title: n.title,
  body: n.body,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});

export const notificationListJson = (list: Notification[], unreadCount: number): z.output<typeof NotificationListJson> => ({
  items: list.map(notificationJson),
  nextCursor: null,
  unreadCount,
});
