/**
 * Which loaders a burst of events makes stale. Views patch most events in
 * place (see `live-events.ts`); an event a view cannot patch makes the page
 * reload only the loaders that show what it changed, once per burst, never the
 * root's or the workspace's for events that do not touch them.
 *
 * Each page route declares what its loader shows with
 * `export const shouldRevalidate = revalidateOnLiveEvents(…)`; Remix asks every
 * mounted route when the live hook revalidates, and the route answers from the
 * burst's events. Navigations and form submissions keep Remix's default.
 */
import type { Params, ShouldRevalidateFunction } from "@remix-run/react";
import type { EventType, PublicEvent } from "#app/domain/events.ts";

/** The events of the burst being revalidated for; null when Remix revalidates for any other reason. */
let liveCause: readonly PublicEvent[] | null = null;

/** Comment views patch every comment event themselves (`useComments`): no loader shows comments. */
export function isPatchedByEveryView(type: EventType): boolean {
  return type.startsWith("comment.");
}

/**
 * Revalidates on behalf of `events`; `revalidate` is the router's. The router asks
 * each route's `shouldRevalidate` synchronously inside `revalidate()` (it starts
 * loading before its first await), so the cause is set only for that call.
 */
export function revalidateForEvents(events: readonly PublicEvent[], revalidate: () => void): void {
  liveCause = events;
  try {
    revalidate();
  } finally {
    liveCause = null;
  }
}

/** What a loader shows: true for the events that make it stale (`params`: the page's route parameters). */
export type LoaderDependsOn = (event: PublicEvent, params: Params) => boolean;

/** A route's `shouldRevalidate`: on a burst of events, only when one of them is something its loader shows. */
export function revalidateOnLiveEvents(dependsOn: LoaderDependsOn): ShouldRevalidateFunction {
  return (args) => {
    const forEvents =
      liveCause !== null && !args.formMethod && args.actionResult === undefined && args.currentUrl.href === args.nextUrl.href;
    if (!forEvents) return args.defaultShouldRevalidate;
    return (liveCause ?? []).some((event) => !isPatchedByEveryView(event.type) && dependsOn(event, args.currentParams));
  };
}

/** Event types by family (`study.`, `dataset.`) or whole name (`goal.milestone_added`), the way most loaders depend on them. */
export function family(...prefixes: string[]): LoaderDependsOn {
  return (event) => prefixes.some((prefix) => event.type === prefix || event.type.startsWith(prefix));
}

/** Both must hold: e.g. a kind of event, about the page's own resource. */
export function both(a: LoaderDependsOn, b: LoaderDependsOn): LoaderDependsOn {
  return (event, params) => a(event, params) && b(event, params);
}

/** Either holds. */
export function either(...conditions: LoaderDependsOn[]): LoaderDependsOn {
  return (event, params) => conditions.some((condition) => condition(event, params));
}

/** A loader that shows nothing events change (or whose view patches everything it shows). */
export const nothingLive: LoaderDependsOn = () => false;

/** A loader that shows the workspace's data broadly (a dashboard, a matrix): any event it cannot patch. */
export const everythingLive: LoaderDependsOn = () => true;

/** An event whose target is the page's `param` (a study, a protocol, a goal…). */
export function targets(param: string): LoaderDependsOn {
  return (event, params) => params[param] !== undefined && event.target.id === params[param];
}

/** An event about the page's study: the study itself, or a dataset, result or site summary of it. */
export const aboutStudy: LoaderDependsOn = (event, params) => {
  if (event.target.id === params.studyId) return true;
  const payload = event.payload as { studyId?: unknown; after?: { studyId?: unknown } };
  return payload.studyId === params.studyId || payload.after?.studyId === params.studyId;
};

/** Who is looking at the page (set by the workspace's live hook): a page that read their role reloads when it changes. */
let viewerId: string | null = null;
export function setLiveViewer(userId: string | null): void {
  viewerId = userId;
}

/** A change to the caller's own role alters what a page that read the role offers: reload it then. */
export const roleChanges: LoaderDependsOn = (event) => event.type === "member.role_changed" && event.target.id === viewerId;

/** The workspace's research data: what counts, profiles, comparisons and health are computed from. */
export const researchData = family("study.", "dataset.", "result.", "profile.", "panel.", "site_summary.", "protocol.");
