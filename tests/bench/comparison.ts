/**
 * Comparison benchmark: 200 studies × 8 patient profiles, with participant-level
 * data totalling 200,000 rows (1,000 per study; half report CRP in mg/dL), the
 * server-side time of the comparison (getComparison, the function both the page
 * and GET …/comparison call), in the same process as the service, so the figure is
 * the server's work without HTTP:
 *
 * - cold: every per-dataset summary computed from the rows (cache emptied);
 * - warm after a change: one dataset re-uploaded (a new version) before each run,
 *   so that dataset's summaries are recomputed and every other is a cache hit;
 * - warm, nothing changed: every summary from the cache;
 * - baseline: the same per-arm N, mean and SD of the outcome for every dataset and
 *   profile, by hand-written code that knows the datasets' layout: one pass over
 *   each dataset's rows (the same query and JSON.parse the app does), the eight
 *   profiles as fixed conditions on fixed columns, sums per arm. It is the least
 *   work anything answering the question must do, in the same run on the same
 *   database; its numbers are checked against the app's before any timing.
 *
 *   node --import tsx tests/bench/comparison.ts [--markdown docs/bench/comparison.md]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const STUDIES = Number(process.env.BENCH_COMPARISON_STUDIES ?? 200);
const ROWS_PER_STUDY = Number(process.env.BENCH_COMPARISON_ROWS ?? 1000);
const RUNS = Number(process.env.BENCH_COMPARISON_RUNS ?? 15);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-bench-comparison-"));
process.env.DATABASE_PATH = path.join(dir, "bench.sqlite");
process.env.SQLITE_SYNCHRONOUS = "NORMAL";
// The baseline below reads the SQLite file directly: this bench runs on the embedded default.
delete process.env.DATABASE_URL;

const { default: Database } = await import("better-sqlite3");
const { closeDb, databasePath } = await import("#db/client.ts");
const { migrateDatabase } = await import("#db/migrate.ts");
const { createAccount } = await import("#app/services/accounts.server.ts");
const { createWorkspace } = await import("#app/services/workspaces.server.ts");
const { createPanel } = await import("#app/services/panels.server.ts");
const { createStudy } = await import("#app/services/studies.server.ts");
const { importDataset } = await import("#app/services/datasets.server.ts");
const { createProfile } = await import("#app/services/profiles.server.ts");
const { datasetSummariesForProfile, getComparison } = await import("#app/services/comparison.server.ts");
const { clearSummaryCache } = await import("#app/services/participant-summaries.server.ts");
const { percentile } = await import("./stats.ts");

const DRUGS = [
  ["infliximab", "anti-inflammatory"],
  ["minocycline", "anti-inflammatory"],
  ["celecoxib", "anti-inflammatory"],
  ["EPA", "anti-inflammatory"],
  ["tocilizumab", "anti-inflammatory"],
  ["pioglitazone", "metabolic"],
  ["metformin", "metabolic"],
  ["exercise", "lifestyle"],
  ["bupropion", "antidepressant"],
  ["escitalopram", "antidepressant"],
] as const;

function studyCsv(seed: number, rows: number, crpUnit: "mg/L" | "mg/dL", drug: string): string {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = [`participant_id,arm,CRP (${crpUnit}),BMI (kg/m2),glucose (mmol/L),IL-6 (pg/mL),hamd_baseline,hamd_week8`];
  for (let i = 0; i < rows; i++) {
    const arm = i % 2 ? "placebo" : drug;
    const crp = 0.2 + next() * 9;
    const baseline = 16 + Math.floor(next() * 12);
    const drop = Math.round((arm === drug && crp > 3 ? 8 : 4) + next() * 7);
    const missingBmi = next() < 0.02;
    lines.push(
      [
        `P${i}`,
        arm,
        crpUnit === "mg/L" ? crp.toFixed(2) : (crp / 10).toFixed(3),
        missingBmi ? "" : (22 + next() * 16).toFixed(1),
        (4 + next() * 3).toFixed(1),
        (1 + next() * 8).toFixed(1),
        baseline,
        Math.max(0, baseline - drop),
      ].join(","),
    );
  }
  return lines.join("\n");
}

const upload = (actor: { id: string; email: string; name: string }, workspaceId: string, studyId: string, csv: string) =>
  importDataset(actor, workspaceId, studyId, async () => ({
    bytes: Buffer.from(csv, "utf8"),
    fileName: "bench.csv",
    contentType: "text/csv",
    fields: { name: "Participants (synthetic)", kind: "participant" },
  }));

async function setUp() {
  await migrateDatabase();
  const lead = await createAccount({ email: "bench@bench.example", name: "Bench Lead", password: "bench-password-123" });
  const workspace = await createWorkspace(lead, { name: "Comparison bench" });
  const panel = await createPanel(lead, workspace.id, { name: "Core", fromDefault: true });
  const studies: string[] = [];
  for (let s = 0; s < STUDIES; s++) {
    const [drug, drugClass] = DRUGS[s % DRUGS.length];
    const study = await createStudy(lead, workspace.id, {
      title: `Trial ${String(s + 1).padStart(3, "0")}: ${drug}`,
      panelId: panel.id,
      arms: [
        { name: drug, class: drugClass },
        { name: "placebo", class: "placebo" },
      ],
      outcomes: [{ name: "HAM-D change from baseline", kind: "continuous" }],
    });
    await upload(lead, workspace.id, study.id, studyCsv(1000 + s, ROWS_PER_STUDY, s % 2 ? "mg/dL" : "mg/L", drug));
    studies.push(study.id);
  }
  const crp = (operator: string, value: number) => ({ kind: "biomarker", code: "hs_crp", operator, value, unit: "mg/L" });
  const bmi = (operator: string, value: number) => ({ kind: "biomarker", code: "bmi", operator, value, unit: "kg/m2" });
  const profiles: [string, unknown][] = [
    ["Immuno-metabolic", { op: "and", items: [crp(">", 3), bmi(">=", 30)] }],
    ["High CRP", { op: "and", items: [crp(">", 3)] }],
    ["Low CRP", { op: "and", items: [crp("<", 1)] }],
    ["Moderate CRP", { op: "and", items: [crp(">=", 1), crp("<=", 3)] }],
    ["Obese", { op: "and", items: [bmi(">=", 30)] }],
    ["Raised glucose", { op: "and", items: [{ kind: "biomarker", code: "glucose", operator: ">=", value: 5.6, unit: "mmol/L" }] }],
    ["High CRP or very obese", { op: "or", items: [crp(">", 3), bmi(">=", 35)] }],
    ["Raised IL-6", { op: "and", items: [{ kind: "biomarker", code: "il6", operator: ">=", value: 6.4, unit: "pg/mL" }] }],
  ];
  for (const [name, criteria] of profiles) await createProfile(lead, workspace.id, { name, criteria });
  return { lead, workspaceId: workspace.id, studies };
}

/**
 * The hand-written baseline: the datasets' layout is known here (values 2–7 are
 * CRP in mg/L, BMI, glucose, IL-6, HAM-D at baseline and at week 8; the app has
 * already converted CRP to the panel's unit), so each profile is a fixed
 * condition and the outcome one subtraction. A condition on a missing value is
 * not met, as in the app (an unknown is not a match). N, Σy and Σy² per dataset,
 * arm and profile give the mean and SD.
 */
