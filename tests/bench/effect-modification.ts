/**
 * Effect-modification benchmark: the within-trial analysis of issue 11 for 200
 * trials × 1,000 participants (200,000 rows; half the files report hs-CRP in
 * mg/dL, converted to mg/L on import), one biomarker (hs-CRP per doubling),
 * pooled by REML. It times getEffectModificationView, the function the page,
 * GET …/effect-modification and its exports all call, in the same process as
 * the service, so the figure is the server's work without HTTP:
 *
 * - cold: every trial read from its rows and fitted (fit cache emptied first);
 * - warm: every fit from the cache (the view re-loads the workspace, plans the
 *   trials and pools them again);
 * - baseline "plain loop over arrays": arm (0/1), x = log2 hs-CRP in mg/L and
 *   y = the HAM-D drop already in memory as typed arrays; the same
 *   y ~ arm + x + arm:x fits by a hand-written least-squares loop per arm, then
 *   the interactions pooled by poolEffects;
 * - baseline "read rows + plain loop": the same fits, but each dataset's rows
 *   read first with one SQL query per dataset straight from the SQLite file
 *   (as the comparison bench's baseline does): the least work a cold answer
 *   must do.
 *
 * Both baselines' interactions, standard errors and pooled estimate are
 * checked against the app's (relative 1e-9) before anything is timed.
 *
 *   node --import tsx tests/bench/effect-modification.ts [--markdown docs/bench/effect-modification.md]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const STUDIES = Number(process.env.BENCH_EM_STUDIES ?? 200);
const ROWS_PER_STUDY = Number(process.env.BENCH_EM_ROWS ?? 1000);
const COLD_RUNS = Number(process.env.BENCH_EM_COLD_RUNS ?? 15);
const WARM_RUNS = Number(process.env.BENCH_EM_WARM_RUNS ?? 40);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-bench-effect-modification-"));
process.env.DATABASE_PATH = path.join(dir, "bench.sqlite");
process.env.SQLITE_SYNCHRONOUS = "NORMAL";
// The second baseline reads the SQLite file directly: this bench runs on the embedded default.
delete process.env.DATABASE_URL;

const { default: Database } = await import("better-sqlite3");
const { closeDb, databasePath } = await import("#db/client.ts");
const { migrateDatabase } = await import("#db/migrate.ts");
const { createAccount } = await import("#app/services/accounts.server.ts");
const { createWorkspace } = await import("#app/services/workspaces.server.ts");
const { createPanel } = await import("#app/services/panels.server.ts");
const { createStudy } = await import("#app/services/studies.server.ts");
const { importDataset } = await import("#app/services/datasets.server.ts");
const { clearEffectModificationCache, getEffectModificationView } = await import("#app/services/effect-modification-view.server.ts");
const { poolEffects } = await import("#app/domain/meta-analysis.ts");
const { studentTQuantile } = await import("#app/domain/distributions.ts");
const { percentile } = await import("./stats.ts");

const DRUGS = ["infliximab", "minocycline", "celecoxib", "EPA", "tocilizumab"] as const;
const QUERY = { intervention: "class:anti-inflammatory", biomarker: "hs_crp", scale: "log2", method: "REML" } as const;

/** One trial's participants as the baselines hold them: arm (1 = drug), x = log2 hs-CRP in mg/L, y = HAM-D drop. */
interface TrialArrays {
  arm: Uint8Array;
  x: Float64Array;
  y: Float64Array;
}

/** What the import stores for a value converted to the panel's unit (dataset-values.ts, harmonise). */
const harmonised = (value: number, factor: number) => (factor === 1 ? value : Number((value * factor).toPrecision(12)));

/**
 * A trial's file, and the same participants as arrays. hs-CRP is log-uniform
 * over 0.3–19 mg/L; the drug's benefit grows by about 1.2 HAM-D points per
 * doubling of hs-CRP, with a slope of the trial's own (so τ² > 0); the arrays
 * hold exactly the numbers the file says, as the app will read them.
 */
function studyData(seed: number, rows: number, crpUnit: "mg/L" | "mg/dL", drug: string): { csv: string; arrays: TrialArrays } {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const trialSlope = 1.2 + (next() - 0.5) * 0.8;
  const lines = [`participant_id,arm,hs-CRP (${crpUnit}),hamd_baseline,hamd_week8`];
  const arrays: TrialArrays = { arm: new Uint8Array(rows), x: new Float64Array(rows), y: new Float64Array(rows) };
  for (let i = 0; i < rows; i++) {
    const treated = i % 2 === 0;
    const crp = 0.3 * 2 ** (next() * 6);
    const baseline = 16 + Math.floor(next() * 12);
    const noise = (next() + next() + next() - 1.5) * 6;
    const drop = Math.round(4 + (treated ? 1 + trialSlope * Math.log2(crp) : 0) + noise);
    const week8 = Math.max(0, baseline - drop);
    const written = crpUnit === "mg/L" ? crp.toFixed(3) : (crp / 10).toFixed(4);
    lines.push([`P${i}`, treated ? drug : "placebo", written, baseline, week8].join(","));
    arrays.arm[i] = treated ? 1 : 0;
    arrays.x[i] = Math.log2(harmonised(Number(written), crpUnit === "mg/L" ? 1 : 10));
    arrays.y[i] = baseline - week8;
  }
  return { csv: lines.join("\n"), arrays };
}

