/**
 * The benchmark suite: `npm run bench` (needs a built app: `npm run build`).
 *
 * Speed is measured, never asserted. Every figure is printed next to a
 * baseline measured in the same run on the same machine, because absolute
 * numbers only mean something against their neighbours. All traffic goes to
 * 127.0.0.1 servers this run starts (real built app, SEED_DEMO=0, a temporary
 * SQLite file each, data set up through the JSON API); every one of them is
 * stopped when the run ends, fails, is interrupted, or runs out of time.
 *
 * Groups, run in this order, each printing its own table(s):
 *   read        read path (healthz baseline, token lookup, members, events, CSV) and the
 *               live channel (join + replay, write → event at 20 sockets)
 *   write       write path with synchronous=FULL against NORMAL
 *   import      a 100,000-row dataset upload over HTTP, /healthz latency meanwhile
 *   fanout      a comment reaching 100 / 500 / 1,000 live clients, beside a bare Socket.IO server
 *   live-documents  an edit of a protocol's live draft reaching 20 editors + 200 viewers, beside a
 *               bare Socket.IO relay of the same bytes; a draft's stored size and doc:join time after
 *               10,000 updates, before and after compaction
 *   live-pages  in Chromium, a comment from one page to another with 20 more pages open; the
 *               requests viewer pages make per kind of event; server CPU per comment with 200
 *               simulated viewer pages (as the pages were before, and now), beside a bare broadcast
 *   comparison  the comparison over 200 studies × 8 profiles beside a hand-written pass
 *               over the same rows that must agree with it (own process; only if
 *               tests/bench/comparison.ts exists)
 *   effect-modification  the within-trial effect-modification view over 200 trials ×
 *               1,000 participants, cold and warm, beside hand-written least-squares
 *               fits of arrays in memory and of rows read straight from SQLite, which
 *               must agree with it (own process; only if tests/bench/effect-modification.ts exists)
 *   engines     the read and write requests above on a SQLite server and a PostgreSQL
 *               server side by side, with the ratio PostgreSQL / SQLite
 *   fanout-processes  a comment reaching 1,000 live clients of 1 app process and of 2
 *               (PostgreSQL + Redis), beside a bare Socket.IO server; reach printed
 *   write-processes   comments/s from concurrent HTTP writers with 1 and 2 app processes
 *               on PostgreSQL, and where the CPU went (app processes, PostgreSQL, machine)
 *
 * The last three need PostgreSQL (BENCH_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres: a scratch database is created
 * and dropped per group) and the last two Redis (BENCH_REDIS_URL, default
 * redis://127.0.0.1:6379, a key prefix of the run's own, its keys deleted).
 *
 * Options (after `npm run bench --`):
 *   --markdown <file>   also write the tables as Markdown (e.g. docs/bench/latest.md)
 *   --quick             smaller counts everywhere, for checking that the suite runs (~30 s)
 *   --only=<group>      run one group (or several: --only=import,fanout)
 *
 * Duration on the 2-core machine of docs/bench/latest.md: about 100 s for the
 * groups up to comparison (read 25, write 19, import 6, fanout 12, comparison
 * 37), about 30 s with --quick; effect-modification about 25 s (5 s with
 * --quick); the three groups after it about 250 s more
 * (engines 105, fanout-processes 70, write-processes 75), about 80 s with
 * --quick, measured while other work kept most of one core busy; up to twice
 * that when the machine is busier. A watchdog stops everything after HARD_LIMIT_MS.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { enginesBench } from "./engines.ts";
import { FANOUT_PLAN, FANOUT_QUICK_PLAN, fanoutBench } from "./fanout.ts";
import { FANOUT_PROCESSES_PLAN, FANOUT_PROCESSES_QUICK_PLAN, fanoutProcessesBench } from "./fanout-processes.ts";
import { IMPORT_QUICK_ROWS, IMPORT_ROWS, importBench } from "./import.ts";
import { LIVE_DOCUMENTS_PLAN, LIVE_DOCUMENTS_QUICK_PLAN, liveDocumentsBench } from "./live-documents.ts";
import { LIVE_PAGES_PLAN, LIVE_PAGES_QUICK_PLAN, livePagesBench } from "./live-pages.ts";
import { DEFAULT_PLAN, readAndLive, setupLog, writePath, type Plan } from "./scenarios.ts";
import { killAllSync, runBenchScript, stopAll } from "./servers.ts";
import { formatGroup, type AnyGroup, type TableGroup } from "./table.ts";
import { WRITE_PROCESSES_PLAN, WRITE_PROCESSES_QUICK_PLAN, writeProcessesBench } from "./write-processes.ts";

const root = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
/** The whole run is cut off here, servers stopped, exit 1. */
const HARD_LIMIT_MS = 16 * 60_000;

