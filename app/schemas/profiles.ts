/** Input rules for patient profiles and for mapping a result to one. */
import { z } from "zod";
import { CRITERION_OPERATORS, type CriteriaGroup, isGroup } from "#app/domain/profiles.ts";

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

export const CriterionInput = z.discriminatedUnion("kind", [BiomarkerCriterionInput, AttributeCriterionInput], {
  error: "Each criterion has kind biomarker or attribute.",
});

export const MAX_CRITERIA = 20;
export const MAX_DEPTH = 3;

export const CriteriaGroupInput: z.ZodType<CriteriaGroup> = z.lazy(() =>
  z.object({
    op: z.enum(["and", "or"], { error: "A group combines its items with and or or." }),
    items: z.array(z.union([CriterionInput, CriteriaGroupInput])).min(1, "Add at least one criterion.").max(MAX_CRITERIA),
  }),
) as z.ZodType<CriteriaGroup>;

function depth(group: CriteriaGroup): number {
  return 1 + Math.max(0, ...group.items.map((item) => (isGroup(item) ? depth(item) : 0)));
}
function leafCount(group: CriteriaGroup): number {
  return group.items.reduce((n, item) => n + (isGroup(item) ? leafCount(item) : 1), 0);
}

export const ProfileCriteriaInput = CriteriaGroupInput.refine((g) => depth(g) <= MAX_DEPTH, `Groups nest at most ${MAX_DEPTH} deep.`).refine(
  (g) => leafCount(g) <= MAX_CRITERIA,
  `A profile has at most ${MAX_CRITERIA} criteria.`,
);

export const CreateProfileInput = z.object({
  name: z.string({ error: "Give the profile a name." }).trim().min(1, "Give the profile a name.").max(120),
  description: z.string().trim().max(2000).default(""),
  criteria: ProfileCriteriaInput,
});

export const UpdateProfileInput = z.object({
  baseVersion: z.number({ error: "Send the version you edited as baseVersion." }).int().min(1),
  name: z.string().trim().min(1, "Give the profile a name.").max(120).optional(),
  description: z.string().trim().max(2000).optional(),
  criteria: ProfileCriteriaInput.optional(),
});

export const MapResultInput = z.object({
  profileId: z.string({ error: "Send the profile's id, or null to unmap." }).min(1).nullable(),
});
