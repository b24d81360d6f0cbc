/**
 * The authorisation matrix: every route file × method × actor answers as
 * tests/integration/authorization-matrix.ts says — members by role, outsiders
 * and anonymous callers refused, and an object id from another workspace never
 * works. Runs against one server with the demo consortium plus a second
 * workspace made by a fresh user.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, signInForSessionCookie, type TestUser } from "#tests/support/api.ts";
import { demoObjectIds, must } from "#tests/support/demo-workspace.ts";
import {
  fillPath,
  isApiCatchAll,
  isApiRoute as isApi,
  projectRoot as root,
  routeFiles,
  routePath as catalogPath,
} from "#tests/support/routes.ts";
import { startServer, type TestServer } from "#tests/support/server.ts";
import { connectLive, handshake, openSocket } from "#tests/support/socket.ts";
import { ACTORS, MATRIX, type Actor, type Answer, type Cell, type Method, type RouteEntry } from "./authorization-matrix.ts";

const DEMO_PASSWORD = "demo password for the matrix";
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

const WORKSPACE_PARAMS = new Set(["ws", "workspaceId"]);
/** The URL a route file serves; the API's catch-all is tried on a path no route has. */
const routePath = (file: string) => (isApiCatchAll(file) ? "/api/v1/no-such-endpoint" : catalogPath(file));
const objectParams = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((p) => !WORKSPACE_PARAMS.has(p));

/** The answer class of a response. 400/409/422 mean the request got past authorisation and was refused as input. */
function classify(status: number, location: string | null): Answer | `status ${number}` {
  if (status === 401) return "deny-auth";
  if (status >= 300 && status < 400) return location && new URL(location, "http://x").pathname === "/login" ? "deny-auth" : "allow";
  if (status === 403) return "deny-role";
  if (status === 404) return "hidden";
  if ((status >= 200 && status < 300) || status === 400 || status === 409 || status === 422) return "allow";
  return `status ${status}`;
}

interface Credentials {
  bearer?: string;
  cookie?: string;
  email?: string;
  password?: string;
  userId?: string;
}

let server: TestServer;
let A: Record<string, string>; // this (demo) workspace: its id and object ids
let B: Record<string, string>; // the other workspace
let creds: Record<Exclude<Actor, "anonymous" | "idor" | "foreign">, Credentials>;
let otherLead: TestUser;
let thirdLead: TestUser;
let demoLeadApi: ApiClient;

async function demoUser(email: string): Promise<Credentials> {
  const anonymous = new ApiClient(server.url);
  const issued = await anonymous.post("/api/v1/auth/token", { email, password: DEMO_PASSWORD, label: "matrix" });
  if (issued.status !== 201) throw new Error(`demo token for ${email}: ${issued.status}`);
  const me = await anonymous.withToken(issued.body.token).get("/api/v1/me");
  return {
    bearer: issued.body.token,
    cookie: await signInForSessionCookie(server.url, email, DEMO_PASSWORD),
    email,
    password: DEMO_PASSWORD,
    userId: me.body.id,
  };
}

/** Content for the other workspace, so that its ids exist and can be tried here. */
async function fillOtherWorkspace(api: ApiClient, workspaceId: string) {
  const ws = `/api/v1/workspaces/${workspaceId}`;
  await must(api.post(`${ws}/protocols`, { title: "Other protocol", body: "Text" }), "protocol");
  const panel = await must(api.post(`${ws}/panels`, { name: "Other panel", fromDefault: true }), "panel");
  const study = await must(
    api.post(`${ws}/studies`, {
      title: "Other study",
      panelId: panel.id,
      arms: [
        { name: "drug", class: "anti-inflammatory" },
        { name: "placebo", class: "placebo" },
      ],
      outcomes: [{ name: "score", kind: "continuous" }],
    }),
    "study",
  );
  await must(
    api.request("POST", `${ws}/studies/${study.id}/datasets?name=other`, "participant_id,arm,hs_crp\np1,drug,2.5\np2,placebo,1.1\n", {
      "content-type": "text/csv",
    }),
    "dataset",
  );
  const result = await must(
    api.post(`${ws}/results`, {
      studyId: study.id,
      outcomeId: study.outcomes[0].id,
      interventionArmId: study.arms[0].id,
      comparatorArmId: study.arms[1].id,
      data: { type: "continuous", intervention: { mean: 1, sd: 1, n: 10 }, comparator: { mean: 0, sd: 1, n: 10 } },
    }),
    "result",
  );
  const profile = await must(
    api.post(`${ws}/profiles`, {
      name: "Other profile",
      criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 3, unit: "mg/L" }] },
    }),
    "profile",
  );
  // A mapped result gives the comparison a cell, so the other workspace has a snapshot too.
  await must(api.request("PUT", `${ws}/results/${result.id}/profile`, { profileId: profile.id }), "mapping");
  await must(api.post(`${ws}/goals`, { title: "Other goal", milestones: [{ title: "Step", metric: "checkbox" }] }), "goal");
}