type Row = (number | string | null)[];
const num = (v: number | string | null) => (typeof v === "number" ? v : null);
const above = (v: number | null, x: number) => v !== null && v > x;
const atLeast = (v: number | null, x: number) => v !== null && v >= x;
const below = (v: number | null, x: number) => v !== null && v < x;
const atMost = (v: number | null, x: number) => v !== null && v <= x;
const BASELINE_PROFILES: [string, (r: Row) => boolean][] = [
  ["Immuno-metabolic", (r) => above(num(r[2]), 3) && atLeast(num(r[3]), 30)],
  ["High CRP", (r) => above(num(r[2]), 3)],
  ["Low CRP", (r) => below(num(r[2]), 1)],
  ["Moderate CRP", (r) => atLeast(num(r[2]), 1) && atMost(num(r[2]), 3)],
  ["Obese", (r) => atLeast(num(r[3]), 30)],
  ["Raised glucose", (r) => atLeast(num(r[4]), 5.6)],
  ["High CRP or very obese", (r) => above(num(r[2]), 3) || atLeast(num(r[3]), 35)],
  ["Raised IL-6", (r) => atLeast(num(r[5]), 6.4)],
];

interface ArmSummary {
  n: number;
  mean: number;
  sd: number;
}
/** dataset id → profile name → arm → N, mean and SD of the HAM-D drop. */
type BaselineAnswer = Map<string, Map<string, Map<string, ArmSummary>>>;

