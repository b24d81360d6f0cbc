/** The workspace's search field in the header; `/` jumps to it from anywhere on the page but a field. */
import { Form, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { MAX_QUERY_LENGTH } from "#app/domain/search-text.ts";

/** Whether a key press belongs to something the user is typing in. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function SearchBox({ workspaceId }: { workspaceId: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [params] = useSearchParams();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  return (
    <Form method="get" action={`/workspaces/${workspaceId}/search`} role="search" className="flex items-center gap-2">
      <label htmlFor="workspace-search" className="sr-only">
        Search this workspace
      </label>
      <input
        ref={input}
        id="workspace-search"
        name="q"
        type="search"
        key={params.get("q") ?? ""}
        defaultValue={params.get("q") ?? ""}
        maxLength={MAX_QUERY_LENGTH}
        placeholder="Search this workspace"
        aria-describedby="workspace-search-hint"
        autoComplete="off"
        className="w-56 rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
      />
      <span id="workspace-search-hint" className="hidden text-xs text-slate-500 sm:inline">
        Press <kbd className="rounded border border-slate-300 px-1">/</kbd>
      </span>
    </Form>
  );
}
