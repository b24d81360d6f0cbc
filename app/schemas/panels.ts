/** Input rules for biomarker panels. */
import { z } from "zod";

export const CreatePanelInput = z.object({
  name: z.string({ error: "Give the panel a name." }).trim().min(1, "Give the panel a name.").max(120),
  description: z.string().trim().max(2000).default(""),
  /** Start from the default immuno-metabolic panel of DOMAIN.md. */
  fromDefault: z
    .union([z.boolean(), z.enum(["true", "false", "on"])])
    .transform((v) => v === true || v === "true" || v === "on")
    .default(false),
});
