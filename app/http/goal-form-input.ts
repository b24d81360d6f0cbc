/** Goal and milestone forms send text; the goal schemas want numbers and nulls where they belong. */
import { numberField } from "./form-data.ts";

export function milestoneFromForm(input: Record<string, unknown>) {
  const params = (input.params ?? {}) as Record<string, string>;
  return {
    title: input.title,
    metric: input.metric,
    target: numberField(input.target) ?? null,
    params: Object.fromEntries(Object.entries(params).filter(([, v]) => typeof v === "string" && v.trim() !== "")),
    ownerId: input.ownerId || null,
    dueDate: input.dueDate || null,
  };
}

/** A create form's optional first milestone counts only when it has a title. */
export function hasMilestone(input: unknown): input is Record<string, unknown> {
  return (
    typeof input === "object" &&
    input !== null &&
    typeof (input as Record<string, unknown>).title === "string" &&
    (input as Record<string, string>).title.trim() !== ""
  );
}
