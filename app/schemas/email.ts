/** The caller's email choice: how mentions, replies and reminders they have not read reach them by email. */
import { z } from "zod";
import { EMAIL_DELIVERIES } from "#app/domain/email.ts";
import { requestShape, responseShape } from "./components.ts";

const delivery = z
  .enum(EMAIL_DELIVERIES, { error: `delivery is one of: ${EMAIL_DELIVERIES.join(", ")}.` })
  .describe(
    "immediately: unread mentions, replies and reminders are emailed after a few minutes, at most one email per quarter hour; daily: one digest a day; never: no email.",
  );

export const EmailSettingsInput = requestShape("EmailSettingsInput", z.object({ delivery }));

export const EmailSettingsJson = responseShape("EmailSettings", z.object({ delivery }));
