/**
 * Live pages: what a change costs, seen from the people looking at it.
 *
 * (a) Person to person, in real Chromium: the demo lead posts a comment on a
 *     study page; the time from the click (as the page receives it) until the words are drawn in a
 *     colleague's page on the same study (a MutationObserver notes the moment),
 *     and until the author's own page shows them, with `otherPages` more pages of
 *     the workspace open (study, comparison, dashboard, goals, activity…).
 * (b) Requests each viewer page makes for data (`_data` loaders, the JSON API)
 *     in the 1.5 s after an event, per kind of event, over all open pages. The
 *     events are made through the API as the lead, so only viewers' requests count.
 * (c) Server CPU per comment with `viewers` simulated pages connected: each a
 *     live socket that does on every event what the study page does. "Before":
 *     what the study page did until now (after 400 ms, reload the root, workspace
 *     and study loaders); "now": the requests the real study page made in (b) for
 *     a comment. Beside them, in the same run, a bare Socket.IO server
 *     broadcasting the same number of messages to as many sockets.
 *
 * Bounded in count and time; 127.0.0.1 only; every server and the browser are stopped.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, signInInBrowser } from "../support/browser.ts";
import { connectLive, openSocket, handshake } from "../support/socket.ts";
import { signInForSessionCookie } from "../support/api.ts";
import { withTimeout } from "./audience.ts";
import { broadcast } from "./audience.ts";
import { processCpuSeconds } from "./cpu.ts";
import { startBareSocketServer, startBenchServer } from "./servers.ts";
import { percentile } from "./stats.ts";
import type { TableGroup } from "./table.ts";

export interface LivePagesPlan {
  otherPages: number;
  comments: number;
  warmup: number;
  viewers: number;
  cpuComments: number;
}
export const LIVE_PAGES_PLAN: LivePagesPlan = { otherPages: 20, comments: 30, warmup: 3, viewers: 200, cpuComments: 20 };
export const LIVE_PAGES_QUICK_PLAN: LivePagesPlan = { otherPages: 4, comments: 6, warmup: 1, viewers: 30, cpuComments: 4 };

const PASSWORD = "bench-demo-password";
const SEEN_TIMEOUT_MS = 15_000;
/** A reload the live hook starts waits at most this long after an event (400 ms before, 120 ms now). */
const AFTER_EVENT_MS = 1500;
/** Comments in the CPU part come this far apart (a lively discussion); the reloads of one are mostly over before the next. */
const COMMENT_SPACING_MS = 1500;
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "-");

type Api = (method: string, path: string, body?: unknown) => Promise<any>;

