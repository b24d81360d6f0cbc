/**
 * Input rules and answer shape of POST /api/v1/effect-modification: the
 * within-trial treatment × covariate interaction, per trial and pooled.
 * Whether a trial can be fitted (two arms, x varying in each, enough rows)
 * is decided by app/domain/interaction-fits.ts, which names the trial.
 */
import { z } from "zod";
import { COVARIATE_SCALES } from "#app/domain/effect-modification.ts";
import { TRIAL_ARMS } from "#app/domain/interaction-fits.ts";
import { POOLING_METHODS } from "#app/domain/meta-analysis.ts";
import { requestShape, responseShape } from "./components.ts";
import { Count, idList } from "./json.ts";
import { EffectModifierRegistrationJson } from "./registrations.ts";

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

// The workspace's analysis (GET /api/v1/workspaces/:ws/effect-modification)

export const EffectModificationQuery = z.object({
  outcome: z.string().trim().max(200).optional(),
  intervention: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe("An intervention by name, whatever the case, or class:<class> for every arm of a class."),
  biomarker: z.string().trim().max(100).optional().describe("A panel biomarker's code (hs_crp, bmi, …)."),
  scale: z.enum(COVARIATE_SCALES, { error: `scale is one of ${COVARIATE_SCALES.join(", ")}.` }).optional(),
  per: z.coerce
    .number({ error: "per is a number above 0." })
    .gt(0, "per is a number above 0.")
    .max(1e9, "per is at most 1e9.")
    .optional()
    .describe("On the linear scale: the step the interaction is reported per (5 for BMI per 5 kg/m2)."),
  method: z.enum(POOLING_METHODS, { error: `method is one of ${POOLING_METHODS.join(", ")}.` }).default("REML"),
  knha: z
    .union([z.boolean(), z.enum(["true", "false", "1", "0"])])
    .transform((v) => v === true || v === "true" || v === "1")
    .default(false),
  /** Trial keys left out of the pooling (sensitivity analysis). */
  exclude: idList,
});

const number = z.number();
const nullableNumber = z.number().nullable();

