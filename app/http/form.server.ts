/**
 * Runs a page action and turns a service's refusal into what the form shows:
 * a message next to each field it names, or one message above the form.
 */
import { json } from "@remix-run/node";
import type { FormFailure } from "#app/domain/form-failure.ts";
import { setUserKey, userKeyedRecord } from "#app/domain/object-keys.ts";
import { isServiceError } from "#app/services/errors.server.ts";

export async function handleFormAction<T>(work: () => T | Promise<T>, intent?: string, submitted: Record<string, FormDataEntryValue> = {}) {
  try {
    return await work();
  } catch (error) {
    if (!isServiceError(error)) throw error;
    const fieldErrors: Record<string, string> = {};
    for (const detail of error.details) {
      const field = typeof detail.field === "string" ? detail.field : undefined;
      if (field && typeof detail.message === "string" && !fieldErrors[field]) fieldErrors[field] = detail.message;
    }
    const failure: FormFailure = {
      ok: false,
      formError: Object.keys(fieldErrors).length ? null : error.message,
      fieldErrors,
      intent,
      values: echoableValues(submitted),
    };
    return json(failure, { status: error.status, headers: error.headers });
  }
}

function echoableValues(submitted: Record<string, FormDataEntryValue>): Record<string, string> {
  const values = userKeyedRecord<string>();
  for (const [name, value] of Object.entries(submitted)) {
    if (typeof value === "string" && !/password/i.test(name)) setUserKey(values, name, value);
  }
  return values;
}
