/**
 * Pages turn a service's refusal into an error page with the right status
 * (404 for a workspace you may not know about, 403 for a forbidden action),
 * shown by the nearest ErrorBoundary.
 */
import { isServiceError } from "#app/services/errors.server.ts";

export async function loadOrThrowPage<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isServiceError(error)) {
      throw new Response(error.message, { status: error.status, statusText: STATUS_TEXT[error.status] ?? "Error" });
    }
    throw error;
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  422: "Cannot be done",
};
