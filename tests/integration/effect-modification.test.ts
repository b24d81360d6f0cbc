/**
 * POST /api/v1/effect-modification as a researcher's script uses it: the
 * per-trial interactions and their pooled estimate agree with R run live on
 * the same participants (lm, glm with family = binomial, metafor's rma), a
 * trial the model cannot take is refused naming it, a trial with separation is
 * left out of the pooling with the reason, and only signed-in callers may use
 * it. Every answer is also checked against the OpenAPI document by the client
 * (tests/support/contract.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateTrials, type TrialDesign } from "#tests/fixtures/effect-modification/trials.ts";
import { ApiClient, registerUser, type TestUser } from "#tests/support/api.ts";
import { expectClose, P_VALUE_FLOOR } from "#tests/support/metafor-reference.ts";
import { itWithR, runR } from "#tests/support/rscript.ts";
import { useServer } from "#tests/support/server.ts";

const server = useServer();
let researcher: TestUser;

beforeAll(async () => {
  researcher = await registerUser(server.url, "Effect Modifier");
});

const ENDPOINT = "/api/v1/effect-modification";

type Arm = "intervention" | "comparator";
interface Row {
  arm: Arm;
  x: number;
  y: number;
}
interface Trial {
  label: string;
  rows: Row[];
}

/** Generated participants with x = ln(hs-CRP), as the app sends a biomarker on the log scale. */
function trialsFor(design: TrialDesign): Trial[] {
  return generateTrials(design).map((trial) => ({
    label: trial.label,
    rows: trial.rows.map((row) => ({ arm: row.arm, x: Math.log(row.value), y: row.y })),
  }));
}

const DESIGNS: Record<"continuous" | "binary", TrialDesign> = {
  continuous: { outcome: "continuous", seed: 48_611, trials: 6, minRows: 100, maxRows: 240 },
  binary: { outcome: "binary", seed: 90_277, trials: 6, minRows: 200, maxRows: 400 },
};

const MODELS = [
  { name: "FE", method: "FE", knha: false },
  { name: "DL", method: "DL", knha: false },
  { name: "REML", method: "REML", knha: false },
  { name: "REML knha", method: "REML", knha: true },
] as const;

/**
 * The same analysis in R: per trial y ~ arm + x + arm:x (glm restarted at its
 * own estimate, so vcov() is taken at the maximum and not one IRLS step
 * before it), the arm:x coefficients pooled by rma() to convergence, with
 * predict() for the prediction interval. Prints one JSON object.
 */
const R_SCRIPT = `
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
outcome <- args[2]
d <- read.csv(args[1], stringsAsFactors = FALSE)
d$treat <- as.integer(d$arm == "intervention")
glm_control <- glm.control(epsilon = 1e-14, maxit = 100)
per_trial <- lapply(unique(d$trial), function(label) {
  s <- d[d$trial == label, ]
  if (outcome == "continuous") {
    m <- lm(y ~ treat + x + treat:x, data = s)
    ci <- confint(m)["treat:x", ]
  } else {
    first <- glm(y ~ treat + x + treat:x, family = binomial, data = s, control = glm_control)
    m <- glm(y ~ treat + x + treat:x, family = binomial, data = s, start = coef(first), control = glm_control)
    if (!m$converged) stop("glm did not converge for ", label)
    ci <- confint.default(m)["treat:x", ]
  }
  list(label = label, n = nrow(s), interaction = unname(coef(m)["treat:x"]), se = sqrt(vcov(m)["treat:x", "treat:x"]),
       ciLower = unname(ci[1]), ciUpper = unname(ci[2]), effectAtZero = unname(coef(m)["treat"]))
})
yi <- sapply(per_trial, function(t) t$interaction)
sei <- sapply(per_trial, function(t) t$se)
pool <- function(method, knha) {
  res <- rma(yi = yi, sei = sei, method = method, test = if (knha) "knha" else "z",
             control = if (method == "REML") list(threshold = 1e-10) else list())
  pred <- predict(res)
  if (is.null(pred$pi.lb)) { pred$pi.lb <- pred$ci.lb; pred$pi.ub <- pred$ci.ub }
  list(k = res$k, estimate = c(coef(res)), se = res$se, ciLower = res$ci.lb, ciUpper = res$ci.ub, tau2 = res$tau2,
       i2 = res$I2, q = res$QE, qP = res$QEp, piLower = c(pred$pi.lb), piUpper = c(pred$pi.ub), pval = res$pval)
}
pooled <- list(FE = pool("FE", FALSE), DL = pool("DL", FALSE), REML = pool("REML", FALSE), "REML knha" = pool("REML", TRUE))
cat(toJSON(list(perTrial = per_trial, pooled = pooled), auto_unbox = TRUE, digits = I(17)))
`;

interface RAnswer {
  perTrial: Record<"label" | "n" | "interaction" | "se" | "ciLower" | "ciUpper" | "effectAtZero", number | string>[];
  pooled: Record<(typeof MODELS)[number]["name"], Record<string, number>>;
}

