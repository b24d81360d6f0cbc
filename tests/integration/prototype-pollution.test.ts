/**
 * No request can change the prototypes every object in the server shares.
 * Keys like `__proto__`, `constructor.prototype` and `prototype` are sent in
 * every shape the app reads names from (dotted and bracketed form fields,
 * multipart fields, query strings, JSON bodies at every depth, CSV headers,
 * column mappings, live-channel messages) to every page action and API route,
 * as an outsider and as a member. A probe loaded into the server then reports
 * any property added to or changed on a built-in prototype, and a normal
 * request of each kind must still work.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registerUser, signInForSessionCookie, type TestUser } from "#tests/support/api.ts";
import { demoObjectIds, must } from "#tests/support/demo-workspace.ts";
import { fillPath, isApiCatchAll, isApiRoute, projectRoot, routePath } from "#tests/support/routes.ts";
import { useServer } from "#tests/support/server.ts";
import { connectLive, openSocket, handshake } from "#tests/support/socket.ts";
import { MATRIX, type Cell, type Method } from "./authorization-matrix.ts";

const DEMO_PASSWORD = "demo password for the pollution fuzz";
const PROBE = path.join(projectRoot, "tests", "support", "prototype-probe.ts");

/** Field names that walk into a prototype, in the dotted and bracketed spellings form libraries use. */
const HOSTILE_NAMES = [
  "__proto__.polluted",
  "__proto__[polluted]",
  "constructor.prototype.polluted",
  "constructor[prototype][polluted]",
  "prototype.polluted",
  "arms[0].__proto__.polluted",
  "arms[0][constructor][prototype][polluted]",
  "data.__proto__.polluted",
  "data.intervention.constructor.prototype.polluted",
  "milestone.__proto__.polluted",
  "criteria.__proto__.polluted",
  "__proto__",
  "constructor",
  "prototype",
];

/** The same keys as JSON text (an object literal would set the prototype instead of sending the key). */
const HOSTILE_JSON_KEYS = '"__proto__":{"polluted":"json"},"constructor":{"prototype":{"polluted":"json"}},"prototype":{"polluted":"json"}';

/** A value as JSON text with the hostile keys at the top of every object it holds, as a script could send it. */
function hostileJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(hostileJson).join(",")}]`;
  if (value && typeof value === "object") {
    const own = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${hostileJson(v)}`);
    return `{${[HOSTILE_JSON_KEYS, ...own].join(",")}}`;
  }
  return JSON.stringify(value);
}

const HOSTILE_QUERY = HOSTILE_NAMES.map((n) => `${encodeURIComponent(n)}=q`).join("&");
const HOSTILE_MAPPING =
  '{"__proto__":{"role":"value"},"constructor":{"role":"value"},"prototype":{"biomarker":"hs_crp"},"hs_crp":{"biomarker":"hs_crp","unit":"mg/L"}}';
const HOSTILE_CSV = "participant_id,arm,__proto__,constructor,prototype,hs_crp\np1,drug,1,2,3,2.5\np2,placebo,4,5,6,1.1\n";

interface Actor {
  name: "outsider" | "member";
  bearer: string;
  cookie: string;
}

const probeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "consilience-probe-")), "report.json");
const server = useServer({ SEED_DEMO: "1", DEMO_PASSWORD, PROTOTYPE_PROBE_FILE: probeFile }, { preload: [PROBE] });
let ids: Record<string, string>;
let actors: Actor[];
let lead: ApiClient;

/** Asks the probe in the server what changed on the built-in prototypes. */
async function pollution(): Promise<{ added: string[]; changed: string[]; objectPrototypeIntact: boolean }> {
  fs.rmSync(probeFile, { force: true });
  server.process.kill("SIGUSR2");
  for (let i = 0; i < 200 && !fs.existsSync(probeFile); i++) await new Promise((r) => setTimeout(r, 25));
  return JSON.parse(fs.readFileSync(probeFile, "utf8"));
}

interface Attempt {
  label: string;
  url: string;
  init: RequestInit;
}

