import { describeEvent, formatUtc } from "#app/domain/event-descriptions.ts";
import type { PublicEvent } from "#app/domain/events.ts";

/** The audit trail as people read it: who, what, when, and the before/after where it matters. */
export function EventList({ events }: { events: PublicEvent[] }) {
  return (
    <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
      {events.map((event) => (
        <li key={event.id} className="flex flex-col gap-1 px-4 py-3 text-sm sm:flex-row sm:items-baseline sm:justify-between sm:gap-4">
          <span className="min-w-0">
            <span className="font-medium">{event.actor.name}</span> {describeEvent(event)}
          </span>
          <span className="flex shrink-0 items-baseline gap-3 text-xs text-slate-500">
            <code className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700">{event.type}</code>
            <time dateTime={event.createdAt}>{formatUtc(event.createdAt)}</time>
          </span>
        </li>
      ))}
    </ol>
  );
}