/** Writes the trials as CSV (numbers as JavaScript prints them, which round-trip) and runs R_SCRIPT on them. */
async function analyseInR(outcome: string, trials: Trial[]): Promise<RAnswer> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "effect-modification-"));
  try {
    const lines = ["trial,arm,x,y", ...trials.flatMap((t) => t.rows.map((r) => `${t.label},${r.arm},${r.x},${r.y}`))];
    fs.writeFileSync(path.join(directory, "participants.csv"), `${lines.join("\n")}\n`);
    fs.writeFileSync(path.join(directory, "analyse.R"), R_SCRIPT);
    const output = await runR([path.join(directory, "analyse.R"), path.join(directory, "participants.csv"), outcome]);
    return JSON.parse(output);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

const PER_TRIAL_NUMBERS = ["interaction", "se", "ciLower", "ciUpper", "effectAtZero"] as const;
const POOLED_NUMBERS = ["estimate", "se", "ciLower", "ciUpper", "tau2", "i2", "q", "piLower", "piUpper"] as const;
const POOLED_P_VALUES = ["qP", "pval"] as const;
/** What the API promises (docs/api.md, the OpenAPI description): agreement with R to 1e-6. */
const RELATIVE = 1e-6;

/** The largest relative difference seen, reported beside the tolerance. */
const worst = { relative: 0, what: "" };
function compare(actual: number, expected: number, label: string, floor?: number) {
  expectClose(actual, expected, label, { relative: RELATIVE, ...(floor === undefined ? {} : { floor }) });
  const relative = Math.abs(actual - expected) / Math.abs(expected);
  if (expected !== 0 && relative > worst.relative) Object.assign(worst, { relative, what: label });
}

describe("POST /api/v1/effect-modification agrees with R run on the same participants", () => {
  for (const [outcome, design] of Object.entries(DESIGNS)) {
    itWithR(`${outcome}: every per-trial and pooled number (FE, DL, REML, REML with Knapp–Hartung) to 1e-6`, async () => {
      const trials = trialsFor(design);
      expect(trials.every((t) => t.rows.length >= 100)).toBe(true);
      const fromR = await analyseInR(outcome, trials);
      for (const model of MODELS) {
        const response = await researcher.api.post(ENDPOINT, { outcome, method: model.method, knha: model.knha, trials });
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        const { perTrial, pooled, notPooled } = response.body;
        expect(response.body).toMatchObject({ outcome, method: model.method, knha: model.knha });
        expect(notPooled).toEqual([]);
        expect(perTrial.map((t: { label: string }) => t.label)).toEqual(fromR.perTrial.map((t) => t.label));
        perTrial.forEach((trial: Record<string, number>, i: number) => {
          expect(trial.n).toBe(fromR.perTrial[i].n);
          for (const field of PER_TRIAL_NUMBERS) compare(trial[field], fromR.perTrial[i][field] as number, `${trial.label} ${field}`);
        });
        const expected = fromR.pooled[model.name];
        expect(pooled.k).toBe(expected.k);
        if (model.method !== "FE") expect(expected.tau2, "heterogeneous enough for τ² > 0").toBeGreaterThan(0);
        for (const field of POOLED_NUMBERS) compare(pooled[field], expected[field], `${model.name} ${field}`);
        for (const field of POOLED_P_VALUES) compare(pooled[field], expected[field], `${model.name} ${field}`, P_VALUE_FLOOR);
      }
      console.log(
        `${outcome}: worst relative difference from R so far ${worst.relative.toExponential(2)} (${worst.what}; allowed ${RELATIVE})`,
      );
    });
  }
});

/** A small trial that fits: both arms, x varying, enough rows for a continuous outcome. */
function smallTrial(label: string): Trial {
  return {
    label,
    rows: [
      { arm: "intervention", x: 0.1, y: 1.2 },
      { arm: "intervention", x: 0.9, y: 2.9 },
      { arm: "intervention", x: 1.7, y: 3.1 },
      { arm: "comparator", x: 0.3, y: 1.0 },
      { arm: "comparator", x: 1.1, y: 0.7 },
      { arm: "comparator", x: 2.0, y: 1.9 },
    ],
  };
}

describe("a trial the model cannot be fitted to is refused, naming it", () => {
  const broken: Record<string, { trial: Trial; reason: RegExp }> = {
    "has one arm": {
      trial: { label: "Only treated", rows: smallTrial("").rows.map((r) => ({ ...r, arm: "intervention" as Arm })) },
      reason: /no participants in the comparator arm/,
    },
    "has x constant within an arm": {
      trial: { label: "Flat comparator", rows: smallTrial("").rows.map((r) => (r.arm === "comparator" ? { ...r, x: 1.5 } : r)) },
      reason: /no variation in x within the comparator arm/,
    },
    "has fewer than 4 rows": {
      trial: { label: "Tiny", rows: smallTrial("").rows.slice(2, 5) },
      reason: /has 3 participant\(s\).*at least 4/,
    },
  };

  for (const [what, { trial, reason }] of Object.entries(broken)) {
    it(`400 for a trial that ${what}: field trials.1, the message names “${trial.label}”`, async () => {
      const response = await researcher.api.post(ENDPOINT, {
        outcome: "continuous",
        trials: [smallTrial("Fine A"), trial, smallTrial("Fine B")],
      });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("validation_failed");
      const [detail] = response.body.error.details;
      expect(detail.field).toBe("trials.1");
      expect(detail.message).toContain(`“${trial.label}”`);
      expect(detail.message).toMatch(reason);
      expect(response.body.error.message).toContain(trial.label);
    });
  }

  it("names every broken trial, not only the first", async () => {
    const response = await researcher.api.post(ENDPOINT, {
      outcome: "continuous",
      trials: [broken["has one arm"].trial, smallTrial("Fine"), broken["has fewer than 4 rows"].trial],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d: { field: string }) => d.field)).toEqual(["trials.0", "trials.2"]);
  });
});

