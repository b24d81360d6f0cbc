/**
 * The event vocabulary: every change the app records, shared by the server
 * (which writes them) and the browser (which shows and applies them).
 * Adding a kind of change means adding a line to EVENT_TYPES and its payload
 * to EventPayloads, here first: the two must name the same types.
 */
import type { CommentView } from "./comments.ts";
import type { DatasetKind } from "./datasets.ts";
import type { GoalStatus, MetricKind, MetricParams } from "./goals.ts";
import type { ProtocolStatus } from "./protocol-status.ts";
import type { ResultView } from "./results.ts";
import type { ARM_CLASSES, OUTCOME_KINDS, STUDY_DESIGNS } from "./studies.ts";
import type { Role } from "./roles.ts";

export const EVENT_TYPES = {
  "user.registered": "signed up",
  "user.renamed": "changed their name",
  "user.orcid_changed": "changed their ORCID iD",
  "user.password_changed": "changed their password",
  "token.created": "created an access token",
  "token.revoked": "revoked an access token",
  "workspace.created": "created the workspace",
  "workspace.updated": "updated the workspace settings",
  "invitation.created": "created an invitation",
  "invitation.revoked": "revoked an invitation",
  "member.joined": "joined the workspace",
  "member.role_changed": "changed a member's role",
  "member.removed": "removed a member",
  "audit.exported": "exported the audit trail",
  "workspace.exported": "exported the whole workspace",
  "protocol.created": "created a protocol",
  "protocol.version_added": "saved a new protocol version",
  "protocol.updated": "changed a protocol's title or status",
  "protocol.forked": "forked a protocol",
  "protocol.draft_edited": "edited a protocol's live draft",
  "panel.created": "created a biomarker panel",
  "panel.updated": "edited a biomarker panel",
  "panel.imported": "imported a data dictionary into a panel",
  "study.created": "created a study",
  "study.updated": "edited a study",
  "dataset.imported": "imported a dataset",
  "site_summary.uploaded": "uploaded a site summary",
  "result.created": "added a result",
  "result.updated": "edited a result",
  "result.mapped": "mapped a result to a patient profile",
  "profile.created": "created a patient profile",
  "profile.updated": "edited a patient profile",
  "snapshot.created": "froze a snapshot of an analysis",
  "snapshot.withdrawn": "withdrew a snapshot",
  "registration.created": "pre-registered an analysis",
  "comment.created": "commented",
  "comment.edited": "edited a comment",
  "comment.deleted": "deleted a comment",
  "comment.resolved": "resolved a thread",
  "comment.reopened": "reopened a thread",
  "goal.created": "created a goal",
  "goal.updated": "edited a goal",
  "goal.milestone_added": "added a milestone to a goal",
  "goal.milestone_updated": "updated a milestone",
  // `satisfies` with an object literal refuses a missing type and an extra one alike.
} as const satisfies Record<keyof EventPayloads, string>;

export type EventType = keyof typeof EVENT_TYPES;

export function isEventType(value: unknown): value is EventType {
  return typeof value === "string" && Object.hasOwn(EVENT_TYPES, value);
}

/** An event that carries nothing but its type, actor and target: `payload` is `{}` on the wire. */
export type NoPayload = Record<string, never>;

/** What each kind of comment event adds to the comment itself. */
export interface CommentChanges {
  /** `mentions`: the ids of the members the comment mentions. */
  "comment.created": { mentions: string[] };
  "comment.edited": { before: string; after: string };
  /** `before`: the text the deletion blanked; the trail keeps it. */
  "comment.deleted": { before: string };
  "comment.resolved": Record<never, never>;
  "comment.reopened": Record<never, never>;
}
export type CommentEventType = keyof CommentChanges;
type CommentPayloads = { [T in CommentEventType]: { comment: CommentView } & CommentChanges[T] };

