/**
 * The browser-side view of an action's answer: a refusal from
 * handleFormAction (app/http/form.server.ts, which the browser cannot import)
 * or undefined.
 */
export interface FormFailureView {
  ok: false;
  intent?: string;
  formError: string | null;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
}

export function formFailure(result: unknown): FormFailureView | undefined {
  return typeof result === "object" && result !== null && (result as { ok?: unknown }).ok === false && "fieldErrors" in result
    ? (result as FormFailureView)
    : undefined;
}