/** Set-up lines from the groups that take a logger, kept with the scenarios' own. */
const log = (line: string) => {
  setupLog.push(line);
  console.error(`  ${line}`);
};

interface BenchGroup {
  name: string;
  run(quick: boolean): Promise<AnyGroup[]>;
}

const comparisonScript = path.join(root, "tests", "bench", "comparison.ts");
const effectModificationScript = path.join(root, "tests", "bench", "effect-modification.ts");

const GROUPS: BenchGroup[] = [
  { name: "read", run: (quick) => readAndLive(quick ? quickPlan(DEFAULT_PLAN) : DEFAULT_PLAN) },
  { name: "write", run: (quick) => writePath(quick ? quickPlan(DEFAULT_PLAN) : DEFAULT_PLAN) },
  { name: "import", run: async (quick) => [await importBench(quick ? IMPORT_QUICK_ROWS : IMPORT_ROWS, log)] },
  { name: "fanout", run: async (quick) => [await fanoutBench(quick ? FANOUT_QUICK_PLAN : FANOUT_PLAN, log)] },
  { name: "live-documents", run: (quick) => liveDocumentsBench(quick ? LIVE_DOCUMENTS_QUICK_PLAN : LIVE_DOCUMENTS_PLAN, log) },
  { name: "live-pages", run: (quick) => livePagesBench(quick ? LIVE_PAGES_QUICK_PLAN : LIVE_PAGES_PLAN, log) },
  ...(fs.existsSync(comparisonScript) ? [{ name: "comparison", run: comparisonGroup }] : []),
  ...(fs.existsSync(effectModificationScript) ? [{ name: "effect-modification", run: effectModificationGroup }] : []),
  { name: "engines", run: (quick) => enginesBench(quick ? quickPlan(DEFAULT_PLAN) : DEFAULT_PLAN, log) },
  {
    name: "fanout-processes",
    run: async (quick) => [await fanoutProcessesBench(quick ? FANOUT_PROCESSES_QUICK_PLAN : FANOUT_PROCESSES_PLAN, log)],
  },
  {
    name: "write-processes",
    run: async (quick) => [await writeProcessesBench(quick ? WRITE_PROCESSES_QUICK_PLAN : WRITE_PROCESSES_PLAN, log)],
  },
];

/**
 * The comparison and effect-modification benches run in a process of their
 * own (each points the app's database at a scratch file before importing it)
 * and print a Markdown table; that table becomes the group.
 */
async function scriptGroup(script: string, title: string, firstLine: string, env: Record<string, string>): Promise<AnyGroup[]> {
  const output = await runBenchScript(script, [], env);
  const lines = output.split("\n");
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, "")
      .split("|")
      .map((c) => c.trim());
  const table = lines.filter((l) => l.startsWith("|"));
  if (table.length < 3) throw new Error(`${script} printed no table:\n${output}`);
  const [header, , ...body] = table.map(cells);
  const group: TableGroup = {
    title,
    note: lines.find((l) => l.startsWith(firstLine))?.replace(/; setting up…$/, "") ?? "",
    header,
    body,
    footer: lines
      .filter((l) => l.startsWith("- ") || l.startsWith("set-up took") || /^baselines? agrees?/.test(l))
      .map((l) => l.replace(/^- /, "")),
  };
  return [group];
}

function comparisonGroup(quick: boolean): Promise<AnyGroup[]> {
  return scriptGroup(
    "./comparison.ts",
    "Comparison: server time of the interventions × profiles matrix (getComparison, in-process)",
    "comparison bench:",
    quick ? { BENCH_COMPARISON_STUDIES: "40", BENCH_COMPARISON_ROWS: "500", BENCH_COMPARISON_RUNS: "5" } : {},
  );
}

function effectModificationGroup(quick: boolean): Promise<AnyGroup[]> {
  return scriptGroup(
    "./effect-modification.ts",
    "Effect modification: server time of the within-trial analysis (getEffectModificationView, in-process)",
    "effect-modification bench:",
    quick ? { BENCH_EM_STUDIES: "40", BENCH_EM_ROWS: "500", BENCH_EM_COLD_RUNS: "3", BENCH_EM_WARM_RUNS: "5" } : {},
  );
}

