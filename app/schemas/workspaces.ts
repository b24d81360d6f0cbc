/** Input rules for workspaces, members and invitations. */
import { z } from "zod";
import { ROLES } from "#app/domain/roles.ts";

export const role = z.enum(ROLES, { error: `Choose a role: ${ROLES.join(", ")}.` });

const workspaceName = z
  .string({ error: "Give the workspace a name." })
  .trim()
  .min(1, "Give the workspace a name.")
  .max(120, "A workspace name has at most 120 characters.");

const workspaceDescription = z.string().trim().max(2000, "A description has at most 2000 characters.");

export const CreateWorkspaceInput = z.object({ name: workspaceName, description: workspaceDescription.default("") });

// Only what is sent changes: the create default must not blank the description on a rename.
export const UpdateWorkspaceInput = z
  .object({ name: workspaceName.optional(), description: workspaceDescription.optional() })
  .refine((v) => v.name !== undefined || v.description !== undefined, {
    message: "Send a name or a description to change.",
  });

export const CreateInvitationInput = z.object({ role });

export const ChangeRoleInput = z.object({ role });

export const EventsQuery = z.object({
  after: z.coerce.number({ error: "after must be an event id." }).int().min(0).default(0),
  limit: z.coerce.number({ error: "limit must be a number." }).int().min(1).max(1000).default(100),
});