function baselineQuery(workspaceId: string) {
  // The baseline reads the SQLite file directly, with no app code in between.
  const sqlite = new Database(databasePath(), { readonly: true });
  const latest = sqlite.prepare(
    `SELECT d.id FROM datasets d
     WHERE d.workspace_id = ? AND d.status = 'ready'
       AND d.version = (SELECT max(d2.version) FROM datasets d2 WHERE d2.study_id = d.study_id AND d2.name = d.name AND d2.status = 'ready')`,
  );
  const rows = sqlite.prepare('SELECT arm, "values" FROM dataset_rows WHERE dataset_id = ?').raw();
  return (): BaselineAnswer => {
    const answer: BaselineAnswer = new Map();
    for (const { id } of latest.all(workspaceId) as { id: string }[]) {
      const sums = BASELINE_PROFILES.map(() => new Map<string, [number, number, number]>());
      for (const [arm, json] of rows.iterate(id) as Iterable<[string, string]>) {
        const values = JSON.parse(json) as Row;
        const before = num(values[6]);
        const after = num(values[7]);
        if (before === null || after === null) continue;
        const y = before - after;
        for (let p = 0; p < BASELINE_PROFILES.length; p++) {
          if (!BASELINE_PROFILES[p][1](values)) continue;
          const s = sums[p].get(arm) ?? [0, 0, 0];
          s[0]++;
          s[1] += y;
          s[2] += y * y;
          sums[p].set(arm, s);
        }
      }
      answer.set(
        id,
        new Map(
          BASELINE_PROFILES.map(([name], p) => [
            name,
            new Map(
              [...sums[p]].map(([arm, [n, sum, squares]]) => {
                const mean = sum / n;
                return [arm, { n, mean, sd: n > 1 ? Math.sqrt(Math.max(0, (squares - n * mean * mean) / (n - 1))) : 0 }];
              }),
            ),
          ]),
        ),
      );
    }
    return answer;
  };
}

/**
 * The baseline must answer what the app answers: every dataset, profile and
 * arm with the same N, and mean and SD equal to a relative 1e-9 (the app keeps
 * running sums by Welford's method, the baseline plain sums). Throws on the
 * first difference; answers how many summaries were compared.
 */
async function checkBaselineAgrees(
  workspaceId: string,
  baseline: BaselineAnswer,
  profiles: { id: string; name: string }[],
): Promise<number> {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  let compared = 0;
  for (const profile of profiles) {
    for (const { datasetId, summary } of await datasetSummariesForProfile(workspaceId, profile.id)) {
      const expected = baseline.get(datasetId)?.get(profile.name);
      if (!expected) throw new Error(`baseline has no ${profile.name} for dataset ${datasetId}`);
      const outcome = Object.values(summary.outcomes)[0];
      const arms = Object.entries(outcome?.arms ?? {}).filter(([, s]) => s.n > 0);
      if (arms.length !== expected.size)
        throw new Error(
          `${profile.name}, dataset ${datasetId}: the app has arms ${arms.map(([a]) => a)}, the baseline ${[...expected.keys()]}`,
        );
      for (const [arm, app] of arms) {
        const mine = expected.get(arm);
        if (!mine || mine.n !== app.n || !close(mine.mean, app.mean) || !close(mine.sd, app.sd)) {
          throw new Error(
            `${profile.name}, dataset ${datasetId}, arm ${arm}: app ${JSON.stringify(app)}, baseline ${JSON.stringify(mine)}`,
          );
        }
        compared++;
      }
    }
  }
  return compared;
}