describe("input that is not participant data is refused naming the field", () => {
  const trials = () => [smallTrial("A"), smallTrial("B")];

  it("400 without an outcome, or with an outcome of neither kind", async () => {
    const missing = await researcher.api.post(ENDPOINT, { method: "REML", trials: trials() });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].field).toBe("outcome");
    const wrong = await researcher.api.post(ENDPOINT, { outcome: "survival", trials: trials() });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0].field).toBe("outcome");
  });

  it("400 for a participant without an outcome value", async () => {
    const body = { outcome: "continuous", trials: trials() };
    delete (body.trials[1].rows[2] as Partial<Row>).y;
    const response = await researcher.api.post(ENDPOINT, body);
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].field).toBe("trials.1.rows.2.y");
  });

  it("400 for an arm that is neither intervention nor comparator", async () => {
    const body = { outcome: "continuous", trials: trials() };
    (body.trials[0].rows[4] as { arm: string }).arm = "placebo";
    const response = await researcher.api.post(ENDPOINT, body);
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].field).toBe("trials.0.rows.4.arm");
    expect(response.body.error.details[0].message).toMatch(/intervention.*comparator/);
  });

  it("400 for an x that is not a finite number (1e999 in the JSON, null for NaN, a string)", async () => {
    const base = JSON.stringify({ outcome: "continuous", trials: trials() });
    const infinite = await researcher.api.post(ENDPOINT, base.replace('"x":0.9', '"x":1e999'));
    expect(infinite.status).toBe(400);
    expect(infinite.body.error.details[0].field).toBe("trials.0.rows.1.x");
    expect(infinite.body.error.details[0].message).toMatch(/finite number/);
    for (const x of [null, "3.2"]) {
      const body = { outcome: "continuous", trials: trials() };
      (body.trials[1].rows[0] as { x: unknown }).x = x;
      const response = await researcher.api.post(ENDPOINT, body);
      expect(response.status, `x = ${JSON.stringify(x)}`).toBe(400);
      expect(response.body.error.details[0].field).toBe("trials.1.rows.0.x");
    }
  });
});

describe("separation in a logistic fit", () => {
  const binary = trialsFor({ outcome: "binary", seed: 515, trials: 4, minRows: 60, maxRows: 80 });
  /** Every event at a higher x than every non-event, in the intervention arm. */
  const separated = (label: string): Trial => ({
    label,
    rows: [
      ...[0.2, 0.4, 0.6, 0.8].map((x) => ({ arm: "intervention" as Arm, x, y: 0 })),
      ...[1.2, 1.4, 1.6].map((x) => ({ arm: "intervention" as Arm, x, y: 1 })),
      ...[0.2, 0.5, 0.9, 1.3, 1.6].map((x, i) => ({ arm: "comparator" as Arm, x, y: i % 2 })),
    ],
  });

  it("leaves the trial out of the pooling with the reason (200), pooling the other trials: k = trials − 1", async () => {
    const trials = [...binary.slice(0, 2), separated("Separated"), ...binary.slice(2)];
    const response = await researcher.api.post(ENDPOINT, { outcome: "binary", method: "DL", trials });
    expect(response.status).toBe(200);
    expect(response.body.notPooled).toEqual([
      { label: "Separated", n: 12, reason: expect.stringMatching(/separates the events.*separation/) },
    ]);
    expect(response.body.perTrial.map((t: { label: string }) => t.label)).toEqual(binary.map((t) => t.label));
    expect(response.body.pooled.k).toBe(trials.length - 1);

    const without = await researcher.api.post(ENDPOINT, { outcome: "binary", method: "DL", trials: binary });
    expect(response.body.pooled).toEqual(without.body.pooled);
  });

  it("422 when no trial could be fitted, listing each trial's reason", async () => {
    const response = await researcher.api.post(ENDPOINT, {
      outcome: "binary",
      trials: [separated("First"), separated("Second")],
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe("unprocessable");
    expect(response.body.error.details.map((d: { field: string }) => d.field)).toEqual(["trials.0", "trials.1"]);
    expect(response.body.error.details[0].message).toMatch(/separation/);
  });
});

describe("who may use it", () => {
  it("is only for signed-in callers (401 without a token)", async () => {
    const response = await new ApiClient(server.url).post(ENDPOINT, { outcome: "continuous", trials: [smallTrial("A")] });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
  });
});