interface BiomarkerRef {
  id: string;
  code: string;
}
/** Biomarker fields by name (code, unit, cut-offs…): only the changed ones on an edit, the whole definition on add and remove. */
type BiomarkerFields = Record<string, unknown>;

/** The one change a `panel.updated` event describes. */
export type PanelChange =
  | { change: "details"; before: Partial<Record<"name" | "description", string>>; after: Partial<Record<"name" | "description", string>> }
  | { change: "biomarker_added"; biomarker: BiomarkerRef; before: null; after: BiomarkerFields }
  | { change: "biomarker_updated"; biomarker: BiomarkerRef; fields: string[]; before: BiomarkerFields; after: BiomarkerFields }
  | { change: "biomarker_removed"; biomarker: BiomarkerRef; before: BiomarkerFields; after: null };

interface StudySummary {
  title: string;
  design: (typeof STUDY_DESIGNS)[number] | null;
  registryId: string | null;
  population: string;
  protocolId: string | null;
  panelId: string | null;
  arms: { id: string; name: string; class: (typeof ARM_CLASSES)[number]; dose: string }[];
  outcomes: { id: string; name: string; kind: (typeof OUTCOME_KINDS)[number]; timepoint: string }[];
}

/** A result as the API answers it (its times as ISO text); its events keep the whole of it before and after. */
type ResultSnapshot = Omit<ResultView, "createdAt" | "updatedAt"> & { createdAt: string; updatedAt: string };

interface ProfileSummary {
  name: string;
  description: string;
  /** The criteria as a line of text ("CRP ≥ 3 mg/L and BMI ≥ 30"). */
  criteria: string;
}

interface GoalSummary {
  title: string;
  description: string;
  ownerId: string | null;
  dueDate: string | null;
  status: GoalStatus;
}

interface MilestoneSummary {
  title: string;
  metric: MetricKind;
  params: MetricParams;
  target: number | null;
  value: number | null;
  done: boolean;
  ownerId: string | null;
  dueDate: string | null;
}

/**
 * What `payload` holds for each type of event, as the audit trail stores it
 * and the API and the live channel carry it. Services are checked against it
 * when they record an event; a listener that switches on `event.type` reads
 * the payload of that type.
 */
