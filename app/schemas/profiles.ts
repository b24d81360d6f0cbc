/** Patient profiles and the mapping of results to them: input rules and the API's answers. */
import { z } from "zod";
import { CRITERION_OPERATORS, type CriteriaGroup, isGroup } from "#app/domain/profiles.ts";
import { requestShape, responseShape } from "./components.ts";
import { StaleVersionBody } from "./errors.ts";
import { Count, Id, IsoTime } from "./json.ts";
import { Paged } from "./paging.ts";

const operator = z.enum(CRITERION_OPERATORS, { error: `The operator is one of ${CRITERION_OPERATORS.join(" ")}.` });
const finite = z.number({ error: "The value must be a number." }).refine(Number.isFinite, "The value must be a finite number.");

export const BiomarkerCriterionInput = z.object({
  kind: z.literal("biomarker"),
  code: z.string({ error: "Choose a biomarker." }).trim().min(1, "Choose a biomarker.").max(60),
  operator,
  value: finite,
  unit: z.string().trim().max(40).default(""),
});

export const AttributeCriterionInput = z
  .object({
    kind: z.literal("attribute"),
    name: z.string({ error: "Name the attribute." }).trim().min(1, "Name the attribute.").max(80),
    operator,
    value: z.union([finite, z.string().trim().min(1, "Give a value.").max(80)]),
    unit: z.string().trim().max(40).optional(),
  })
  .refine((c) => typeof c.value === "number" || c.operator === "=", {
    message: "Text values can only be compared with =.",
    path: ["operator"],
  });

export const CriterionInput = requestShape(
  "Criterion",
  z
    .discriminatedUnion("kind", [BiomarkerCriterionInput, AttributeCriterionInput], {
      error: "Each criterion has kind biomarker or attribute.",
    })
    .describe(
      "A panel biomarker {kind: biomarker, code, operator, value, unit} (unit defaults to the panel's), or a dataset column {kind: attribute, name, operator, value, unit?} (text values only with =).",
    ),
);

export const MAX_CRITERIA = 20;
export const MAX_DEPTH = 3;

export const CriteriaGroupInput: z.ZodType<CriteriaGroup> = requestShape(
  "CriteriaGroup",
  z.lazy(() =>
    z
      .object({
        op: z.enum(["and", "or"], { error: "A group combines its items with and or or." }),
        items: z
          .array(z.union([CriterionInput, CriteriaGroupInput]))
          .min(1, "Add at least one criterion.")
          .max(MAX_CRITERIA),
      })
      .describe(`Criteria joined by and/or; groups nest at most ${MAX_DEPTH} deep, with at most ${MAX_CRITERIA} criteria in all.`),
  ),
) as z.ZodType<CriteriaGroup>;

function depth(group: CriteriaGroup): number {
  return 1 + Math.max(0, ...group.items.map((item) => (isGroup(item) ? depth(item) : 0)));
}
function leafCount(group: CriteriaGroup): number {
  return group.items.reduce((n, item) => n + (isGroup(item) ? leafCount(item) : 1), 0);
}

/**
 * The limits of a profile's criteria as a whole. Checked on the profile rather
 * than on the criteria schema, so the document can point at CriteriaGroup.
 */
function checkCriteriaLimits(profile: { criteria?: CriteriaGroup }, ctx: z.RefinementCtx) {
  if (!profile.criteria) return;
  if (depth(profile.criteria) > MAX_DEPTH)
    ctx.addIssue({ code: "custom", path: ["criteria"], message: `Groups nest at most ${MAX_DEPTH} deep.` });
  if (leafCount(profile.criteria) > MAX_CRITERIA) {
    ctx.addIssue({ code: "custom", path: ["criteria"], message: `A profile has at most ${MAX_CRITERIA} criteria.` });
  }
}

export const CreateProfileInput = requestShape(
  "CreateProfileInput",
  z
    .object({
      name: z.string({ error: "Give the profile a name." }).trim().min(1, "Give the profile a name.").max(120),
      description: z.string().trim().max(2000).default(""),
      criteria: CriteriaGroupInput,
    })
    .superRefine(checkCriteriaLimits),
);

