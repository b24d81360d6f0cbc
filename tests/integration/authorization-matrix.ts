/**
 * Who may do what, route by route: the expected answer of every route file ×
 * method × actor. tests/integration/authorization-matrix.test.ts checks each
 * cell against the running app, and fails when a route file has no entry here —
 * a new route must say who may use it before it ships.
 *
 * Actors:
 * - anonymous: no credentials.
 * - outsider: signed in, lead of another workspace, asking for this workspace's paths.
 * - observer, contributor, lead: members of this (the demo) workspace.
 * - idor: the other workspace's lead, using their OWN workspace in the path but
 *   object ids of this workspace (the classic insecure direct object reference).
 * - foreign: this workspace's lead, using this workspace in the path but object
 *   ids from the other workspace.
 * idor and foreign only apply to routes whose path carries an object id.
 *
 * Answers:
 * Bodies may name ids as "{param}" (filled in per actor).
 *
 * - allow: got past authorisation — 2xx, a redirect elsewhere than /login, or
 *   (for writes sent a deliberately empty or minimal body) 400/409/422 from the
 *   validation that runs only after the role check.
 * - deny-auth: 401 (API) or a redirect to /login (pages).
 * - deny-role: 403.
 * - hidden: 404.
 */

export type Actor = "anonymous" | "outsider" | "observer" | "contributor" | "lead" | "idor" | "foreign";
export type Answer = "allow" | "deny-auth" | "deny-role" | "hidden";
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type Role = "observer" | "contributor" | "lead";

export const ACTORS: Actor[] = ["anonymous", "outsider", "idor", "foreign", "observer", "contributor", "lead"];

/**
 * What a cell may ask the test to prepare: a throwaway object (so a write that succeeds destroys nothing).
 * "lead-token" makes a throwaway token of this workspace's lead, named {leadTokenId}: a placeholder other
 * tests that walk the matrix leave unfilled, so they never revoke the lead's working token.
 */
export type Fresh =
  | "comment"
  | "token"
  | "lead-token"
  | "invitation"
  | "member"
  | "biomarker"
  | "session"
  | "bearer"
  | "workspace-invitation";

export interface Cell {
  expect: Partial<Record<Actor, Answer>>;
  /** JSON body (API) — `{}` unless given. */
  body?: unknown;
  /** Form fields (page actions). */
  form?: Record<string, string>;
  /** Query string appended to the path. */
  query?: string;
  fresh?: Fresh;
}

export interface RouteEntry {
  file: string;
  methods: Partial<Record<Method, Cell>>;
}

/** A base version no object has reached: a write that gets through is refused with 409 and changes nothing. */
const STALE = 999_999;

const ROLE_ORDER: Role[] = ["observer", "contributor", "lead"];

/** A workspace route: members from `min` up are let through, others are told it does not exist. */
function member(min: Role, extra: Partial<Cell> = {}): Cell {
  const roles = Object.fromEntries(
    ROLE_ORDER.map((r) => [r, ROLE_ORDER.indexOf(r) >= ROLE_ORDER.indexOf(min) ? "allow" : "deny-role"]),
  ) as Record<Role, Answer>;
  return { expect: { anonymous: "deny-auth", outsider: "hidden", idor: "hidden", foreign: "hidden", ...roles }, ...extra };
}

/** Any signed-in person (account routes): no workspace is involved. */
function signedIn(extra: Partial<Cell> = {}, also: Partial<Record<Actor, Answer>> = {}): Cell {
  return {
    expect: { anonymous: "deny-auth", outsider: "allow", observer: "allow", contributor: "allow", lead: "allow", ...also },
    ...extra,
  };
}

/** Open to everyone, signed in or not. */
function open(extra: Partial<Cell> = {}): Cell {
  return { expect: { anonymous: "allow", outsider: "allow", observer: "allow", contributor: "allow", lead: "allow" }, ...extra };
}

const read = member("observer");
const write = (extra: Partial<Cell> = {}) => member("contributor", extra);
const lead = (extra: Partial<Cell> = {}) => member("lead", extra);

