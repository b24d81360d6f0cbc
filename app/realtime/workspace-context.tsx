/**
 * The workspace every page inside it shares (its name, the caller's role, the
 * roster for @mentions), kept current from membership and settings events
 * without reloading the workspace's loader.
 */
import { createContext, useContext, type ReactNode } from "react";
import type { Role } from "#app/domain/roles.ts";
import { useLivePatched } from "./live-events.ts";
import { patchWorkspaceLayout } from "./patches/members.ts";

/** What the workspace layout's loader gives every page inside it. */
export interface WorkspaceContext {
  workspace: { id: string; name: string; description: string; role: Role };
  me: { id: string; name: string; email: string };
  members: { userId: string; name: string; role: Role }[];
  /** The newest event the loader had seen: the live channel replays from there. */
  latestEventId: string | null;
}

const Context = createContext<WorkspaceContext | null>(null);

export function WorkspaceProvider({ data, children }: { data: WorkspaceContext; children: ReactNode }) {
  const live = useLivePatched(data, patchWorkspaceLayout);
  return <Context.Provider value={live}>{children}</Context.Provider>;
}

/** The workspace of the page; only inside a workspace's pages. */
export function useWorkspace(): WorkspaceContext {
  const context = useContext(Context);
  if (!context) throw new Error("useWorkspace is for pages inside a workspace.");
  return context;
}
