/** Where a notification leads: the page of what it is about (the in-app list and emails link alike). */
export function notificationPath(n: { workspaceId: string | null; target: { type: string; id: string } }): string | null {
  if (!n.workspaceId) return null;
  const section: Record<string, string> = { goal: "goals", study: "studies", dataset: "datasets", protocol: "protocols", panel: "panels" };
  const path = section[n.target.type];
  return path ? `/workspaces/${n.workspaceId}/${path}/${n.target.id}` : `/workspaces/${n.workspaceId}`;
}
