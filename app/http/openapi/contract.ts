/**
 * The shape of the route registry: what each path and method of the JSON API
 * takes and answers, in terms of the zod schemas of app/schemas. The area files
 * beside this one fill it in; app/http/openapi/registry.ts joins them and
 * app/http/openapi.server.ts turns the whole into the OpenAPI document.
 */
import { z } from "zod";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** A header a response carries; `required` ones are always sent. */
export interface HeaderContract {
  description: string;
  required?: boolean;
  schema?: z.ZodType;
}

/** One answer: a JSON body (a response shape of app/schemas), another media type, or none. */
export type ResponseContract =
  | { description: string; json: z.ZodType; headers?: Record<string, HeaderContract> }
  | { description: string; media: string; binary?: boolean; headers?: Record<string, HeaderContract> }
  | { description: string };

/** A request body that is not JSON (file uploads): a schema per media type, converted as a client sends it. */
export interface MediaBody {
  media: Record<string, z.ZodType>;
  required?: boolean;
}

export type SuccessStatus = 200 | 201 | 204;
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

export interface OperationContract {
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** "caller": bearer token or session cookie (the default); "public": none; "bearer": a token only. */
  auth?: "caller" | "public" | "bearer";
  /** Its (input) properties are the query parameters. */
  query?: z.ZodObject;
  /** A JSON body (a request shape of app/schemas), or the media types of an upload. */
  body?: z.ZodType | MediaBody;
  /** Whether a JSON body must be sent (default true). */
  bodyRequired?: boolean;
  /** The answers, by status; an error status here has a body of its own (a 409's current state). */
  responses: Partial<Record<SuccessStatus | ErrorStatus, ResponseContract>>;
  /**
   * Error statuses answered with the shared error body, besides those every
   * such route may answer: 401 with authentication, 403 for writes (the
   * cross-site guard), 400/413/415 with a body.
   */
  errors?: ErrorStatus[];
}

export type PathContract = Partial<Record<HttpMethod, OperationContract>>;

/** One area of the API (an OpenAPI tag or two): its paths, and what its `{name}` path parameters mean. */
export interface ApiArea {
  tags: { name: string; description: string }[];
  pathParameters?: Record<string, string>;
  paths: Record<string, PathContract>;
}

export const json = (description: string, schema: z.ZodType, headers?: Record<string, HeaderContract>): ResponseContract => ({
  description,
  json: schema,
  ...(headers ? { headers } : {}),
});

export const media = (
  description: string,
  type: string,
  options: { binary?: boolean; headers?: Record<string, HeaderContract> } = {},
): ResponseContract => ({ description, media: type, ...options });

export const noContent = (description: string): ResponseContract => ({ description });

/** The header of a download: the browser saves the answer under the file name it gives. */
export const attachment = (fileName: string): Record<string, HeaderContract> => ({
  "Content-Disposition": { description: `attachment; filename="${fileName}"`, required: true, schema: z.string() },
});

/** A file field of a multipart form, as JSON Schema describes binary content. */
export const fileField = z.string().meta({ format: "binary" });