/** A new member of this workspace (observer), through an invitation. */
async function freshMember(): Promise<TestUser> {
  const user = await registerUser(server.url, "Matrix Member");
  const invitation = await must(demoLeadApi.post(`/api/v1/workspaces/${A.ws}/invitations`, { role: "observer" }), "invite");
  await must(user.api.post(`/api/v1/invitations/${invitation.token}/accept`), "accept");
  return user;
}

function actorCredentials(actor: Actor): Credentials {
  if (actor === "anonymous") return {};
  if (actor === "idor") return creds.outsider;
  if (actor === "foreign") return creds.lead;
  return creds[actor];
}

async function freshToken(c: Credentials) {
  return must(new ApiClient(server.url).post("/api/v1/auth/token", { email: c.email, password: c.password, label: "throwaway" }), "token");
}

/** Prepares what a cell needs (throwaway objects), and answers the ids and credentials to use. */
async function prepare(cell: Cell, actor: Actor, ids: Record<string, string>, credentials: Credentials) {
  ids = { ...ids };
  credentials = { ...credentials };
  const mine = actor === "observer" || actor === "contributor" || actor === "lead";
  const ws = `/api/v1/workspaces/${A.ws}`;
  const signedIn = actor !== "anonymous";
  switch (cell.fresh) {
    case "comment": {
      if (actor === "foreign") break;
      const author = new ApiClient(server.url, (mine ? credentials : creds.lead).bearer);
      ids.commentId = (
        await must(author.post(`${ws}/comments`, { target: { type: "study", id: A.studyId }, body: "Throwaway" }), "comment")
      ).id;
      break;
    }
    case "token": {
      if (!signedIn) break;
      const owner = actor === "idor" ? creds.lead : credentials;
      await freshToken(owner);
      ids.tokenId = await latestTokenId(owner);
      break;
    }
    case "lead-token":
      await freshToken(creds.lead);
      ids.leadTokenId = await latestTokenId(creds.lead);
      break;
    case "bearer":
      if (!signedIn) break;
      credentials.bearer = (await freshToken(credentials)).token;
      break;
    case "session":
      if (!signedIn) break;
      credentials.cookie = await signInForSessionCookie(server.url, credentials.email!, credentials.password!);
      break;
    case "invitation":
      if (actor === "foreign") break;
      ids.invitationId = (await must(demoLeadApi.post(`${ws}/invitations`, { role: "observer" }), "invitation")).id;
      break;
    case "member":
      if (actor === "foreign") break;
      ids.userId = (await freshMember()).id;
      break;
    case "workspace-invitation": {
      const third = await must(thirdLead.api.get("/api/v1/workspaces"), "third");
      ids.token = (
        await must(thirdLead.api.post(`/api/v1/workspaces/${third.items[0].id}/invitations`, { role: "observer" }), "invitation")
      ).token;
      break;
    }
    case "biomarker": {
      if (actor === "foreign") break;
      const panel = await must(demoLeadApi.post(`${ws}/panels`, { name: "Throwaway panel", fromDefault: true }), "panel");
      ids.panelId = panel.id;
      ids.biomarkerId = (await must(demoLeadApi.get(`${ws}/panels/${panel.id}`), "panel")).biomarkers[0].id;
      break;
    }
  }
  return { ids, credentials };
}