/** Every hostile request for one route × method × actor. */
function attempts(file: string, method: Method, cell: Cell, actor: Actor): Attempt[] {
  const url = server.url + fillPath(isApiCatchAll(file) ? "/api/v1/no-such-endpoint" : routePath(file), ids);
  const query = (cell.query ? `${cell.query}&` : "?") + HOSTILE_QUERY;
  const label = `${actor.name} ${method} ${file}`;
  const list: Attempt[] = [];
  if (isApiRoute(file)) {
    const auth = { authorization: `Bearer ${actor.bearer}` };
    list.push({ label: `${label} (query)`, url: url + query, init: { method, headers: auth, body: method === "GET" ? undefined : "{}" } });
    if (method === "GET") return list;
    const body = typeof cell.body === "object" && cell.body ? cell.body : {};
    list.push({
      label: `${label} (JSON)`,
      url,
      init: { method, headers: { ...auth, "content-type": "application/json" }, body: hostileJson(fillIds(body)) },
    });
    const multipart = hostileMultipart();
    list.push({
      label: `${label} (multipart)`,
      url: `${url}?mapping=${encodeURIComponent(HOSTILE_MAPPING)}`,
      init: { method, headers: auth, body: multipart },
    });
    list.push({
      label: `${label} (CSV header)`,
      url: `${url}?name=fuzz&mapping=${encodeURIComponent(HOSTILE_MAPPING)}`,
      init: { method, headers: { ...auth, "content-type": "text/csv" }, body: HOSTILE_CSV },
    });
    return list;
  }
  const cookie = { cookie: actor.cookie };
  list.push({ label: `${label} (query)`, url: url + query, init: { method: "GET", headers: cookie } });
  if (method !== "POST") return list;
  const same = { ...cookie, origin: server.url };
  const form = new URLSearchParams(fillIds(cell.form ?? {}) as Record<string, string>);
  for (const intent of ["", "add-result", "edit-study", "edit-goal", "add-milestone", "edit"]) {
    const fields = new URLSearchParams(form);
    if (intent) fields.set("intent", intent);
    for (const name of HOSTILE_NAMES) fields.append(name, "form");
    list.push({
      label: `${label} (form, intent ${intent || "as the page sends"})`,
      url: url + (cell.query ?? ""),
      init: { method, headers: { ...same, "content-type": "application/x-www-form-urlencoded" }, body: fields.toString() },
    });
  }
  list.push({
    label: `${label} (multipart form)`,
    url: url + (cell.query ?? ""),
    init: { method, headers: same, body: hostileMultipart(form) },
  });
  return list;
}

function fillIds(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/\{(\w+)\}/g, (_, p: string) => ids[p] ?? p);
  if (Array.isArray(value)) return value.map(fillIds);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillIds(v)]));
  return value;
}