export const UpdateProfileInput = requestShape(
  "UpdateProfileInput",
  z
    .object({
      baseVersion: z.number({ error: "Send the version you edited as baseVersion." }).int().min(1),
      name: z.string().trim().min(1, "Give the profile a name.").max(120).optional(),
      description: z.string().trim().max(2000).optional(),
      criteria: CriteriaGroupInput.optional(),
    })
    .superRefine(checkCriteriaLimits),
);

export const MapResultInput = requestShape(
  "MapResultInput",
  z.object({
    profileId: z.string({ error: "Send the profile's id, or null to unmap." }).min(1).nullable(),
  }),
);

// Answers

const criterionOperator = z.enum(CRITERION_OPERATORS);

/** A profile's criteria as stored: every biomarker criterion with its unit filled in. */
export const ProfileCriteriaJson: z.ZodType<CriteriaGroup> = responseShape(
  "ProfileCriteria",
  z.lazy(() =>
    z.object({
      op: z.enum(["and", "or"]),
      items: z.array(
        z.union([
          z.object({ kind: z.literal("biomarker"), code: z.string(), operator: criterionOperator, value: z.number(), unit: z.string() }),
          z.object({
            kind: z.literal("attribute"),
            name: z.string(),
            operator: criterionOperator,
            value: z.union([z.number(), z.string()]),
            unit: z.string().optional(),
          }),
          ProfileCriteriaJson,
        ]),
      ),
    }),
  ),
);

const criteriaText = z.string().describe("The criteria in plain language: “hs-CRP > 3 mg/L and BMI ≥ 30 kg/m2”.");

export const ProfileJson = responseShape(
  "Profile",
  z.object({
    id: Id,
    name: z.string(),
    description: z.string(),
    criteria: ProfileCriteriaJson,
    text: criteriaText,
    version: Count.describe("Send it back as baseVersion when editing."),
    createdBy: Id,
    createdAt: IsoTime,
    updatedAt: IsoTime,
  }),
);

export const ProfileListJson = responseShape("ProfileList", Paged(ProfileJson).describe("The workspace's profiles, in column order."));

export const ProfileVersionJson = responseShape(
  "ProfileVersion",
  z.object({
    version: Count,
    name: z.string(),
    description: z.string(),
    criteria: ProfileCriteriaJson,
    text: criteriaText,
    authorId: Id,
    createdAt: IsoTime,
  }),
);

export const ProfileVersionListJson = responseShape(
  "ProfileVersionList",
  Paged(ProfileVersionJson).describe("Every version, newest first."),
);

export const ProfileCountsJson = responseShape(
  "ProfileCounts",
  z.object({
    profileId: Id,
    version: Count,
    items: z
      .array(
        z.object({
          studyId: Id,
          studyTitle: z.string(),
          datasetId: Id,
          datasetName: z.string(),
          version: Count,
          evaluable: z.boolean(),
          problems: z
            .array(
              z.object({
                criterion: z.string(),
                reason: z.enum(["biomarker_missing", "unit_not_convertible", "attribute_missing"]),
                message: z.string(),
              }),
            )
            .describe("Why the dataset cannot be evaluated."),
          conversions: z.array(z.string()),
          arms: z.array(
            z.object({
              arm: z.string(),
              total: Count,
              matched: Count,
              notMatched: Count,
              missing: Count.describe("Undecidable: a value the profile needs is missing."),
            }),
          ),
        }),
      )
      .describe("One per participant-level dataset (newest version of each)."),
  }),
);

export const ResultProfileMappingJson = responseShape(
  "ResultProfileMapping",
  z.union([
    z.object({
      resultId: Id,
      profileId: Id,
      profileName: z.string(),
      subgroup: z.string(),
      mappedBy: Id,
      mappedAt: IsoTime,
      cutoffMatches: z.boolean(),
      cutoffDifferences: z
        .array(z.string())
        .describe(
          "How the result's subgroup differs from the profile: “Cut-off differs: the subgroup is hs-CRP > 5 mg/L, the profile hs-CRP > 3 mg/L.”",
        ),
    }),
    z.object({ resultId: Id, profileId: z.null().describe("Not mapped to a profile.") }),
  ]),
);

export const ProfileConflictJson = responseShape(
  "ProfileConflict",
  StaleVersionBody(ProfileJson).describe("A stale baseVersion: `details[0].current` is the profile as it now is."),
);