async function latestTokenId(c: Credentials): Promise<string> {
  const list = await must(new ApiClient(server.url, c.bearer).get("/api/v1/me/tokens"), "tokens");
  const throwaway = (list.items as { id: string; label: string }[]).filter((t) => t.label === "throwaway");
  return throwaway[throwaway.length - 1]?.id ?? throwaway[0]?.id;
}

async function send(file: string, method: Method, cell: Cell, actor: Actor) {
  const template = routePath(file);
  const base = actor === "idor" ? { ...A, ws: B.ws, workspaceId: B.ws } : actor === "foreign" ? { ...B, ws: A.ws, workspaceId: A.ws } : A;
  const { ids, credentials } = await prepare(cell, actor, base, actorCredentials(actor));
  const fill = (text: string) => fillPath(text, ids);
  const fillBody = (value: unknown): unknown =>
    typeof value === "string"
      ? fill(value)
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillBody(v)]))
        : value;
  cell = { ...cell, body: fillBody(cell.body), form: fillBody(cell.form) as Record<string, string> | undefined };
  const url = server.url + fill(template) + (cell.query ?? "");
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (isApi(file)) {
    if (credentials.bearer) headers.authorization = `Bearer ${credentials.bearer}`;
    if (method !== "GET") {
      body = typeof cell.body === "string" ? cell.body : JSON.stringify(cell.body ?? {});
      headers["content-type"] = typeof cell.body === "string" ? "text/csv" : "application/json";
    }
  } else {
    if (credentials.cookie) headers.cookie = credentials.cookie;
    if (method !== "GET") {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers.origin = server.url;
      body = new URLSearchParams(cell.form ?? {}).toString();
    }
  }
  const response = await fetch(url, { method, headers, body, redirect: "manual" });
  await response.arrayBuffer();
  return {
    url: url.slice(server.url.length),
    status: response.status,
    answer: classify(response.status, response.headers.get("location")),
  };
}

/** Runs `work` over `items`, a few at a time. */
async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

