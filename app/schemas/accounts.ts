/** Input rules for accounts and tokens: shared by the forms, the JSON API and the services. */
import { z } from "zod";
import { TOKEN_LIFETIMES_DAYS } from "#app/domain/access-tokens.ts";

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

export const RegisterInput = z.object({ email, name: personName, password: newPassword });

export const SignInInput = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(200),
});

export const ChangeNameInput = z.object({ name: personName });

export const ChangePasswordInput = z.object({
  currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password."),
  newPassword,
});


export const CreateTokenInput = z.object({
  label: z.string().trim().min(1, "Give the token a label, like “R analysis laptop”.").max(100).default("API token"),
  expiresInDays: z.coerce
    .number()
    .int()
    .refine((d) => (TOKEN_LIFETIMES_DAYS as readonly number[]).includes(d), {
      message: `A token lasts ${TOKEN_LIFETIMES_DAYS.join(", ")} days.`,
    })
    .default(90),
});

/** POST /api/v1/auth/token: credentials plus the token's label. */
export const IssueTokenInput = SignInInput.extend({
  label: z.string().trim().min(1).max(100).optional(),
  expiresInDays: CreateTokenInput.shape.expiresInDays,
});