async function setUp() {
  await migrateDatabase();
  const lead = await createAccount({ email: "bench@bench.example", name: "Bench Lead", password: "bench-password-123" });
  const workspace = await createWorkspace(lead, { name: "Effect modification bench" });
  const panel = await createPanel(lead, workspace.id, { name: "Core", fromDefault: true });
  /** Dataset id → the trial's participants as arrays, in study order. */
  const inMemory = new Map<string, TrialArrays>();
  for (let s = 0; s < STUDIES; s++) {
    const drug = DRUGS[s % DRUGS.length];
    const study = await createStudy(lead, workspace.id, {
      title: `Trial ${String(s + 1).padStart(3, "0")}: ${drug}`,
      panelId: panel.id,
      arms: [
        { name: drug, class: "anti-inflammatory" },
        { name: "placebo", class: "placebo" },
      ],
      outcomes: [{ name: "HAM-D change", kind: "continuous" }],
    });
    const { csv, arrays } = studyData(1000 + s, ROWS_PER_STUDY, s % 2 ? "mg/dL" : "mg/L", drug);
    const dataset = await importDataset(lead, workspace.id, study.id, async () => ({
      bytes: Buffer.from(csv, "utf8"),
      fileName: "bench.csv",
      contentType: "text/csv",
      fields: { name: "Participants (synthetic)", kind: "participant" },
    }));
    if (!("id" in dataset)) throw new Error(`study ${s + 1}: the upload was not imported`);
    inMemory.set(dataset.id, arrays);
  }
  return { lead, workspaceId: workspace.id, inMemory };
}

interface BaselineFit {
  interaction: number;
  se: number;
  effectAtZero: number;
}

/**
 * lm(y ~ arm + x + arm:x) by hand: the model gives each arm its own line, so
 * it is one least-squares line per arm (means, then centred sums), the
 * interaction the difference of the slopes, the residual variance pooled over
 * n − 4 degrees of freedom.
 */
function plainFit(arm: Uint8Array, x: Float64Array, y: Float64Array, n: number): BaselineFit {
  const count = [0, 0];
  const sumX = [0, 0];
  const sumY = [0, 0];
  for (let i = 0; i < n; i++) {
    count[arm[i]]++;
    sumX[arm[i]] += x[i];
    sumY[arm[i]] += y[i];
  }
  const meanX = [sumX[0] / count[0], sumX[1] / count[1]];
  const meanY = [sumY[0] / count[0], sumY[1] / count[1]];
  const sxx = [0, 0];
  const sxy = [0, 0];
  const syy = [0, 0];
  for (let i = 0; i < n; i++) {
    const a = arm[i];
    const dx = x[i] - meanX[a];
    const dy = y[i] - meanY[a];
    sxx[a] += dx * dx;
    sxy[a] += dx * dy;
    syy[a] += dy * dy;
  }
  const slope = [sxy[0] / sxx[0], sxy[1] / sxx[1]];
  const rss = syy[0] - slope[0] * sxy[0] + (syy[1] - slope[1] * sxy[1]);
  const sigma2 = rss / (n - 4);
  return {
    interaction: slope[1] - slope[0],
    se: Math.sqrt(sigma2 * (1 / sxx[0] + 1 / sxx[1])),
    effectAtZero: meanY[1] - slope[1] * meanX[1] - (meanY[0] - slope[0] * meanX[0]),
  };
}

interface BaselineAnswer {
  fits: Map<string, BaselineFit & { ciLower: number; ciUpper: number }>;
  pooled: ReturnType<typeof poolEffects>;
}

/** Per-trial fits with their t intervals (as the app reports them), then REML pooling of the interactions. */
function fitAndPool(trials: Iterable<[string, TrialArrays, number]>): BaselineAnswer {
  const fits: BaselineAnswer["fits"] = new Map();
  for (const [datasetId, { arm, x, y }, n] of trials) {
    const fit = plainFit(arm, x, y, n);
    const crit = studentTQuantile(0.975, n - 4);
    fits.set(datasetId, { ...fit, ciLower: fit.interaction - crit * fit.se, ciUpper: fit.interaction + crit * fit.se });
  }
  const pooled = poolEffects(
    [...fits].map(([label, f]) => ({ label, yi: f.interaction, vi: f.se * f.se })),
    { method: "REML" },
  );
  return { fits, pooled };
}

