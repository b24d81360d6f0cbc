/**
 * What a page action answers when a service refuses the form: the server
 * writes it (handleFormAction in app/http/form.server.ts), the page shows it
 * (a message beside each field it names, or one above the form).
 */
export interface FormFailure {
  ok: false;
  formError: string | null;
  fieldErrors: Record<string, string>;
  /** Which form on the page failed, when a page has several. */
  intent?: string;
  /** What was submitted (never passwords), so the form can show it again: nothing typed is lost. */
  values: Record<string, string>;
}

/** An action's answer as a refusal, or undefined when it is something else (or nothing). */
export function formFailure(result: unknown): FormFailure | undefined {
  return typeof result === "object" && result !== null && (result as { ok?: unknown }).ok === false && "fieldErrors" in result
    ? (result as FormFailure)
    : undefined;
}