export const MATRIX: RouteEntry[] = [
  // ---- JSON API: accounts and tools
  {
    file: "api.v1.$.ts",
    methods: {
      GET: open({ expect: { anonymous: "hidden", outsider: "hidden", observer: "hidden", contributor: "hidden", lead: "hidden" } }),
    },
  },
  { file: "api.v1.auth.register.ts", methods: { POST: open() } },
  {
    file: "api.v1.auth.token.ts",
    // POST with no credentials in the body is refused as bad input (400) — open to anyone; DELETE revokes the token used.
    methods: { POST: open(), DELETE: signedIn({ fresh: "bearer" }) },
  },
  // The calculators need an account (they are part of the signed-in API), though they touch no workspace.
  { file: "api.v1.effect-modification.ts", methods: { POST: signedIn() } },
  { file: "api.v1.effect-sizes.ts", methods: { POST: signedIn() } },
  { file: "api.v1.meta-analysis.ts", methods: { POST: signedIn() } },
  { file: "api.v1.openapi[.json].ts", methods: { GET: open() } },
  { file: "api.v1.invitations.$token.accept.ts", methods: { POST: signedIn({ fresh: "workspace-invitation" }) } },
  { file: "api.v1.me.ts", methods: { GET: signedIn(), PATCH: signedIn() } },
  { file: "api.v1.me.tokens.ts", methods: { GET: signedIn(), POST: signedIn({ body: { label: "" } }) } },
  { file: "api.v1.me.tokens.$tokenId.ts", methods: { DELETE: signedIn({ fresh: "token" }, { idor: "hidden" }) } },
  { file: "api.v1.me.notifications.ts", methods: { GET: signedIn() } },
  { file: "api.v1.me.email.ts", methods: { GET: signedIn(), PUT: signedIn() } },
  {
    // The notification used belongs to the lead: nobody else may mark it read, or learn it exists.
    file: "api.v1.me.notifications.$notificationId.read.ts",
    methods: {
      POST: {
        expect: { anonymous: "deny-auth", outsider: "hidden", observer: "hidden", contributor: "hidden", lead: "allow", idor: "hidden" },
      },
    },
  },

  // ---- JSON API: workspaces and members
  { file: "api.v1.workspaces.ts", methods: { GET: signedIn(), POST: signedIn() } },
  { file: "api.v1.workspaces.$ws.ts", methods: { GET: read, PATCH: lead() } },
  { file: "api.v1.workspaces.$ws.members.ts", methods: { GET: read } },
  {
    file: "api.v1.workspaces.$ws.members.$userId.ts",
    methods: { PATCH: lead({ fresh: "member", body: { role: "observer" } }), DELETE: lead({ fresh: "member" }) },
  },
  { file: "api.v1.workspaces.$ws.invitations.ts", methods: { GET: lead(), POST: lead({ body: { role: "nobody" } }) } },
  { file: "api.v1.workspaces.$ws.invitations.$invitationId.ts", methods: { DELETE: lead({ fresh: "invitation" }) } },
  { file: "api.v1.workspaces.$ws.events.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.events[.csv].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.dashboard.ts", methods: { GET: read } },
  // The whole workspace as one ZIP: the lead's to take.
  { file: "api.v1.workspaces.$ws.export[.zip].ts", methods: { GET: lead() } },

  // ---- JSON API: protocols
  { file: "api.v1.workspaces.$ws.protocols.ts", methods: { GET: read, POST: write() } },
  {
    file: "api.v1.workspaces.$ws.protocols.$protocolId.ts",
    methods: { GET: read, PATCH: write({ body: { title: "Matrix", baseVersion: STALE } }) },
  },
  {
    file: "api.v1.workspaces.$ws.protocols.$protocolId.versions.ts",
    methods: { GET: read, POST: write({ body: { body: "Matrix", baseVersion: STALE } }) },
  },
  { file: "api.v1.workspaces.$ws.protocols.$protocolId.versions.$version.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.protocols.$protocolId.draft.versions.ts", methods: { POST: write({ body: {} }) } },
  { file: "api.v1.workspaces.$ws.protocols.$protocolId.diff.ts", methods: { GET: { ...read, query: "?from=1&to=1" } } },
  // Forking needs read access to the source (any member) and contributor rights in the target; the target named
  // here is the source's own workspace, which gets past the source's check and is then refused as input (400).
  { file: "api.v1.workspaces.$ws.protocols.$protocolId.fork.ts", methods: { POST: { ...read, body: { workspaceId: "{ws}" } } } },

  // ---- JSON API: panels
  { file: "api.v1.workspaces.$ws.panels.ts", methods: { GET: read, POST: write() } },
  { file: "api.v1.workspaces.$ws.panels.$panelId.ts", methods: { GET: read, PATCH: write() } },
  { file: "api.v1.workspaces.$ws.panels.$panelId.versions.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.panels.$panelId.versions.$version.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.panels.$panelId.biomarkers.ts", methods: { POST: write() } },
  {
    file: "api.v1.workspaces.$ws.panels.$panelId.biomarkers.$biomarkerId.ts",
    methods: { PATCH: write(), DELETE: write({ fresh: "biomarker" }) },
  },
  { file: "api.v1.workspaces.$ws.panels.$panelId.dictionary.ts", methods: { POST: write({ body: "" }) } },
  { file: "api.v1.workspaces.$ws.panels.$panelId.dictionary[.csv].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.panels.$panelId.redcap-dictionary[.csv].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.panels.import.ts", methods: { POST: write({ body: "" }) } },

  // ---- JSON API: studies, datasets, results
  { file: "api.v1.workspaces.$ws.studies.ts", methods: { GET: read, POST: write() } },
  { file: "api.v1.workspaces.$ws.studies.$studyId.ts", methods: { GET: read, PATCH: write() } },
  { file: "api.v1.workspaces.$ws.studies.$studyId.datasets.ts", methods: { POST: write({ body: "" }) } },
  { file: "api.v1.workspaces.$ws.studies.$studyId.site-kit[.json].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.studies.$studyId.site-summaries.ts", methods: { GET: read, POST: write() } },
  { file: "api.v1.workspaces.$ws.datasets.$datasetId.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.datasets.$datasetId.rows.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.datasets.$datasetId.summary.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.datasets.$datasetId.export[.csv].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.results.ts", methods: { GET: read, POST: write() } },
  { file: "api.v1.workspaces.$ws.results.$resultId.ts", methods: { GET: read, PATCH: write() } },
  { file: "api.v1.workspaces.$ws.results.$resultId.profile.ts", methods: { GET: read, PUT: write() } },

  // ---- JSON API: profiles and the comparison
  { file: "api.v1.workspaces.$ws.profiles.ts", methods: { GET: read, POST: write() } },
  { file: "api.v1.workspaces.$ws.profiles.$profileId.ts", methods: { GET: read, PATCH: write() } },
  { file: "api.v1.workspaces.$ws.profiles.$profileId.versions.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.profiles.$profileId.counts.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.comparison.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.comparison[.csv].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.comparison.inputs[.csv].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.comparison.cell.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.comparison.cell[.R].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.comparison.within-trial.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.comparison.within-trial[.csv].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.comparison.within-trial[.R].ts", methods: { GET: read } },
  // ---- JSON API: snapshots (leads freeze and withdraw; every member reads)
  { file: "api.v1.workspaces.$ws.snapshots.ts", methods: { GET: read, POST: lead() } },
  { file: "api.v1.workspaces.$ws.snapshots.$snapshotId.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.snapshots.$snapshotId.withdraw.ts", methods: { POST: lead() } },
  { file: "api.v1.workspaces.$ws.snapshots.$snapshotId.changes.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.snapshots.$snapshotId.ro-crate[.zip].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.snapshots.$snapshotId.diff.$otherId.ts", methods: { GET: read } },
  // ---- JSON API: pre-registrations (leads register; every member reads)
  { file: "api.v1.workspaces.$ws.registrations.ts", methods: { GET: read, POST: lead() } },
  { file: "api.v1.workspaces.$ws.registrations.$registrationId.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.effect-modification.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.effect-modification[.csv].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.effect-modification.matrix.ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.effect-modification.data[.csv].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.effect-modification[.R].ts", methods: { GET: read } },

  // ---- JSON API: comments (observers comment too)
  { file: "api.v1.workspaces.$ws.comments.ts", methods: { GET: read, POST: member("observer") } },
  {
    file: "api.v1.workspaces.$ws.comments.$commentId.ts",
    // Each member edits and deletes a comment of their own (made for the cell).
    methods: { GET: read, PATCH: member("observer", { fresh: "comment" }), DELETE: member("observer", { fresh: "comment" }) },
  },
  { file: "api.v1.workspaces.$ws.comments.$commentId.resolve.ts", methods: { POST: member("observer", { fresh: "comment" }) } },
  { file: "api.v1.workspaces.$ws.comments.$commentId.reopen.ts", methods: { POST: member("observer", { fresh: "comment" }) } },

  // ---- JSON API: goals (leads manage them)
  { file: "api.v1.workspaces.$ws.goals.ts", methods: { GET: read, POST: lead() } },
  // ---- JSON API: search
  { file: "api.v1.workspaces.$ws.search.ts", methods: { GET: { ...read, query: "?q=matrix" } } },
  { file: "api.v1.workspaces.$ws.goals[.csv].ts", methods: { GET: read } },
  { file: "api.v1.workspaces.$ws.goals[.ics].ts", methods: { GET: read } },
  // A goal's owner may change its status; the title is the lead's alone.
  {
    file: "api.v1.workspaces.$ws.goals.$goalId.ts",
    methods: { GET: read, PATCH: lead({ body: { title: "Matrix", baseVersion: STALE } }) },
  },
  { file: "api.v1.workspaces.$ws.goals.$goalId.milestones.ts", methods: { POST: lead() } },
  // A milestone's owner may tick it; its title is the lead's alone.
  {
    file: "api.v1.workspaces.$ws.goals.$goalId.milestones.$milestoneId.ts",
    methods: { PATCH: lead({ body: { title: "Matrix", baseVersion: STALE } }) },
  },

  // ---- Pages outside a workspace
  { file: "_index.tsx", methods: { GET: open() } },
  { file: "login.tsx", methods: { GET: open(), POST: open({ form: { email: "", password: "" } }) } },
  { file: "signup.tsx", methods: { GET: open(), POST: open({ form: { name: "", email: "", password: "" } }) } },
  { file: "logout.tsx", methods: { GET: open(), POST: open({ fresh: "session" }) } },
  // The invitation page tells anyone holding the link what it is for (without the workspace id); accepting needs an account.
  {
    file: "invitations.$token.tsx",
    methods: { GET: open({ fresh: "workspace-invitation" }), POST: signedIn({ fresh: "workspace-invitation" }) },
  },
  // Marking read and revoking name the object in the form: the lead's own notification and a throwaway token of the
  // lead's; the lead may, and everyone else is told it does not exist.
  {
    file: "notifications.tsx",
    methods: {
      GET: signedIn(),
      POST: signedIn({ form: { notificationId: "{notificationId}" } }, { outsider: "hidden", observer: "hidden", contributor: "hidden" }),
    },
  },
  // The unsubscribe page needs no session but a signed link: without one, everybody is refused alike.
  {
    file: "email.unsubscribe.tsx",
    methods: {
      GET: open({
        expect: { anonymous: "deny-role", outsider: "deny-role", observer: "deny-role", contributor: "deny-role", lead: "deny-role" },
      }),
      POST: open({
        form: { intent: "unsubscribe" },
        expect: { anonymous: "deny-role", outsider: "deny-role", observer: "deny-role", contributor: "deny-role", lead: "deny-role" },
      }),
    },
  },
  { file: "settings._index.tsx", methods: { GET: signedIn(), POST: signedIn({ form: { intent: "name", name: "" } }) } },
  {
    file: "settings.tokens.tsx",
    methods: {
      GET: signedIn(),
      POST: signedIn(
        { fresh: "lead-token", form: { intent: "revoke", tokenId: "{leadTokenId}" } },
        { outsider: "hidden", observer: "hidden", contributor: "hidden" },
      ),
    },
  },
  { file: "workspaces._index.tsx", methods: { GET: signedIn(), POST: signedIn({ form: { name: "" } }) } },

  // ---- Workspace pages
  { file: "workspaces.$workspaceId.tsx", methods: { GET: read } },
  { file: "workspaces.$workspaceId._index.tsx", methods: { GET: read } },
  { file: "workspaces.$workspaceId.activity.tsx", methods: { GET: read } },
  { file: "workspaces.$workspaceId.search.tsx", methods: { GET: { ...read, query: "?q=matrix" } } },
  { file: "workspaces.$workspaceId.comparison.tsx", methods: { GET: read } },
  { file: "workspaces.$workspaceId.effect-modification.tsx", methods: { GET: read } },
  // Freezing and withdrawing are the leads'; an empty title or reason is refused after the role check.
  { file: "workspaces.$workspaceId.snapshots._index.tsx", methods: { GET: read, POST: lead({ form: { title: "" } }) } },
  { file: "workspaces.$workspaceId.snapshots.$snapshotId.tsx", methods: { GET: read, POST: lead({ form: { reason: "" } }) } },
  { file: "workspaces.$workspaceId.snapshots.$snapshotId_.diff.$otherId.tsx", methods: { GET: read } },
  { file: "workspaces.$workspaceId.registrations._index.tsx", methods: { GET: read, POST: lead({ form: { title: "" } }) } },
  { file: "workspaces.$workspaceId.registrations.$registrationId.tsx", methods: { GET: read } },
  { file: "workspaces.$workspaceId.dashboard.tsx", methods: { GET: read } },
  { file: "workspaces.$workspaceId.members.tsx", methods: { GET: read, POST: lead({ form: { intent: "update-settings", name: "" } }) } },
  { file: "workspaces.$workspaceId.protocols._index.tsx", methods: { GET: read, POST: write({ form: { title: "" } }) } },
  { file: "workspaces.$workspaceId.protocols.$protocolId.tsx", methods: { GET: read } },
  {
    file: "workspaces.$workspaceId.protocols.$protocolId._index.tsx",
    methods: { GET: read, POST: write({ query: "?index", form: { intent: "rename", title: "Matrix", baseVersion: String(STALE) } }) },
  },
  // Everyone reads the live draft; saving it as a version is a contributor's (unchanged text: 422, nothing saved).
  {
    file: "workspaces.$workspaceId.protocols.$protocolId.edit.tsx",
    methods: { GET: read, POST: write({ form: { intent: "save-version" } }) },
  },
  { file: "workspaces.$workspaceId.protocols.$protocolId.preview.ts", methods: { POST: { ...read, form: { text: "# Matrix" } } } },
  {
    file: "workspaces.$workspaceId.protocols.$protocolId.fork.tsx",
    methods: { GET: read, POST: { ...read, form: { workspaceId: "{ws}" } } },
  },
  { file: "workspaces.$workspaceId.protocols.$protocolId.history.tsx", methods: { GET: read } },
  { file: "workspaces.$workspaceId.protocols.$protocolId.compare.tsx", methods: { GET: read } },
  { file: "workspaces.$workspaceId.protocols.$protocolId.versions.$version.tsx", methods: { GET: read } },
  { file: "workspaces.$workspaceId.panels.tsx", methods: { GET: read, POST: write({ form: { name: "" } }) } },
  {
    file: "workspaces.$workspaceId.panels_.$panelId.tsx",
    methods: { GET: read, POST: write({ form: { intent: "update-panel", name: "", baseVersion: "" } }) },
  },
  { file: "workspaces.$workspaceId.panels_.$panelId_.versions.$version.tsx", methods: { GET: read } },
  // Observers see the import page with an explanation instead of the form; a post without a file is refused (400).
  { file: "workspaces.$workspaceId.panels_.import.tsx", methods: { GET: read, POST: write({ form: { intent: "review" } }) } },
  { file: "workspaces.$workspaceId.studies._index.tsx", methods: { GET: read, POST: write({ form: { title: "" } }) } },
  {
    file: "workspaces.$workspaceId.studies.$studyId.tsx",
    methods: { GET: read, POST: write({ form: { intent: "edit-study", title: "", baseVersion: "" } }) },
  },
  // Observers see the upload page with an explanation instead of the form.
  { file: "workspaces.$workspaceId.studies_.$studyId.datasets.new.tsx", methods: { GET: read } },
  { file: "workspaces.$workspaceId.datasets.$datasetId.tsx", methods: { GET: read } },
  { file: "workspaces.$workspaceId.profiles._index.tsx", methods: { GET: read, POST: write({ form: { name: "" } }) } },
  {
    file: "workspaces.$workspaceId.profiles.$profileId.tsx",
    methods: { GET: read, POST: write({ form: { intent: "edit", name: "", baseVersion: "" } }) },
  },
  { file: "workspaces.$workspaceId.goals._index.tsx", methods: { GET: read, POST: lead({ form: { title: "" } }) } },
  {
    file: "workspaces.$workspaceId.goals.$goalId.tsx",
    methods: { GET: read, POST: lead({ form: { intent: "edit-goal", title: "Matrix", baseVersion: String(STALE) } }) },
  },
];