export const EffectModificationViewJson = responseShape(
  "EffectModificationView",
  z.object({
    outcomes: z.array(z.object({ key: z.string(), name: z.string(), kind: z.enum(["continuous", "binary"]), studies: Count })),
    outcome: z.object({ key: z.string(), name: z.string(), kind: z.enum(["continuous", "binary"]) }).nullable(),
    interventions: z.array(
      z.object({ key: z.string(), name: z.string(), class: z.string(), kind: z.enum(["intervention", "class"]), trials: Count }),
    ),
    intervention: z.string().nullable(),
    biomarkers: z.array(z.object({ code: z.string(), label: z.string(), unit: z.string() })),
    biomarker: z.object({ code: z.string(), label: z.string(), unit: z.string() }).nullable(),
    transform: z.object({ scale: z.enum(COVARIATE_SCALES), per: number }),
    transformText: z.string().describe("What one step of the interaction means: “per doubling of hs-CRP”."),
    effectScale: z.string().describe("The scale of the treatment effect: a mean difference in the outcome, or a log odds ratio."),
    method: z.enum(POOLING_METHODS),
    knha: z.boolean(),
    exclude: z.array(z.string()),
    trials: z.array(
      z.object({
        key: z.string().describe("Dataset version and intervention arm; pass it in exclude to leave the trial out."),
        studyId: z.string(),
        studyTitle: z.string(),
        datasetId: z.string(),
        datasetName: z.string(),
        datasetVersion: Count,
        interventionName: z.string(),
        comparatorName: z.string(),
        outcomeDefinition: z.string(),
        columnName: z.string(),
        conversion: z.string().nullable().describe("How the biomarker was converted into the panel's unit, when it was."),
        source: z
          .enum(["dataset", "site"])
          .describe(
            "dataset: fitted here from a participant-level dataset; site: fitted at a site whose data cannot leave it (its site summary).",
          ),
        n: Count.describe("Participants with the biomarker and the outcome in the two arms."),
        rowsLeftOut: Count.describe("Rows of the two arms without a usable biomarker or outcome value."),
        fit: z
          .object({
            interaction: number,
            se: number,
            ciLower: number,
            ciUpper: number,
            effectAtZero: number,
            varEffectAtZero: number,
            covEffectInteraction: number,
            df: Count.nullable(),
            xMin: number,
            xMax: number,
            xMean: number,
            overall: z.object({ yi: number, vi: number }).nullable(),
          })
          .nullable(),
        note: z.string().nullable().describe("Why the trial could not be fitted, when it could not."),
        rug: z.array(number).describe("Up to 60 of the trial's covariate values (evenly spaced order statistics), on the analysis scale."),
      }),
    ),
    skipped: z.array(z.object({ studyTitle: z.string(), datasetName: z.string(), reason: z.string() })),
    cutoffs: z
      .array(z.object({ profile: z.string(), value: number, operator: z.string() }))
      .describe("Profile thresholds on the biomarker, in its unit."),
    pooled: z
      .object({
        k: Count,
        estimate: number,
        se: number,
        ciLower: number,
        ciUpper: number,
        tau2: number,
        i2: number,
        q: number,
        qP: number,
        piLower: number,
        piUpper: number,
        pval: number,
        weights: z.record(z.string(), number).describe("Each pooled trial's share of the weight in percent, by trial key."),
      })
      .nullable(),
    line: z
      .object({ centre: number, effectAtCentre: number, seAtCentre: number, slope: number, seSlope: number, crit: number })
      .nullable()
      .describe("The pooled treatment effect as a line in x (analysis scale)."),
    across: z
      .object({
        ok: z.boolean(),
        reason: z.string().optional(),
        slope: nullableNumber.optional(),
        seSlope: nullableNumber.optional(),
        ciLower: nullableNumber.optional(),
        ciUpper: nullableNumber.optional(),
        k: Count.optional(),
        differenceP: nullableNumber.optional(),
        disagree: z.boolean().optional(),
      })
      .nullable()
      .describe("The across-trial slope (meta-regression of each trial's overall effect on its mean x): a check for ecological bias only."),
    registration: EffectModifierRegistrationJson.describe(
      "Whether the biomarker was pre-specified as an effect modifier for this outcome before any of these trials' data arrived, or is exploratory; null when the workspace has no registration or nothing is analysed.",
    ),
  }),
);

export const EffectModificationMatrixJson = responseShape(
  "EffectModificationMatrix",
  z.object({
    outcomes: z.array(z.object({ key: z.string(), name: z.string(), kind: z.enum(["continuous", "binary"]), studies: Count })),
    outcome: z.object({ key: z.string(), name: z.string(), kind: z.enum(["continuous", "binary"]) }).nullable(),
    higherIsBetter: z
      .boolean()
      .describe("Whether a higher outcome is better, so a positive interaction means more benefit at higher values."),
    effectScale: z.string(),
    method: z.enum(POOLING_METHODS),
    knha: z.boolean(),
    biomarkers: z.array(
      z.object({
        code: z.string(),
        label: z.string(),
        unit: z.string(),
        registration: EffectModifierRegistrationJson.describe(
          "Whether the column's biomarker was pre-specified for this outcome before the first data of any trial in the column, or is exploratory.",
        ),
      }),
    ),
    rows: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        kind: z.enum(["intervention", "class"]),
        class: z.string(),
        cells: z.array(
          z.object({
            biomarker: z.string(),
            transformText: z.string().describe("The biomarker's usual scale: “per doubling of hs-CRP”."),
            trials: Count.describe("Trials with the intervention, the outcome and the biomarker."),
            n: Count.describe("Participants in the fitted trials."),
            pooled: z.object({ k: Count, estimate: number, ciLower: number, ciUpper: number, pval: number }).nullable(),
          }),
        ),
      }),
    ),
  }),
);
