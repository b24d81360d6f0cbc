/**
 * Input rules and answer shape of POST /api/v1/effect-modification: the
 * within-trial treatment × covariate interaction, per trial and pooled.
 * Whether a trial can be fitted (two arms, x varying in each, enough rows)
 * is decided by app/domain/interaction-fits.ts, which names the trial.
 */
import { z } from "zod";
import { TRIAL_ARMS } from "#app/domain/interaction-fits.ts";
import { POOLING_METHODS } from "#app/domain/meta-analysis.ts";
import { requestShape, responseShape } from "./components.ts";
import { Count } from "./json.ts";

/** The most trials, and participants in all, one request may analyse. */
export const MAX_TRIALS = 1_000;
export const MAX_PARTICIPANTS = 250_000;

const finite = (name: string) => z.number({ error: `${name} must be a finite number.` });

export const ParticipantRowInput = z.object({
  arm: z.enum(TRIAL_ARMS, { error: `arm is "intervention" or "comparator".` }),
  x: finite("x").describe("The covariate on the scale it should enter the model (transform it first: log, per doubling, per 5 units)."),
  y: finite("y").describe("The outcome: a number, or 0/1 for a binary outcome."),
});

export const TrialRowsInput = z.object({
  label: z
    .string({ error: "Each trial needs a label." })
    .trim()
    .min(1, "Each trial needs a label.")
    .max(200, "A label has at most 200 characters."),
  rows: z.array(ParticipantRowInput, { error: "rows is a list of {arm, x, y}." }).min(1, "Send the trial's participants as rows."),
});

export const EffectModificationInput = requestShape(
  "EffectModificationInput",
  z
    .object({
      outcome: z
        .enum(["continuous", "binary"], { error: `outcome is "continuous" or "binary".` })
        .describe("continuous: y ~ arm + x + arm:x by least squares (R's lm); binary: the same logistic model (glm, binomial)."),
      method: z
        .enum(POOLING_METHODS, { error: `The method is one of: ${POOLING_METHODS.join(", ")}.` })
        .default("REML")
        .describe("How the within-trial interactions are pooled: FE, DL or REML."),
      knha: z.boolean({ error: "knha is true or false." }).default(false).describe("Knapp–Hartung adjustment of the pooled interaction."),
      trials: z
        .array(TrialRowsInput, { error: "Send the trials as a list of {label, rows}." })
        .min(1, "Send at least one trial.")
        .max(MAX_TRIALS, `At most ${MAX_TRIALS} trials at once.`),
    })
    .superRefine((input, ctx) => {
      const total = input.trials.reduce((t, trial) => t + trial.rows.length, 0);
      if (total > MAX_PARTICIPANTS) {
        ctx.addIssue({
          code: "custom",
          path: ["trials"],
          message: `At most ${MAX_PARTICIPANTS.toLocaleString("en")} participants in all; this request has ${total.toLocaleString("en")}.`,
        });
      }
    }),
);
export type EffectModificationInput = z.output<typeof EffectModificationInput>;

const statistic = (description: string) => z.number().describe(description);

export const EffectModificationJson = responseShape(
  "EffectModification",
  z.object({
    outcome: z.enum(["continuous", "binary"]),
    method: z.enum(POOLING_METHODS),
    knha: z.boolean(),
    perTrial: z
      .array(
        z.object({
          label: z.string(),
          n: Count.describe("Participants in the fit."),
          interaction: statistic("The arm:x coefficient (intervention coded 1): the change in the treatment effect per unit of x."),
          se: statistic("Its standard error."),
          ciLower: statistic("95% CI, lower limit (t with n − 4 df for lm, as confint(); Wald z for glm, as confint.default())."),
          ciUpper: statistic("95% CI, upper limit."),
          effectAtZero: statistic("The arm coefficient: the treatment effect at x = 0."),
        }),
      )
      .describe("Every trial that could be fitted, in input order."),
    notPooled: z
      .array(z.object({ label: z.string(), n: Count, reason: z.string() }))
      .describe("Trials left out of the pooling with the reason (separation in a logistic fit); empty for continuous outcomes."),
    pooled: z
      .object({
        k: Count,
        estimate: statistic("The pooled within-trial interaction."),
        se: statistic("Its standard error."),
        ciLower: statistic("95% CI, lower limit."),
        ciUpper: statistic("95% CI, upper limit."),
        tau2: statistic("Between-trial variance of the interaction."),
        i2: statistic("I² in percent."),
        q: statistic("Cochran's Q."),
        qP: statistic("p-value of Q."),
        piLower: statistic("95% prediction interval, lower limit."),
        piUpper: statistic("95% prediction interval, upper limit."),
        pval: statistic("Two-sided p-value of the pooled interaction."),
      })
      .describe("The within-trial interactions pooled as metafor's rma(yi = interaction, sei = se, method) would."),
  }),
);