async function leadApi(baseUrl: string): Promise<Api> {
  const login = await fetch(`${baseUrl}/api/v1/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "lead@demo.example", password: PASSWORD }),
  });
  const { token } = await login.json();
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/** Notes in `window.__seen` when each `bench-…` marker is first drawn in a comment of the page (not in the field it is typed in). */
async function watchMarkers(page: Page) {
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    const bench = window as unknown as { __seen: Record<string, number>; __clickedAt: number };
    bench.__seen = seen;
    // The moment the person's click reaches the page (Playwright's own steps before it do not count).
    document.addEventListener("click", () => (bench.__clickedAt = Date.now()), true);
    new MutationObserver(() => {
      for (const comment of document.querySelectorAll('[data-testid="comment"]'))
        for (const marker of comment.textContent?.match(/bench-\d+-[a-z0-9]+/g) ?? []) seen[marker] ??= Date.now();
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

const seenAt = (page: Page, marker: string) =>
  page
    .waitForFunction((m) => (window as unknown as { __seen: Record<string, number> }).__seen[m], marker, { timeout: SEEN_TIMEOUT_MS })
    .then((handle) => handle.jsonValue() as Promise<number>);

/** Requests for data each page makes, by page. */
function countRequests(pages: Page[]) {
  const made = pages.map(() => [] as string[]);
  pages.forEach((page, i) =>
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.searchParams.has("_data") || url.pathname.startsWith("/api/"))
        made[i].push(`${request.method()} ${url.pathname}${url.search}`);
    }),
  );
  return {
    mark: () => made.map((list) => list.length),
    since: (marks: number[]) => made.map((list, i) => list.slice(marks[i])),
  };
}

export async function livePagesBench(plan: LivePagesPlan, log: (line: string) => void): Promise<TableGroup[]> {
  const server = await startBenchServer({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });
  const api = await leadApi(server.url);
  const ws = (await api("GET", "/api/v1/workspaces")).items[0].id as string;
  const base = `/api/v1/workspaces/${ws}`;
  const studies = (await api("GET", `${base}/studies`)).items as { id: string; title: string }[];
  const study = studies.find((s) => s.title.startsWith("Raison")) ?? studies[0];
  const goals = (await api("GET", `${base}/goals`)).items as {
    id: string;
    milestones: { id: string; metric: string; version: number; done: boolean }[];
  }[];
  const goal = goals.find((g) => g.milestones.some((m) => m.metric === "checkbox"))!;
  const protocol = (await api("GET", `${base}/protocols`)).items[0];
  const observer = ((await api("GET", `${base}/members`)).items as { userId: string; email: string; role: string }[]).find(
    (m) => m.email === "observer@demo.example",
  )!;
  const studyPath = `/workspaces/${ws}/studies/${study.id}`;
  const otherPaths = [
    studyPath,
    `/workspaces/${ws}/comparison`,
    `/workspaces/${ws}/dashboard`,
    `/workspaces/${ws}/goals/${goal.id}`,
    `/workspaces/${ws}/activity`,
    `/workspaces/${ws}/members`,
    `/workspaces/${ws}/studies`,
    `/workspaces/${ws}/goals`,
    `/workspaces/${ws}/protocols/${protocol.id}`,
    `/workspaces/${ws}/profiles`,
  ];

  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const author = await (await browser.newContext()).newPage();
    const colleagues = await browser.newContext();
    const receiver = await colleagues.newPage();
    await signInInBrowser(author, server.url, "lead@demo.example", PASSWORD);
    await signInInBrowser(receiver, server.url, "immunology@demo.example", PASSWORD);
    const others: Page[] = [];
    for (let i = 0; i < plan.otherPages; i++) {
      const page = await colleagues.newPage();
      await page.goto(`${server.url}${otherPaths[i % otherPaths.length]}`);
      others.push(page);
    }
    for (const page of [author, receiver]) {
      await page.goto(`${server.url}${studyPath}`);
      await page
        .getByRole("region", { name: "Discussion" })
        .getByText(/\d+ open/)
        .waitFor();
      await watchMarkers(page);
    }
    await receiver.waitForTimeout(2000);
    log(`live pages: ${plan.otherPages + 2} pages open in Chromium on ${server.url}`);

    // (a) person to person
    const toOthers: number[] = [];
    const toAuthor: number[] = [];
    const loadBefore = os.loadavg()[0];
    for (let i = 0; i < plan.warmup + plan.comments; i++) {
      const marker = `bench-${i}-${Math.random().toString(36).slice(2, 8)}`;
      await author.getByLabel("New comment").fill(`Comment ${marker}`);
      await author.getByRole("button", { name: "Comment", exact: true }).click();
      const [other, own] = await Promise.all([seenAt(receiver, marker), seenAt(author, marker)]);
      const clicked = await author.evaluate(() => (window as unknown as { __clickedAt: number }).__clickedAt);
      if (i >= plan.warmup) {
        toOthers.push(other - clicked);
        toAuthor.push(own - clicked);
      }
      await author.waitForTimeout(300);
    }
    const loadAfter = os.loadavg()[0];

    // (b) requests per event per viewer page
    const viewers = [receiver, ...others];
    const requests = countRequests(viewers);
    const comment = await api("POST", `${base}/comments`, { target: { type: "study", id: study.id }, body: "Counting requests" });
    await receiver.waitForTimeout(AFTER_EVENT_MS);
    let milestone = goal.milestones.find((m) => m.metric === "checkbox")!;
    let goalVersion = (await api("GET", `${base}/goals/${goal.id}`)).version as number;
    let role = observer.role === "observer" ? "contributor" : "observer";
    let protocolVersion = (await api("GET", `${base}/protocols/${protocol.id}`)).currentVersion?.version ?? protocol.version;
    let result = (await api("GET", `${base}/results?studyId=${study.id}`)).items[0] as { id: string; version: number };
    let profile = (await api("GET", `${base}/profiles`)).items[0] as { id: string; version: number };
    let studyVersion = (await api("GET", `${base}/studies/${study.id}`)).version as number;
    const kinds: [string, string, () => Promise<unknown>][] = [
      ["comment", "patched", () => api("POST", `${base}/comments`, { target: { type: "study", id: study.id }, body: "Another comment" })],
      [
        "reply",
        "patched",
        () => api("POST", `${base}/comments`, { target: { type: "study", id: study.id }, body: "A reply", parentId: comment.id }),
      ],
      ["resolve", "patched", () => api("POST", `${base}/comments/${comment.id}/resolve`)],
      [
        "milestone ticked",
        "patched",
        async () => {
          milestone = await api("PATCH", `${base}/goals/${goal.id}/milestones/${milestone.id}`, {
            baseVersion: milestone.version,
            done: !milestone.done,
          });
        },
      ],
      [
        "goal status",
        "patched",
        async () => {
          goalVersion = (await api("PATCH", `${base}/goals/${goal.id}`, { baseVersion: goalVersion, status: "at_risk" })).version;
        },
      ],
      [
        "role change",
        "patched",
        async () => {
          await api("PATCH", `${base}/members/${observer.userId}`, { role });
          role = role === "observer" ? "contributor" : "observer";
        },
      ],
      [
        "protocol version saved",
        "header patched, body reloads",
        async () => {
          const saved = await api("POST", `${base}/protocols/${protocol.id}/versions`, {
            body: `# Protocol\n\nRevised ${Date.now()}.`,
            baseVersion: protocolVersion,
          });
          protocolVersion = saved.version;
        },
      ],
      [
        "study edited",
        "study patched, others reload",
        async () => {
          studyVersion = (
            await api("PATCH", `${base}/studies/${study.id}`, { baseVersion: studyVersion, population: `Revised ${Date.now()}` })
          ).version;
        },
      ],
      [
        "result edited",
        "study patched, others reload",
        async () => {
          result = await api("PATCH", `${base}/results/${result.id}`, { baseVersion: result.version, notes: `Checked ${Date.now()}` });
        },
      ],
      [
        "profile edited",
        "reload their own",
        async () => {
          profile = await api("PATCH", `${base}/profiles/${profile.id}`, {
            baseVersion: profile.version,
            description: `Revised ${Date.now()}`,
          });
        },
      ],
    ];
    const requestRows: string[][] = [];
    let studyPageCommentRequests: string[] = [];
    for (const [kind, pages, make] of kinds) {
      const marks = requests.mark();
      await make();
      await receiver.waitForTimeout(AFTER_EVENT_MS);
      const made = requests.since(marks);
      if (kind === "comment") studyPageCommentRequests = made[0];
      const total = made.reduce((sum, list) => sum + list.length, 0);
      const pagesReloading = made.filter((list) => list.length > 0).length;
      const most = Math.max(...made.map((list) => list.length));
      requestRows.push([
        kind,
        pages,
        String(viewers.length),
        String(total),
        (total / viewers.length).toFixed(2),
        String(pagesReloading),
        String(most),
      ]);
    }

    // (c) server CPU per comment with simulated viewer pages
    const cookie = await signInForSessionCookie(server.url, "immunology@demo.example", PASSWORD);
    const before = (event: string) => [
      `${studyPath}?_data=root`,
      `${studyPath}?_data=routes%2Fworkspaces.%24workspaceId`,
      `${studyPath}?_data=routes%2Fworkspaces.%24workspaceId.studies.%24studyId`,
    ];
    const now = () => studyPageCommentRequests.map((line) => line.split(" ")[1]);
    const cpuRows: string[][] = [];
    const serverPid = server.process.pid!;
    for (const [label, behaviour, debounce] of [
      ["before: reload 3 loaders per event", before, 400],
      ["now: what the study page does", now, 120],
    ] as const) {
      const sockets = [];
      let reloads = 0;
      let refused = 0;
      let answered = 0;
      for (let i = 0; i < plan.viewers; i++) {
        const client = await connectLive(server.url, { cookie });
        const socket = client.socket;
        await withTimeout(
          new Promise((resolve) => socket.emit("workspace:join", { workspaceId: ws, afterEventId: "999999999" }, resolve)),
          15_000,
          "join",
        );
        let timer: NodeJS.Timeout | undefined;
        socket.on("event", () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            for (const path of behaviour("comment")) {
              reloads++;
              // As many pages would: all at once. A request the saturated server cannot take in time counts as refused.
              fetch(`${server.url}${path}`, { headers: { cookie }, signal: AbortSignal.timeout(20_000) })
                .then((r) => r.arrayBuffer())
                .then(() => answered++)
                .catch(() => refused++);
            }
          }, debounce);
        });
        sockets.push(socket);
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const cpu0 = processCpuSeconds(serverPid)!;
      for (let i = 0; i < plan.cpuComments; i++) {
        await api("POST", `${base}/comments`, { target: { type: "study", id: study.id }, body: `CPU ${i}` });
        await new Promise((resolve) => setTimeout(resolve, COMMENT_SPACING_MS));
      }
      // The reloads the last comments caused are still being answered: their CPU counts too.
      const settle = performance.now();
      while (performance.now() - settle < 60_000 && reloads - answered - refused > 0)
        await new Promise((resolve) => setTimeout(resolve, 250));
      const cpu = (processCpuSeconds(serverPid)! - cpu0) / plan.cpuComments;
      cpuRows.push([label, String(plan.viewers), String(Math.round(reloads / plan.cpuComments)), String(refused), ms(cpu * 1000)]);
      for (const socket of sockets) socket.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const bare = await startBareSocketServer();
    const bareSockets = [];
    for (let i = 0; i < plan.viewers; i++) {
      const socket = openSocket(bare.url);
      await handshake(socket);
      bareSockets.push(socket);
    }
    const barePid = bare.process.pid!;
    const bareCpu0 = processCpuSeconds(barePid)!;
    for (let i = 0; i < plan.cpuComments; i++) {
      await broadcast(bare.url, JSON.stringify({ type: "comment.created", payload: { comment: { body: `CPU ${i}`.padEnd(600, ".") } } }));
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const bareCpu = (processCpuSeconds(barePid)! - bareCpu0) / plan.cpuComments;
    for (const socket of bareSockets) socket.disconnect();
    cpuRows.push(["bare Socket.IO broadcast (baseline)", String(plan.viewers), "0", "0", ms(bareCpu * 1000)]);

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const others50 = percentile(sorted(toOthers), 50);
    const others99 = percentile(sorted(toOthers), 99);
    return [
      {
        title: "Live pages (a): a comment from the click in one Chromium page (the page's click event) until it is drawn",
        note: `${plan.comments} comments after ${plan.warmup} thrown away, ${plan.otherPages} more pages of the workspace open; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${os.cpus().length} cores`,
        header: ["drawn in", "p50 ms", "p90 ms", "p99 ms", "max ms"],
        body: [
          ["a colleague's page (same study)", ms(others50), ms(percentile(sorted(toOthers), 90)), ms(others99), ms(Math.max(...toOthers))],
          [
            "the author's own page",
            ms(percentile(sorted(toAuthor), 50)),
            ms(percentile(sorted(toAuthor), 90)),
            ms(percentile(sorted(toAuthor), 99)),
            ms(Math.max(...toAuthor)),
          ],
        ],
      },
      {
        title: "Live pages (b): requests for data viewer pages make in the 1.5 s after an event",
        note: `${viewers.length} pages of a member open (study ×${Math.ceil(viewers.length / otherPaths.length)}, comparison, dashboard, goal, goals, activity, members, studies, protocol, profiles); events made through the API by the lead`,
        header: ["event", "pages", "viewer pages", "requests", "per page", "pages that asked", "most by one page"],
        body: requestRows,
      },
      {
        title: "Live pages (c): server CPU per comment with simulated viewer pages connected",
        note: "each simulated page is a live socket that, on each event, requests what the page would; the bare server only broadcasts",
        header: ["viewer behaviour", "viewers", "requests per comment", "requests refused", "server CPU ms per comment"],
        body: cpuRows,
      },
    ];
  } finally {
    await browser?.close();
  }
}
