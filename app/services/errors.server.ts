/**
 * Errors a service throws when it refuses a request. Each carries the HTTP
 * status and the machine-readable code of the public API (see docs/api.md), so the
 * JSON API, Remix actions and socket handlers all answer the same refusal the
 * same way.
 */
export type ErrorDetail = { field?: string; row?: number; column?: string; message: string; [k: string]: unknown };

export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] | Record<string, unknown>[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const validationFailed = (message: string, details: ErrorDetail[] = []) =>
  new ServiceError(400, "validation_failed", message, details);
export const unauthorized = (message = "Sign in, or send a valid access token.") => new ServiceError(401, "unauthorized", message);
export const forbidden = (message: string) => new ServiceError(403, "forbidden", message);
export const notFound = (message: string) => new ServiceError(404, "not_found", message);
export const conflict = (message: string, details: Record<string, unknown>[] = []) => new ServiceError(409, "conflict", message, details);
export const unprocessable = (message: string, details: ErrorDetail[] = []) => new ServiceError(422, "unprocessable", message, details);
export const rateLimited = (retryAfterSeconds: number, message: string) =>
  new ServiceError(429, "rate_limited", message, [], { "Retry-After": String(retryAfterSeconds) });

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof ServiceError;
}