beforeAll(async () => {
  server = await startServer({ SEED_DEMO: "1", DEMO_PASSWORD });
  const lead = await demoUser("lead@demo.example");
  const contributor = await demoUser("immunology@demo.example");
  const observer = await demoUser("observer@demo.example");
  demoLeadApi = new ApiClient(server.url, lead.bearer);
  otherLead = await registerUser(server.url, "Other Consortium Lead");
  thirdLead = await registerUser(server.url, "Third Consortium Lead");
  const otherWs = await must(otherLead.api.post("/api/v1/workspaces", { name: "Other consortium" }), "workspace");
  await must(thirdLead.api.post("/api/v1/workspaces", { name: "Third consortium" }), "workspace");
  await fillOtherWorkspace(otherLead.api, otherWs.id);
  const demoWs = (await must(demoLeadApi.get("/api/v1/workspaces"), "workspaces")).items[0];
  A = await demoObjectIds(demoLeadApi, demoWs.id, new ApiClient(server.url, contributor.bearer));
  // The page forms are tried with the lead's real notification: without one they would only ever see "no such id".
  if (A.notificationId === "none") throw new Error("the demo lead has no notification to try the notifications form with");
  B = await demoObjectIds(otherLead.api, otherWs.id, null);
  creds = {
    lead,
    contributor,
    observer,
    outsider: {
      bearer: otherLead.token,
      cookie: await signInForSessionCookie(server.url, otherLead.email, otherLead.password),
      email: otherLead.email,
      password: otherLead.password,
      userId: otherLead.id,
    },
  };
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe("the authorisation matrix", () => {
  it("has an entry for every route file, and every method each route serves", async () => {
    const files = routeFiles();
    const entries = new Map(MATRIX.map((e) => [e.file, e]));
    expect(
      files.filter((f) => !entries.has(f)),
      "route files missing from the matrix",
    ).toEqual([]);
    expect(
      [...entries.keys()].filter((f) => !files.includes(f)),
      "matrix entries for route files that no longer exist",
    ).toEqual([]);

    const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
    const missing: string[] = [];
    for (const file of files) {
      const entry = entries.get(file)!;
      const listed = Object.keys(entry.methods).sort();
      let served: string[];
      if (isApiCatchAll(file)) served = ["GET"];
      else if (isApi(file)) {
        const item = doc.paths[routePath(file)] ?? {};
        served = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
      } else {
        const source = fs.readFileSync(path.join(root, "app", "routes", file), "utf8");
        served = [
          ...(/export (async )?function loader|export const loader/.test(source) ? ["GET"] : []),
          ...(/export (async )?function action|export const action/.test(source) ? ["POST"] : []),
        ];
      }
      if (served.sort().join() !== listed.join()) missing.push(`${file}: serves ${served.join(",")}, matrix lists ${listed.join(",")}`);
    }
    expect(missing).toEqual([]);
  });

  it("answers every route × method × actor as the matrix expects", async () => {
    const cells: { entry: RouteEntry; method: Method; cell: Cell; actor: Actor }[] = [];
    for (const entry of MATRIX) {
      const hasObjects = objectParams(routePath(entry.file)).length > 0;
      for (const [method, cell] of Object.entries(entry.methods) as [Method, Cell][]) {
        for (const actor of ACTORS) {
          if (!cell.expect[actor]) continue;
          if ((actor === "idor" || actor === "foreign") && !hasObjects) continue;
          cells.push({ entry, method, cell, actor });
        }
      }
    }
    const problems: string[] = [];
    let unexpectedAllows = 0;
    let unexpectedDenials = 0;
    let wrongRefusals = 0;
    await pool(cells, 4, async ({ entry, method, cell, actor }) => {
      const expected = cell.expect[actor]!;
      const got = await send(entry.file, method, cell, actor);
      // AUTHZ_TRACE=1 prints every cell with its status, to see what each route answered.
      if (process.env.AUTHZ_TRACE) console.log(`trace ${got.status} ${actor} ${method} ${entry.file}`);
      if (got.answer === expected) return;
      if (got.answer === "allow") unexpectedAllows++;
      else if (expected === "allow") unexpectedDenials++;
      else wrongRefusals++;
      problems.push(`${actor} ${method} ${got.url} (${entry.file}): expected ${expected}, got ${got.answer} (${got.status})`);
    });
    console.log(
      `figure authz: ${cells.length} cells checked, ${unexpectedAllows} unexpected allows, ${unexpectedDenials} unexpected denials` +
        (wrongRefusals ? `, ${wrongRefusals} refused with the wrong answer` : ""),
    );
    expect(problems.sort()).toEqual([]);
    expect(unexpectedAllows).toBe(0);
    expect(unexpectedDenials).toBe(0);
  }, 120_000);

  it("lets members, and only members, join the workspace's live channel — and no longer after removal", async () => {
    const anonymous = openSocket(server.url);
    expect((await handshake(anonymous)).connected).toBe(false);
    anonymous.disconnect();

    const joins: Record<string, boolean> = {};
    for (const actor of ["outsider", "observer", "contributor", "lead"] as const) {
      const client = await connectLive(server.url, { token: creds[actor].bearer! });
      joins[actor] = (await client.join(A.ws)).ok;
      client.close();
    }
    const byCookie = await connectLive(server.url, { cookie: creds.outsider.cookie! });
    joins["outsider (session)"] = (await byCookie.join(A.ws)).ok;
    byCookie.close();
    expect(joins).toEqual({ outsider: false, observer: true, contributor: true, lead: true, "outsider (session)": false });

    const leaving = await freshMember();
    const client = await connectLive(server.url, { token: leaving.token });
    expect((await client.join(A.ws)).ok).toBe(true);
    client.close();
    expect((await demoLeadApi.delete(`/api/v1/workspaces/${A.ws}/members/${leaving.id}`)).status).toBe(204);
    const again = openSocket(server.url, { auth: { token: leaving.token } });
    if ((await handshake(again)).connected) {
      const ack = await again.emitWithAck("workspace:join", { workspaceId: A.ws });
      expect(ack.ok).toBe(false);
    }
    again.disconnect();
  });
});