function parseArgs(argv: string[]) {
  let markdown: string | undefined;
  let quick = false;
  let only: string[] | undefined;
  const names = GROUPS.map((g) => g.name);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--markdown") markdown = argv[++i];
    else if (argv[i] === "--quick") quick = true;
    else if (argv[i].startsWith("--only=")) only = argv[i].slice("--only=".length).split(",").filter(Boolean);
    else if (argv[i] === "--only") only = (argv[++i] ?? "").split(",").filter(Boolean);
    else {
      console.error(`unknown option ${argv[i]}; options: --markdown <file>, --quick, --only=<${names.join("|")}>`);
      process.exit(2);
    }
  }
  if (argv.includes("--markdown") && !markdown) {
    console.error("--markdown needs a file name");
    process.exit(2);
  }
  const unknown = only?.filter((name) => !names.includes(name)) ?? [];
  if (only && (only.length === 0 || unknown.length > 0)) {
    console.error(`--only: unknown group ${unknown.join(", ") || "(none given)"}; groups: ${names.join(", ")}`);
    process.exit(2);
  }
  return { markdown, quick, only };
}

function quickPlan(plan: Plan): Plan {
  const tenth = (x: number) => Math.max(3, Math.round(x / 10));
  return {
    ...plan,
    readCount: tenth(plan.readCount),
    readWarmup: tenth(plan.readWarmup),
    csvCount: 2,
    writeCount: tenth(plan.writeCount),
    writeWarmup: tenth(plan.writeWarmup),
    fanoutCount: tenth(plan.fanoutCount),
    replayCount: tenth(plan.replayCount),
    joinCount: tenth(plan.joinCount),
    trailEvents: 200,
  };
}

/** Sources changed after the build: the figures would describe older code. Only a warning. */
function staleBuildWarning(buildFile: string): string | null {
  const built = fs.statSync(buildFile).mtimeMs;
  const newer: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(ts|tsx)$/.test(entry.name) && fs.statSync(file).mtimeMs > built) newer.push(path.relative(root, file));
    }
  };
  walk(path.join(root, "app"));
  return newer.length
    ? `warning: build/ is older than ${newer.length} file(s) under app/ (e.g. ${newer[0]}); consider \`npm run build\``
    : null;
}

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpuCount: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  };
}

/** The 1, 5 and 15 minute load averages, as printed at the start and end of a run. */
const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ");

function markdownReport(
  groups: AnyGroup[],
  info: ReturnType<typeof machine>,
  date: string,
  totalMs: number,
  quick: boolean,
  target: string,
  ran: string[],
  loadAtStart: string,
) {
  const tables = groups.map(formatGroup).join("\n\n");
  const write = groups.filter((g) => g.title.startsWith("Write path"));
  const durability = write.length
    ? `## Durability: synchronous=FULL versus NORMAL

${write.map((g) => `- ${g.title.replace(/^Write path \(invitation \+ audit event in one transaction\), /, "")}: ${g.footer?.join("; ")}`).join("\n")}

The write path commits the change and its audit event in one SQLite transaction; with
\`synchronous=FULL\` (the default, see \`db/client.ts\`) each commit waits for the WAL to reach the disk,
with \`SQLITE_SYNCHRONOUS=NORMAL\` it does not (a power cut can lose the last commits, but not corrupt
the database).

`
    : "";
  return `# Benchmark figures (latest run)

Generated by the bench itself, up to the first section headed "written by hand" (a re-run keeps those). Re-run to refresh:

\`\`\`sh
npm run build            # only if build/ is missing or stale
npm run bench -- ${ran.length < GROUPS.length ? `--only=${ran.join(",")} ` : ""}${quick ? "--quick " : ""}--markdown ${target}
\`\`\`

(\`npm run bench\` alone prints the same tables without writing this file.)

- Date: ${date}
- Machine: ${info.cpuCount} cores (${info.cpuModel}), ${info.memory} RAM, ${info.platform}
- Node: ${info.node}
- Run time: ${(totalMs / 1000).toFixed(1)} s${quick ? " (--quick: reduced counts, figures are indicative only)" : ""}; groups: ${ran.join(", ")}
- Load: load average ${loadAtStart} (1 / 5 / 15 min) at the start of the run, ${loadAverage()} at the end; other work on
  the machine moves the figures, the tail latencies most
- Set-up: every server is the built app started by \`tests/support/server.ts\` on 127.0.0.1 with
  \`SEED_DEMO=0\` and its own temporary SQLite file (WAL), or, in the engines, fanout-processes and
  write-processes groups, a scratch PostgreSQL database that the run creates and drops (several app
  processes share it, and the local Redis under a key prefix of the run's own); data is created
  through the JSON API.
  The fan-out baseline is a bare Socket.IO server in a process of its own; the comparison and
  effect-modification benches run the service in a process of their own on a scratch database. The load generator runs on the same machine
  as the server, so both share the ${info.cpuCount} cores.

How to read: latencies are per request in ms, measured by the client (request sent → whole body
read); p50/p95/p99 are nearest-rank percentiles; req/s is completed requests per second of measured
wall time; "vs baseline" is the row's mean latency divided by the baseline row's mean latency (the
baseline row of each table is marked). The import, fan-out, comparison, effect-modification, engines and process tables have
their own columns, explained in the line under each title; their baselines are measured in the same run
too (a bare CSV insert, a bare Socket.IO server, a hand-written pass over the rows, hand-written
least-squares fits, /healthz on both engines, the same load on one process). Speed is measured, never asserted: these figures are
evidence for decisions, not pass/fail thresholds, and only the ratios carry over to other machines.
On a small shared machine, consecutive runs move a ratio by a tenth or more: a difference of
10–20% between two rows needs a repeat run before it is cited.

## Figures

\`\`\`text
${tables}
\`\`\`

${durability}## Set-up steps (not measured)

${setupLog.map((l) => `- ${l}`).join("\n")}
`;
}

