/** The activity page's newest-first list, grown by each event as it happens (only on its first page). */
import type { PublicEvent } from "#app/domain/events.ts";

interface ActivityPage {
  items: PublicEvent[];
}

/** `type`: the kind the page is filtered to, if any; `newest`: whether the page shows the newest changes. */
export function patchActivity<T extends ActivityPage>(page: T, event: PublicEvent, view: { type: string | null; newest: boolean }): T {
  if (!view.newest || (view.type && event.type !== view.type)) return page;
  const newestId = page.items.length ? Number(page.items[0].id) : 0;
  return Number(event.id) > newestId ? { ...page, items: [event, ...page.items] } : page;
}
