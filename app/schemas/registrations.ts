/** Pre-registrations: what making one takes, and how the API shows them (decision 031). */
import { z } from "zod";
import { EFFECT_MEASURES } from "#app/domain/effect-sizes.ts";
import { POOLING_METHODS } from "#app/domain/meta-analysis.ts";
import { EFFECT_MODIFIER_BASES, EFFECT_MODIFIER_STATUSES, REGISTRATION_FORMAT, REGISTRATION_STATUSES } from "#app/domain/registrations.ts";
import { requestShape, responseShape } from "./components.ts";
import { Count, Id, idList, IsoTime, PersonJson } from "./json.ts";

export const CreateRegistrationInput = requestShape(
  "CreateRegistrationInput",
  z.object({
    title: z
      .string({ error: "Give the registration a title." })
      .trim()
      .min(1, "Give the registration a title.")
      .max(300, "A title has at most 300 characters."),
    protocolId: z.string({ error: "Choose the protocol the analysis follows." }).trim().min(1, "Choose the protocol the analysis follows."),
    protocolVersion: z.coerce
      .number({ error: "Choose the protocol version (a whole number)." })
      .int("Choose the protocol version (a whole number).")
      .positive("Choose the protocol version (a whole number)."),
    profiles: idList
      .pipe(z.array(z.string()).min(1, "Choose at least one patient profile to register.").max(50, "At most 50 profiles."))
      .describe("The profiles registered (ids); each is frozen at its current version and criteria."),
    outcome: z
      .string({ error: "Name the outcome the analysis will pool." })
      .trim()
      .min(1, "Name the outcome the analysis will pool.")
      .max(200, "An outcome name has at most 200 characters."),
    measure: z.enum(EFFECT_MEASURES, { error: `measure is one of ${EFFECT_MEASURES.join(", ")}.` }),
    method: z.enum(POOLING_METHODS, { error: `method is one of ${POOLING_METHODS.join(", ")}.` }).default("REML"),
    knha: z
      .union([z.boolean(), z.enum(["true", "false", "1", "0", "on"])])
      .transform((v) => v === true || v === "true" || v === "1" || v === "on")
      .default(false),
    plan: z.string().trim().max(10_000, "An analysis plan has at most 10,000 characters.").default(""),
    authors: idList.describe("Members named as authors, in order (user ids); the lead alone when none is given."),
    effectModifiers: z
      .array(
        z
          .string({ error: "Name each effect modifier by its panel biomarker code." })
          .trim()
          .min(1, "Name each effect modifier by its panel biomarker code.")
          .max(100, "A biomarker code has at most 100 characters."),
        { error: "effectModifiers is a list of panel biomarker codes." },
      )
      .max(100, "At most 100 effect modifiers.")
      .default([])
      .superRefine((codes, ctx) => {
        for (const [i, code] of codes.entries())
          if (codes.indexOf(code) < i) ctx.addIssue({ code: "custom", path: [i], message: `“${code}” is named twice.` });
      })
      .describe(
        "Panel biomarkers (codes) the effect-modification analysis will stratify by, pre-specified. Optional; a biomarker a registered profile's criteria use counts as pre-specified too.",
      ),
  }),
);

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const registrationHeader = {
  id: Id,
  number: Count.describe("1, 2, … per workspace."),
  title: z.string(),
  hash: Sha256.describe("SHA-256 of the canonical JSON (RFC 8785) of content."),
  createdAt: IsoTime.describe("The moment “before results are in” is judged against."),
  createdBy: PersonJson,
  url: z.string().describe("The registration's page."),
};

export const RegistrationSummaryJson = responseShape(
  "RegistrationSummary",
  z.object({
    ...registrationHeader,
    outcome: z.string(),
    protocol: z.object({ id: Id, title: z.string(), version: Count }),
    profiles: z.array(z.object({ id: Id, name: z.string(), version: Count })),
    effectModifiers: z.array(z.string()).describe("The biomarker codes named as effect modifiers (empty when none)."),
  }),
);

export const RegistrationListJson = responseShape(
  "RegistrationList",
  z.object({ items: z.array(RegistrationSummaryJson), nextCursor: z.null() }),
);

export const RegistrationContentJson = responseShape(
  "RegistrationContent",
  z
    .object({
      format: z.literal(REGISTRATION_FORMAT),
      metadata: z.object({
        title: z.string(),
        number: Count,
        authors: z.array(z.object({ name: z.string(), orcid: z.string().nullable() })),
        createdAt: IsoTime,
        createdBy: z.string(),
        workspace: z.object({ id: Id, name: z.string() }),
      }),
      protocol: z.object({ id: Id, title: z.string(), version: Count, bodySha256: Sha256 }),
      profiles: z.array(
        z.object({
          id: Id,
          name: z.string(),
          version: Count,
          description: z.string(),
          text: z.string(),
          criteria: z.unknown(),
        }),
      ),
      options: z.object({ outcome: z.string(), measure: z.enum(EFFECT_MEASURES), method: z.enum(POOLING_METHODS), knha: z.boolean() }),
      plan: z.string(),
      effectModifiers: z
        .array(z.object({ code: z.string(), label: z.string(), unit: z.string() }))
        .optional()
        .describe("Biomarkers named as effect modifiers, with label and unit as registered; absent when none were named."),
    })
    .describe("Everything registered, exactly as hashed: parse it, canonicalise it (RFC 8785) and its SHA-256 is hash."),
);

export const RegistrationJson = responseShape("Registration", z.object({ ...registrationHeader, content: RegistrationContentJson }));

export const RegistrationCreatedJson = responseShape(
  "RegistrationCreated",
  z.object({ id: Id, number: Count, hash: Sha256, createdAt: IsoTime, url: z.string() }),
);

/** Added to each profile of the comparison (and of snapshots taken since): was it pre-registered? */
export const ProfileRegistrationJson = responseShape(
  "ProfileRegistration",
  z
    .object({
      status: z.enum(REGISTRATION_STATUSES),
      registration: z
        .object({ id: Id, number: Count, title: z.string(), hash: Sha256, createdAt: IsoTime, url: z.string() })
        .nullable()
        .describe("The registration the status rests on; for added-after, one made too late, if any."),
      registeredVersion: Count.nullable(),
      currentVersion: Count,
      firstDataAt: IsoTime.nullable().describe("When the first data feeding this profile's column entered the workspace."),
      reason: z.string(),
    })
    .nullable()
    .describe("null when the workspace has no registration."),
);

/** Added to the effect-modification analysis and to each biomarker column of its matrix: was the modifier pre-specified? */
export const EffectModifierRegistrationJson = responseShape(
  "EffectModifierRegistration",
  z
    .object({
      status: z.enum(EFFECT_MODIFIER_STATUSES),
      registration: z
        .object({ id: Id, number: Count, title: z.string(), hash: Sha256, createdAt: IsoTime, url: z.string() })
        .nullable()
        .describe("The registration the status rests on; for exploratory, one that named the biomarker too late, if any."),
      basis: z
        .enum(EFFECT_MODIFIER_BASES)
        .nullable()
        .describe("How that registration names the biomarker: as an effect modifier, or in a registered profile's criteria."),
      firstDataAt: IsoTime.nullable().describe("When the first data feeding the analysis entered the workspace."),
      reason: z.string(),
    })
    .nullable()
    .describe("null when the workspace has no registration, or nothing is analysed."),
);