/** The arrays are in memory already: only the fits and the pooling. */
function baselineInMemory(inMemory: Map<string, TrialArrays>) {
  return () => fitAndPool([...inMemory].map(([id, arrays]) => [id, arrays, arrays.arm.length] as [string, TrialArrays, number]));
}

/**
 * The rows read straight from the SQLite file, one query per dataset (the
 * same table and JSON the app reads), with the layout known: values 2–4 are
 * hs-CRP (already in mg/L: the import converted it), HAM-D at baseline and
 * at week 8; "placebo" is the comparator, every other arm the drug.
 */
function baselineReadRows(workspaceId: string) {
  const sqlite = new Database(databasePath(), { readonly: true });
  const latest = sqlite.prepare(
    `SELECT d.id FROM datasets d
     WHERE d.workspace_id = ? AND d.status = 'ready'
       AND d.version = (SELECT max(d2.version) FROM datasets d2 WHERE d2.study_id = d.study_id AND d2.name = d.name AND d2.status = 'ready')`,
  );
  const rows = sqlite.prepare('SELECT arm, "values" FROM dataset_rows WHERE dataset_id = ?').raw();
  return (): BaselineAnswer =>
    fitAndPool(
      (function* () {
        for (const { id } of latest.all(workspaceId) as { id: string }[]) {
          const capacity = ROWS_PER_STUDY;
          const arrays: TrialArrays = { arm: new Uint8Array(capacity), x: new Float64Array(capacity), y: new Float64Array(capacity) };
          let n = 0;
          for (const [arm, json] of rows.iterate(id) as Iterable<[string, string]>) {
            const values = JSON.parse(json) as (number | null)[];
            const [crp, before, after] = [values[2], values[3], values[4]];
            if (crp === null || !(crp > 0) || before === null || after === null) continue;
            arrays.arm[n] = arm === "placebo" ? 0 : 1;
            arrays.x[n] = Math.log2(crp);
            arrays.y[n] = before - after;
            n++;
          }
          yield [id, arrays, n] as [string, TrialArrays, number];
        }
      })(),
    );
}

type View = Awaited<ReturnType<typeof getEffectModificationView>>;

/**
 * A baseline must answer what the app answers: the same trials (every one of
 * them fitted, so the columns and units were recognised), each interaction,
 * SE, CI and effect at x = 0, and the pooled estimate, SE and τ², equal to a
 * relative 1e-9. Throws on the first difference; answers how many numbers
 * were compared.
 */
function checkBaselineAgrees(name: string, view: View, baseline: BaselineAnswer): number {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1e-12, Math.abs(b));
  const differ = (what: string, app: number, mine: number) => {
    if (!close(mine, app)) throw new Error(`${name}: ${what}: app ${app}, baseline ${mine}`);
  };
  if (view.trials.length !== baseline.fits.size)
    throw new Error(`${name}: the app has ${view.trials.length} trials, the baseline ${baseline.fits.size}`);
  let compared = 0;
  for (const trial of view.trials) {
    if (trial.fit === null) throw new Error(`${name}: the app did not fit ${trial.studyTitle}: ${trial.note}`);
    const mine = baseline.fits.get(trial.datasetId);
    if (!mine) throw new Error(`${name}: no baseline fit for ${trial.studyTitle} (dataset ${trial.datasetId})`);
    if (trial.n !== ROWS_PER_STUDY || trial.rowsLeftOut !== 0)
      throw new Error(`${name}: ${trial.studyTitle} has n = ${trial.n}, ${trial.rowsLeftOut} rows left out`);
    for (const field of ["interaction", "se", "ciLower", "ciUpper", "effectAtZero"] as const) {
      differ(`${trial.studyTitle} ${field}`, trial.fit[field], mine[field]);
      compared++;
    }
  }
  if (!view.pooled) throw new Error(`${name}: the app pooled nothing`);
  for (const field of ["estimate", "se", "tau2"] as const) {
    differ(`pooled ${field}`, view.pooled[field], baseline.pooled[field]);
    compared++;
  }
  return compared;
}

function time<T>(work: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = work();
  return { ms: performance.now() - started, value };
}

/** The service is async: the time runs until the answer is there, not until the promise exists. */
async function timeAsync<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

const p = (samples: number[], rank: number) =>
  percentile(
    [...samples].sort((a, b) => a - b),
    rank,
  );

/** A row of the table: p50, p95, and the p50 over each baseline's p50 (`self`: which baseline the row is). */
function line(label: string, samples: number[], baselines: number[], self?: number) {
  const p50 = p(samples, 50);
  const ratios = baselines.map((base, i) => (i === self ? "baseline" : `${(p50 / base).toFixed(2)}×`));
  return `| ${label.padEnd(46)} | ${String(samples.length).padStart(4)} | ${p50.toFixed(1).padStart(8)} | ${p(samples, 95).toFixed(1).padStart(8)} | ${ratios[0].padStart(12)} | ${ratios[1].padStart(13)} |`;
}