/** Set on SIGINT/SIGTERM: requests then fail because their server is going away, which is expected. */
let interrupted = false;

async function main() {
  const { markdown, quick, only } = parseArgs(process.argv.slice(2));
  const buildFile = path.join(root, "build", "index.js");
  if (!fs.existsSync(buildFile)) {
    console.error("run `npm run build` first");
    process.exit(1);
  }
  const stale = staleBuildWarning(buildFile);
  if (stale) console.error(stale);

  const selected = GROUPS.filter((g) => !only || only.includes(g.name));
  // Other work on the machine moves every figure: say how busy it was before the bench added its own.
  const loadAtStart = loadAverage();
  const info = machine();
  const date = new Date().toISOString();
  const started = performance.now();
  console.log(
    [
      `Consilience bench — ${date}`,
      `node ${info.node}, ${info.cpuCount} CPUs (${info.cpuModel}), ${info.platform}, ${info.memory}`,
      `load average ${loadAtStart} (1 / 5 / 15 min) at the start`,
      `groups: ${selected.map((g) => g.name).join(", ")}${quick ? " (--quick: reduced counts)" : ""}; latencies in ms (client-side unless a table says otherwise)`,
    ].join("\n"),
  );

  let finished = false;
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${HARD_LIMIT_MS / 1000} s; stopping the servers and giving up`);
    void stopAll().finally(() => process.exit(1));
  }, HARD_LIMIT_MS);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`bench: ${signal}, stopping the servers`);
      void stopAll().finally(() => process.exit(130));
    });
  }
  process.once("exit", () => {
    if (!finished) killAllSync();
  });

  const groups: AnyGroup[] = [];
  try {
    for (const group of selected) {
      console.error(`bench: ${group.name} …`);
      const t0 = performance.now();
      const tables = await group.run(quick);
      await stopAll();
      // Each group's tables as soon as they are ready, so a long run shows progress.
      console.log(`\n${tables.map(formatGroup).join("\n\n")}\n`);
      console.error(`bench: ${group.name} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      groups.push(...tables);
    }
  } finally {
    await stopAll();
    clearTimeout(watchdog);
    finished = true;
  }
  const totalMs = performance.now() - started;

  console.log(`total ${(totalMs / 1000).toFixed(1)} s; load average ${loadAtStart} at the start, ${loadAverage()} at the end`);

  if (markdown) {
    const target = path.resolve(process.cwd(), markdown);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const report = markdownReport(
      groups,
      info,
      date,
      totalMs,
      quick,
      path.relative(root, target),
      selected.map((g) => g.name),
      loadAtStart,
    );
    fs.writeFileSync(target, report + handWrittenNotes(target));
    console.error(`bench: wrote ${path.relative(process.cwd(), target)}`);
  }
}

/**
 * What a person wrote under the generated tables and keeps across re-runs: everything from the first
 * heading that says "written by hand" to the end of the file ("" when there is none).
 */
function handWrittenNotes(file: string): string {
  if (!fs.existsSync(file)) return "";
  const text = fs.readFileSync(file, "utf8");
  const start = text.search(/^## .*written by hand/m);
  return start < 0 ? "" : `\n${text.slice(start)}`;
}

main().then(
  () => process.exit(0),
  async (error) => {
    await stopAll();
    if (interrupted) process.exit(130);
    console.error("bench failed:", error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
