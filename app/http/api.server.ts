/**
 * The JSON API's plumbing, in one place: method dispatch, authentication,
 * JSON bodies, and the error shape of docs/api.md. Route files only say which
 * service answers which method.
 */
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";

type Params = LoaderFunctionArgs["params"];
import { requireCaller, type Caller } from "#app/services/auth.server.ts";
import { isServiceError, ServiceError, validationFailed } from "#app/services/errors.server.ts";
import { answerOnce } from "#app/services/idempotency.server.ts";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface BaseArgs {
  request: Request;
  params: Params;
  context: AppLoadContext;
}
export interface ApiArgs extends BaseArgs {
  caller: Caller;
}

type Handler<A> = (args: A) => unknown | Promise<unknown>;

const MAX_JSON_BYTES = 1024 * 1024;

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

export const created = (body: unknown) => json(body, 201);
export const noContent = () => new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });

/** A generated file the browser saves under its name (CSV, an R script). */
export function download(body: string, contentType: "text/csv" | "text/x-r", fileName: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": `${contentType}; charset=utf-8`,
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}

/** The request's own path and query: a generated script names the data it reads from the same query. */
export function requestPath(request: Request): string {
  const url = new URL(request.url);
  return url.pathname + url.search;
}

export function errorResponse(error: ServiceError): Response {
  return json({ error: { code: error.code, message: error.message, details: error.details } }, error.status, error.headers);
}

/** Parses a JSON request body, refusing other types (415), oversize bodies (413) and bad JSON (400). */
export async function readJsonBody(request: Request, { maxBytes = MAX_JSON_BYTES }: { maxBytes?: number } = {}): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  const text = await request.text();
  if (text.trim() === "") return {};
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new ServiceError(415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
  }
  if (Buffer.byteLength(text) > maxBytes) {
    throw new ServiceError(413, "too_large", `A JSON body here may be at most ${maxBytes / 1024} KiB.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw validationFailed(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

async function run<A extends BaseArgs>(
  handlers: Partial<Record<Method, Handler<A>>>,
  base: BaseArgs,
  prepare: (base: BaseArgs) => A | Promise<A>,
): Promise<Response> {
  const method = base.request.method.toUpperCase() as Method | "HEAD";
  // HEAD answers like GET; the HTTP server drops the body.
  const handler = handlers[method === "HEAD" ? "GET" : method];
  try {
    if (!handler) {
      throw new ServiceError(405, "method_not_allowed", `${method} is not supported here.`, [], {
        Allow: Object.keys(handlers).join(", "),
      });
    }
    return toResponse(await handler(await prepare(base)));
  } catch (error) {
    if (error instanceof Response) return error;
    if (isServiceError(error)) return errorResponse(error);
    console.error(`${method} ${new URL(base.request.url).pathname} failed`, error);
    return json({ error: { code: "internal", message: "The server failed to answer this request.", details: [] } }, 500);
  }
}

const toResponse = (result: unknown) => (result instanceof Response ? result : json(result));

function toRemix<A extends BaseArgs>(handlers: Partial<Record<Method, Handler<A>>>, prepare: (base: BaseArgs) => A | Promise<A>) {
  const handle = (args: LoaderFunctionArgs | ActionFunctionArgs) =>
    run(handlers, { request: args.request, params: args.params, context: args.context }, prepare);
  return { loader: handle, action: handle };
}

/** An API resource that needs a caller (bearer token or session cookie). Its POST honours an Idempotency-Key. */
export function apiRoute(handlers: Partial<Record<Method, Handler<ApiArgs>>>) {
  const { POST } = handlers;
  // biome-ignore lint/correctness/noComponentHookFactories: POST is an HTTP method's handler, not a React component.
  const once = POST && { POST: (args: ApiArgs) => answerOnce(args.request, args.caller.user.id, async () => toResponse(await POST(args))) };
  return toRemix({ ...handlers, ...once }, async (base) => ({ ...base, caller: await requireCaller(base.request) }));
}

/** An API resource anyone may call (sign-up, token issue, the OpenAPI document). */
export function publicApiRoute(handlers: Partial<Record<Method, Handler<BaseArgs>>>) {
  return toRemix(handlers, (base) => base);
}

export function requireParam(params: Params, name: string): string {
  const value = params[name];
  if (!value) throw validationFailed(`Missing path parameter ${name}.`);
  return value;
}
