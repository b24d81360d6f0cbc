/**
 * The demo's biomarker panel: the default immuno-metabolic panel of
 * docs/domain.md, created by the lead through the same service a person uses.
 */
import { DEFAULT_PANEL_DESCRIPTION, DEFAULT_PANEL_NAME } from "#app/domain/default-panel.ts";
import type { PublicUser } from "#app/services/accounts.server.ts";
import { createPanel, type PanelView } from "#app/services/panels.server.ts";

export interface PanelSeedContext {
  lead: PublicUser;
  contributors: PublicUser[];
  observer: PublicUser;
  workspaceId: string;
}

export async function seedPanels(ctx: PanelSeedContext): Promise<{ panel: PanelView }> {
  const panel = await createPanel(ctx.lead, ctx.workspaceId, {
    name: DEFAULT_PANEL_NAME,
    description: DEFAULT_PANEL_DESCRIPTION,
    fromDefault: true,
  });
  return { panel };
}
