/**
 * The workspace every page inside it shares (its name, the caller's role, the
 * roster for @mentions), kept current from membership and settings events
 * without reloading the workspace's loader.
 */
import type { SerializeFrom } from "@remix-run/node";
import { createContext, useContext, type ReactNode } from "react";
import type { loader } from "#app/routes/workspaces.$workspaceId.tsx";
import { useLivePatched } from "./live-events.ts";
import { patchWorkspaceLayout } from "./patches/members.ts";

export type WorkspaceContext = SerializeFrom<typeof loader>;

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