export interface EventPayloads extends CommentPayloads {
  "user.registered": NoPayload;
  "user.renamed": { before: string; after: string };
  "user.orcid_changed": { before: string | null; after: string | null };
  "user.password_changed": NoPayload;
  "token.created": { label: string; expiresAt: string };
  "token.revoked": { label: string };
  "workspace.created": { name: string };
  "workspace.updated": { before: { name: string; description: string }; after: { name: string; description: string } };
  "invitation.created": { role: Role; expiresAt: string };
  "invitation.revoked": { role: Role };
  /** The joiner is the event's target; `name` is theirs. */
  "member.joined": { role: Role; invitationId: string; name: string };
  "member.role_changed": { name: string; before: Role; after: Role };
  "member.removed": { name: string; role: Role };
  "audit.exported": { format: "csv" };
  "workspace.exported": { format: "zip" };
  "protocol.created": { title: string; version: number; note: string | null };
  /** `before`/`after` only when saving the version changed the protocol's status. */
  "protocol.version_added": {
    title: string;
    version: number;
    previousVersion: number;
    note: string | null;
    before?: { status: ProtocolStatus };
    after?: { status: ProtocolStatus };
  };
  /** `title` is the protocol's title after the change; `before`/`after` hold only what changed. */
  "protocol.updated": {
    title: string;
    version: number;
    before: { title?: string; status?: ProtocolStatus };
    after: { title?: string; status?: ProtocolStatus };
  };
  /** Recorded in both workspaces: "out" in the origin's, "in" in the fork's. */
  /**
   * Someone began a spell of editing the live draft: one event per person per quiet minute, never one per
   * keystroke (the keystrokes are the draft's own updates).
   */
  "protocol.draft_edited": { title: string; sinceVersion: number };
  "protocol.forked":
    | { direction: "out"; title: string; version: number }
    | { direction: "in"; title: string; forkedFromProtocolId: string; forkedFromWorkspaceId: string; forkedFromVersion: number };
  "panel.created": {
    name: string;
    version: number;
    biomarkers: number;
    fromDefault: boolean;
    /** When made from another system's data dictionary (decision 026): which fields were mapped and which skipped. */
    imported?: {
      source: "redcap" | "odm";
      fileName: string | null;
      mapped: { field: string; code: string }[];
      skipped: { field: string; reason: string }[];
    };
  };
  "panel.updated": { panel: string; version: number } & PanelChange;
  "panel.imported": {
    panel: string;
    version: number;
    mode: "replace" | "merge";
    /** Biomarker codes. */
    added: string[];
    updated: string[];
    removed: string[];
    unchanged: number;
    before: { version: number; codes: string[] };
    after: { version: number; codes: string[] };
  };
  "study.created": { title: string; arms: string[] };
  "study.updated": { version: number; before: StudySummary; after: StudySummary };
  "dataset.imported": {
    studyId: string;
    name: string;
    version: number;
    kind: DatasetKind;
    rowCount: number;
    /** Columns whose values were converted to the panel's unit. */
    conversions: { column: string; biomarker: string | null; from: string | null; to: string | null }[];
  };
  "site_summary.uploaded": {
    studyId: string;
    study: string;
    site: string;
    version: number;
    /** Rows the site read, profiles and interactions it summarised, and cells it withheld. */
    rows: number;
    profiles: number;
    interactions: number;
    withheld: number;
  };
  /** `result`: the new result as the API answers it (absent from events recorded before it was added). */
  "result.created": {
    studyId: string;
    study: string;
    intervention: string;
    comparator: string;
    subgroup: string;
    result?: ResultSnapshot;
  };
  "result.updated": { version: number; before: ResultSnapshot; after: ResultSnapshot };
  /** `before`/`after`: the profile ids; `profile`/`cutoff` describe the new mapping (null when unmapped). */
  "result.mapped": {
    studyId: string;
    subgroup: string;
    before: string | null;
    after: string | null;
    profile: string | null;
    cutoff: string | null;
  };
  "profile.created": { name: string; criteria: string };
  "profile.updated": { version: number; before: ProfileSummary; after: ProfileSummary };
  "snapshot.created": { title: string; number: number; scope: string; hash: string };
  "snapshot.withdrawn": { title: string; number: number; reason: string };
  "registration.created": { title: string; number: number; hash: string; protocolVersion: number; profiles: number };
  "goal.created": { title: string; dueDate: string | null; status: GoalStatus; ownerId: string | null };
  "goal.updated": { version: number; before: GoalSummary; after: GoalSummary };
  "goal.milestone_added": { goalId: string; goal: string; milestoneId: string; title: string; metric: MetricKind };
  "goal.milestone_updated": {
    goalId: string;
    goal: string;
    milestoneId: string;
    version: number;
    before: MilestoneSummary;
    after: MilestoneSummary;
  };
}

/** An event of one type as the API and the live channel carry it. */
export interface PublicEventOf<T extends EventType> {
  id: string;
  workspaceId: string | null;
  type: T;
  actor: { id: string; name: string };
  target: { type: string; id: string };
  payload: EventPayloads[T];
  createdAt: string;
}

/** Any event: a union on `type`, so `switch (event.type)` narrows `payload`. */
export type PublicEvent = { [T in EventType]: PublicEventOf<T> }[EventType];

/** Whether an event is one of the comment family, whose payload carries the comment (every `comment.*` type is in CommentChanges). */
export function isCommentEvent(event: PublicEvent): event is Extract<PublicEvent, { type: CommentEventType }> {
  return event.type.startsWith("comment.");
}