function hostileMultipart(base: URLSearchParams = new URLSearchParams()): FormData {
  const form = new FormData();
  for (const [k, v] of base) form.append(k, v);
  for (const name of HOSTILE_NAMES) form.append(name, "multipart");
  form.append("mapping", HOSTILE_MAPPING);
  form.append("file", new Blob([HOSTILE_CSV], { type: "text/csv" }), "fuzz.csv");
  return form;
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

beforeAll(async () => {
  const anonymous = new ApiClient(server.url);
  const bearerOf = async (email: string, password: string) =>
    (await must(anonymous.post("/api/v1/auth/token", { email, password, label: "fuzz" }), "token")).token as string;
  const leadBearer = await bearerOf("lead@demo.example", DEMO_PASSWORD);
  lead = anonymous.withToken(leadBearer);
  const contributor = anonymous.withToken(await bearerOf("immunology@demo.example", DEMO_PASSWORD));
  const workspace = (await must(lead.get("/api/v1/workspaces"), "workspaces")).items[0];
  ids = await demoObjectIds(lead, workspace.id, contributor);
  const stranger: TestUser = await registerUser(server.url, "Stranger");
  actors = [
    { name: "outsider", bearer: stranger.token, cookie: await signInForSessionCookie(server.url, stranger.email, stranger.password) },
    { name: "member", bearer: leadBearer, cookie: await signInForSessionCookie(server.url, "lead@demo.example", DEMO_PASSWORD) },
  ];
}, 120_000);

describe("prototype pollution", () => {
  it("no page action, API route or live message lets a request change the built-in prototypes", async () => {
    const before = await pollution();
    const all: Attempt[] = [];
    for (const entry of MATRIX) {
      for (const [method, cell] of Object.entries(entry.methods) as [Method, Cell][]) {
        // Signing out or revoking a token would end the member's access halfway through the run.
        if (entry.file === "logout.tsx" || (method === "DELETE" && /^api\.v1\.(auth\.token|me\.tokens\.\$tokenId)\.ts$/.test(entry.file)))
          continue;
        for (const actor of actors) all.push(...attempts(entry.file, method, cell, actor));
      }
    }
    const serverErrors: string[] = [];
    await pool(all, 4, async (attempt) => {
      const response = await fetch(attempt.url, { ...attempt.init, redirect: "manual" });
      await response.arrayBuffer();
      if (response.status >= 500) serverErrors.push(`${attempt.label}: ${response.status}`);
    });

    // The live channel: every message kind with the keys at the top and inside.
    for (const actor of actors) {
      const socket = openSocket(server.url, { auth: { token: actor.bearer } });
      await handshake(socket);
      for (const event of ["workspace:join", "workspace:leave", "presence:set", "typing"]) {
        await socket
          .timeout(2000)
          .emitWithAck(
            event,
            JSON.parse(hostileJson({ workspaceId: ids.ws, resource: "study", target: { type: "study", id: ids.studyId } })),
          )
          .catch(() => null);
      }
      socket.disconnect();
    }

    const after = await pollution();
    console.log(
      `figure prototype-pollution: ${all.length} hostile requests over ${MATRIX.length} route files as an outsider and a member, ` +
        `${HOSTILE_NAMES.length} hostile field names; prototypes changed: ${after.added.length + after.changed.length - before.added.length - before.changed.length}`,
    );
    expect(after.objectPrototypeIntact).toBe(true);
    expect(after.added.filter((k) => !before.added.includes(k))).toEqual([]);
    expect(after.changed.filter((k) => !before.changed.includes(k))).toEqual([]);
    expect(serverErrors).toEqual([]);
  }, 300_000);

  it("after the hostile requests, a normal request of each kind still works", async () => {
    const ws = `/api/v1/workspaces/${ids.ws}`;
    const member = actors.find((a) => a.name === "member")!;
    const page = (p: string, body: URLSearchParams | FormData) =>
      fetch(`${server.url}/workspaces/${ids.ws}${p}`, {
        method: "POST",
        headers: { cookie: member.cookie, origin: server.url },
        body,
        redirect: "manual",
      });

    // The "new study" form: the first victim of a polluted Object.prototype.
    const study = await page(
      "/studies",
      new URLSearchParams({
        title: "After the fuzz",
        panelId: ids.panelId,
        "arms[0].name": "drug",
        "arms[0].class": "anti-inflammatory",
        "arms[1].name": "placebo",
        "arms[1].class": "placebo",
        "outcomes[0].name": "score",
        "outcomes[0].kind": "continuous",
      }),
    );
    expect(study.status, await study.clone().text()).toBe(302);
    const goal = await page(
      "/goals",
      new URLSearchParams({ title: "Goal after the fuzz", "milestone.title": "First step", "milestone.metric": "checkbox" }),
    );
    expect(goal.status).toBe(302);
    const multipartPage = new FormData();
    multipartPage.append("title", "Protocol after the fuzz");
    expect((await page("/protocols", multipartPage)).status).toBe(302);

    const created = await lead.post(`${ws}/studies`, {
      title: "API study after the fuzz",
      panelId: ids.panelId,
      arms: [
        { name: "drug", class: "anti-inflammatory" },
        { name: "placebo", class: "placebo" },
      ],
      outcomes: [{ name: "score", kind: "continuous" }],
    });
    expect(created.status).toBe(201);
    const csv = await lead.request(
      "POST",
      `${ws}/studies/${created.body.id}/datasets?name=plain`,
      "participant_id,arm,hs_crp\np1,drug,2.5\np2,placebo,1.1\n",
      { "content-type": "text/csv" },
    );
    expect(csv.status).toBe(201);
    const upload = new FormData();
    upload.append("name", "mapped");
    upload.append("mapping", JSON.stringify({ CRP: { biomarker: "hs_crp", unit: "mg/L" } }));
    upload.append("file", new Blob(["participant_id,arm,CRP\np1,drug,2.5\np2,placebo,1.1\n"], { type: "text/csv" }), "mapped.csv");
    const mapped = await fetch(`${server.url}${ws}/studies/${created.body.id}/datasets`, {
      method: "POST",
      headers: { authorization: `Bearer ${member.bearer}` },
      body: upload,
    });
    expect(mapped.status).toBe(201);
    expect((await lead.get(`${ws}/events?limit=5&type=study.created`)).status).toBe(200);
    const live = await connectLive(server.url, { token: member.bearer });
    expect((await live.join(ids.ws)).ok).toBe(true);
    live.close();
  });

  it("a mapping that names a prototype key is refused with a clear error, and nothing is stored", async () => {
    const ws = `/api/v1/workspaces/${ids.ws}`;
    const before = (await lead.get(`${ws}/studies/${ids.studyId}`)).body.datasets.length;
    const answer = await lead.request(
      "POST",
      `${ws}/studies/${ids.studyId}/datasets?name=bad&mapping=${encodeURIComponent('{"__proto__":{"role":"value"}}')}`,
      HOSTILE_CSV,
      { "content-type": "text/csv" },
    );
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/__proto__.*cannot be a column name/);
    expect((await lead.get(`${ws}/studies/${ids.studyId}`)).body.datasets.length).toBe(before);
  });
});
