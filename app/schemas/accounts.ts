/** Accounts and tokens: input rules shared by the forms, the JSON API and the services, and the API's answers. */
import { z } from "zod";
import { normaliseOrcid } from "#app/domain/citation.ts";
import { TOKEN_LIFETIMES_DAYS } from "#app/domain/access-tokens.ts";
import { requestShape, responseShape } from "./components.ts";
import { Id, IsoTime, NullableIsoTime } from "./json.ts";
import { Paged } from "./paging.ts";

export const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .max(254, "An email address has at most 254 characters.")
  .pipe(z.email({ error: "Enter a valid email address, like name@example.org." }));

export const personName = z
  .string({ error: "Enter your name." })
  .trim()
  .min(1, "Enter your name.")
  .max(100, "A name has at most 100 characters.");

export const newPassword = z
  .string({ error: "Choose a password." })
  .min(10, "A password needs at least 10 characters.")
  .max(200, "A password has at most 200 characters.");

export const RegisterInput = requestShape("RegisterInput", z.object({ email, name: personName, password: newPassword }));

export const SignInInput = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(200),
});

export const ChangeNameInput = requestShape("ChangeNameInput", z.object({ name: personName }));

/** An ORCID iD (bare or as its orcid.org URL) whose check digit is right; empty removes it. */
export const ChangeOrcidInput = z.object({
  orcid: z
    .string({ error: "Give your ORCID iD, or leave it empty." })
    .trim()
    .max(60, "An ORCID iD looks like 0000-0002-1825-0097.")
    .transform((value, ctx) => {
      if (value === "") return null;
      const id = normaliseOrcid(value);
      if (!id) {
        ctx.addIssue({ code: "custom", message: "This is not an ORCID iD (0000-0002-1825-0097): its check digit does not match." });
        return z.NEVER;
      }
      return id;
    }),
});

export const ChangePasswordInput = z.object({
  currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password."),
  newPassword,
});

export const CreateTokenInput = requestShape(
  "CreateTokenInput",
  z.object({
    label: z.string().trim().min(1, "Give the token a label, like “R analysis laptop”.").max(100).default("API token"),
    expiresInDays: z.coerce
      .number()
      .int()
      .refine((d) => (TOKEN_LIFETIMES_DAYS as readonly number[]).includes(d), {
        message: `A token lasts ${TOKEN_LIFETIMES_DAYS.join(", ")} days.`,
      })
      .default(90)
      // The refine() above is invisible to JSON Schema: name the allowed values for the document.
      .meta({
        enum: [...TOKEN_LIFETIMES_DAYS],
        description: `How long the token lasts, in days: one of ${TOKEN_LIFETIMES_DAYS.join(", ")}.`,
      }),
  }),
);

/** POST /api/v1/auth/token: credentials plus the token's label. */
export const IssueTokenInput = requestShape(
  "IssueTokenInput",
  SignInInput.extend({
    label: z.string().trim().min(1).max(100).optional(),
    expiresInDays: CreateTokenInput.shape.expiresInDays,
  }),
);

// Answers

export const UserJson = responseShape("User", z.object({ id: Id, email: z.email(), name: z.string() }));

export const RegisteredUserJson = responseShape("RegisteredUser", z.object({ user: UserJson }));

export const AccessTokenJson = responseShape(
  "AccessToken",
  z
    .object({
      id: Id,
      label: z.string(),
      createdAt: IsoTime,
      expiresAt: IsoTime,
      lastUsedAt: NullableIsoTime.describe("Refreshed at most once a minute."),
      revokedAt: NullableIsoTime,
    })
    .describe("A personal access token as listed: the secret itself is never shown again."),
);

export const IssuedAccessTokenJson = responseShape(
  "IssuedAccessToken",
  z.object({
    token: z.string().describe("The secret, shown this once. Send it as Authorization: Bearer <token>."),
    id: Id,
    label: z.string(),
    expiresAt: IsoTime,
  }),
);

export const AccessTokenListJson = responseShape(
  "AccessTokenList",
  Paged(AccessTokenJson).describe("The caller's tokens, newest first, revoked and expired ones included."),
);