function time<T>(work: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = work();
  return { ms: performance.now() - started, value };
}

/** The services are async: the time runs until the answer is there, not until the promise exists. */
async function timeAsync<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

function line(label: string, samples: number[], baselineP50?: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const ratio = baselineP50 ? `${(p50 / baselineP50).toFixed(2)}×` : "baseline";
  return `| ${label.padEnd(44)} | ${String(samples.length).padStart(4)} | ${p50.toFixed(1).padStart(8)} | ${p99.toFixed(1).padStart(8)} | ${ratio.padStart(11)} |`;
}

async function main() {
  const started = performance.now();
  console.log(`comparison bench: ${STUDIES} studies × 8 profiles, ${STUDIES * ROWS_PER_STUDY} participant rows; setting up…`);
  const { lead, workspaceId, studies } = await setUp();
  console.log(`set-up took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const query = { method: "REML" };
  const baseline = baselineQuery(workspaceId);

  // One of each first, so that code paths are compiled before timing, and the baseline checked against the app.
  clearSummaryCache();
  const first = await getComparison(lead, workspaceId, query);
  const compared = await checkBaselineAgrees(workspaceId, baseline(), first.profiles);
  console.log(`baseline agrees with the app: ${compared} per-arm summaries (N, mean, SD) compared`);
  const cells = first.rows.reduce((n, r) => n + r.cells.filter(Boolean).length, 0);

  const cold: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    base.push(time(baseline).ms);
    clearSummaryCache();
    cold.push((await timeAsync(() => getComparison(lead, workspaceId, query))).ms);
  }

  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const studyId = studies[(i * 7) % studies.length];
    const [drug] = DRUGS[((i * 7) % studies.length) % DRUGS.length];
    await upload(lead, workspaceId, studyId, studyCsv(5000 + i, ROWS_PER_STUDY, "mg/dL", drug));
    warm.push((await timeAsync(() => getComparison(lead, workspaceId, query))).ms);
  }

  const hit: number[] = [];
  for (let i = 0; i < RUNS; i++) hit.push((await timeAsync(() => getComparison(lead, workspaceId, query))).ms);

  const baseP50 = percentile(
    [...base].sort((a, b) => a - b),
    50,
  );
  const table = [
    "| server time of the comparison (ms)           | runs |      p50 |      p99 | p50 vs base |",
    "| -------------------------------------------- | ---: | -------: | -------: | ----------: |",
    line("baseline: one hand-written pass over the rows", base),
    line("cold: every summary from the rows", cold, baseP50),
    line("warm: after a change to one dataset", warm, baseP50),
    line("warm: nothing changed (all from the cache)", hit, baseP50),
  ].join("\n");
  const summary = [
    `- ${STUDIES} studies (10 interventions in 5 classes, each against placebo), ${STUDIES * ROWS_PER_STUDY} participant rows (half with CRP in mg/dL), 8 profiles; ${first.rows.length} matrix rows, ${cells} pooled cells (REML), SMD of the HAM-D change.`,
    `- Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}; SQLite WAL, synchronous NORMAL; ${RUNS} runs each, in one process, after one untimed warm-up.`,
    `- The baseline reads each dataset's rows as the app does and computes only the per-arm N, mean and SD per dataset and profile, for this known column layout (${compared} summaries, equal to the app's); the comparison also plans each profile against each dataset's columns and units, derives the outcome, computes effect sizes and pools every cell.`,
  ].join("\n");
  console.log(`\n${table}\n\n${summary}\n`);

  const markdown = process.argv.indexOf("--markdown");
  if (markdown !== -1 && process.argv[markdown + 1]) {
    fs.writeFileSync(
      process.argv[markdown + 1],
      `# Comparison benchmark (latest run)\n\nGenerated by \`node --import tsx tests/bench/comparison.ts --markdown docs/bench/comparison.md\`; do not edit by hand.\n\n- Date: ${new Date().toISOString()}\n${summary}\n\n${table}\n`,
    );
  }
  await closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