/** The 1, 5 and 15 minute load averages: on a shared machine they say how far to trust a run. */
const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ");

async function main() {
  const loadAtStart = loadAverage();
  const started = performance.now();
  console.log(
    `effect-modification bench: ${STUDIES} trials × ${ROWS_PER_STUDY} participants, ${STUDIES * ROWS_PER_STUDY} rows; setting up…`,
  );
  const { lead, workspaceId, inMemory } = await setUp();
  console.log(`set-up took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const inMemoryBaseline = baselineInMemory(inMemory);
  const readRowsBaseline = baselineReadRows(workspaceId);

  // One of each first, so that code paths are compiled before timing, and the baselines checked against the app.
  clearEffectModificationCache();
  const first = await getEffectModificationView(lead, workspaceId, QUERY);
  const compared = checkBaselineAgrees("plain loop over arrays", first, inMemoryBaseline());
  checkBaselineAgrees("read rows + plain loop", first, readRowsBaseline());
  const converted = first.trials.filter((t) => t.conversion !== null).length;
  console.log(
    `baselines agree with the app: ${compared} numbers each (per-trial interaction, SE, CI, effect at 0; pooled estimate, SE, τ²)`,
  );

  const memory: number[] = [];
  const readRows: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    memory.push(time(inMemoryBaseline).ms);
    readRows.push(time(readRowsBaseline).ms);
    clearEffectModificationCache();
    cold.push((await timeAsync(() => getEffectModificationView(lead, workspaceId, QUERY))).ms);
  }
  // The in-memory baseline is a few ms: more runs of it, so its p50 is not one noisy sample.
  for (let i = COLD_RUNS; i < WARM_RUNS; i++) memory.push(time(inMemoryBaseline).ms);

  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) warm.push((await timeAsync(() => getEffectModificationView(lead, workspaceId, QUERY))).ms);

  const bases = [p(memory, 50), p(readRows, 50)];
  const table = [
    `| ${"server time of the view (ms)".padEnd(46)} | runs |      p50 |      p95 | vs in-memory | vs read rows |`,
    `| ${"-".repeat(46)} | ---: | -------: | -------: | -----------: | ------------: |`,
    line("baseline: plain loop over arrays in memory", memory, bases, 0),
    line("baseline: read rows (SQL) + plain loop", readRows, bases, 1),
    line("cold: every trial read and fitted", cold, bases),
    line("warm: every fit from the cache", warm, bases),
  ].join("\n");
  const pooled = first.pooled!;
  const summary = [
    `- ${STUDIES} trials (${DRUGS.length} anti-inflammatory drugs, each against placebo) × ${ROWS_PER_STUDY} participants = ${STUDIES * ROWS_PER_STUDY} rows; half the files give hs-CRP in mg/dL, converted to mg/L on import (so ${converted} of the view's trials convert it again). Query: intervention class:anti-inflammatory, hs-CRP per doubling (log2), HAM-D change, REML: ${first.trials.length} trials fitted, pooled interaction ${pooled.estimate.toFixed(3)} (95% CI ${pooled.ciLower.toFixed(3)} to ${pooled.ciUpper.toFixed(3)}), τ² ${pooled.tau2.toFixed(4)}.`,
    `- Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}; SQLite WAL, synchronous NORMAL; load average ${loadAtStart} at the start, ${loadAverage()} at the end (1 / 5 / 15 min; other work on the machine moves every figure); in one process, after one untimed warm-up; cold runs interleaved with the baselines' runs.`,
    `- Both baselines do the same least-squares fits (one line per arm) and pool with poolEffects (REML); their ${compared} numbers equal the app's to a relative 1e-9. The view also loads the workspace's studies and panel, plans the trials (outcome, column, unit), keeps each trial's covariate range, overall effect and a 60-point rug, and adds the pooled line and the across-trial meta-regression.`,
  ].join("\n");
  console.log(`\n${table}\n\n${summary}\n`);

  const markdown = process.argv.indexOf("--markdown");
  if (markdown !== -1 && process.argv[markdown + 1]) {
    fs.writeFileSync(
      process.argv[markdown + 1],
      `# Effect-modification benchmark (latest run)\n\nGenerated by \`node --import tsx tests/bench/effect-modification.ts --markdown docs/bench/effect-modification.md\`; do not edit by hand.\n\n- Date: ${new Date().toISOString()}\n${summary}\n\n${table}\n`,
    );
  }
}

// The scratch database goes also when a baseline disagrees and the run stops.
try {
  await main();
} finally {
  await closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
}
