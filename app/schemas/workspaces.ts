/** Workspaces, members, invitations and the audit trail: input rules and the API's answers. */
import { z } from "zod";
import { EVENT_TYPES, type EventType } from "#app/domain/events.ts";
import { ROLES } from "#app/domain/roles.ts";
import { requestShape, responseShape } from "./components.ts";
import { Id, IsoTime } from "./json.ts";
import { Paged } from "./paging.ts";

export const role = z.enum(ROLES, { error: `Choose a role: ${ROLES.join(", ")}.` });

const workspaceName = z
  .string({ error: "Give the workspace a name." })
  .trim()
  .min(1, "Give the workspace a name.")
  .max(120, "A workspace name has at most 120 characters.");

const workspaceDescription = z.string().trim().max(2000, "A description has at most 2000 characters.");

export const CreateWorkspaceInput = requestShape(
  "CreateWorkspaceInput",
  z.object({ name: workspaceName, description: workspaceDescription.default("") }),
);

// Only what is sent changes: the create default must not blank the description on a rename.
export const UpdateWorkspaceInput = requestShape(
  "UpdateWorkspaceInput",
  z
    .object({ name: workspaceName.optional(), description: workspaceDescription.optional() })
    .refine((v) => v.name !== undefined || v.description !== undefined, {
      message: "Send a name or a description to change.",
    }),
);

export const CreateInvitationInput = requestShape("CreateInvitationInput", z.object({ role }));

export const ChangeRoleInput = requestShape("ChangeRoleInput", z.object({ role }));

export const EventsQuery = z.object({
  after: z.coerce.number({ error: "after must be an event id." }).int().min(0).default(0),
  limit: z.coerce.number({ error: "limit must be a number." }).int().min(1).max(1000).default(100),
});

// Answers

export const RoleJson = responseShape(
  "Role",
  z.enum(ROLES).describe("observer reads and comments; contributor also creates and edits; lead also manages members and settings."),
);

export const WorkspaceJson = responseShape(
  "Workspace",
  z.object({
    id: Id,
    name: z.string(),
    description: z.string(),
    role: RoleJson.describe("The caller's role in this workspace."),
    createdAt: IsoTime,
  }),
);

export const WorkspaceListJson = responseShape("WorkspaceList", Paged(WorkspaceJson).describe("The caller's workspaces, by name."));

export const MemberJson = responseShape(
  "Member",
  z.object({ userId: Id, name: z.string(), email: z.email(), role: RoleJson, joinedAt: IsoTime }),
);

export const MemberListJson = responseShape("MemberList", Paged(MemberJson).describe("The members of the workspace, by name."));

export const InvitationJson = responseShape(
  "Invitation",
  z
    .object({
      id: Id,
      role: RoleJson,
      createdBy: z.string().describe("The name of the lead who created it."),
      createdAt: IsoTime,
      expiresAt: IsoTime,
    })
    .describe("A pending invitation. Its token is shown only once, when it is created."),
);

export const InvitationListJson = responseShape(
  "InvitationList",
  Paged(InvitationJson).describe("Invitations that can still be accepted, newest first."),
);

export const CreatedInvitationJson = responseShape(
  "CreatedInvitation",
  z.object({
    id: Id,
    token: z.string().describe("Shown once; the invitee accepts with it."),
    url: z.url().describe("The link to share."),
    role: RoleJson,
    expiresAt: IsoTime,
  }),
);

export const AcceptedInvitationJson = responseShape("AcceptedInvitation", z.object({ workspaceId: Id, role: RoleJson }));

export const EventJson = responseShape(
  "Event",
  z
    .object({
      id: z.string().regex(/^\d+$/).describe("Increasing; use it as `after` to read on."),
      workspaceId: Id.nullable(),
      type: z.enum(Object.keys(EVENT_TYPES) as [EventType, ...EventType[]]),
      actor: z.object({ id: Id, name: z.string() }),
      target: z.object({ type: z.string(), id: Id }),
      payload: z.record(z.string(), z.unknown()),
      createdAt: IsoTime,
    })
    .describe("One entry of the audit trail; the live channel carries the same events with the same ids."),
);

export const EventListJson = responseShape(
  "EventList",
  Paged(EventJson).describe("Events in id order; nextCursor is the `after` for the next page."),
);
