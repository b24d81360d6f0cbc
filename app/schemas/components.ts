/**
 * The names of the public shapes. Every request body and response shape the
 * JSON API promises is registered here under the name it has in the OpenAPI
 * document (`#/components/schemas/<name>`), which app/http/openapi/document.ts
 * generates from these two registries. Requests and responses are kept apart
 * because a request is described as a client may send it (defaults optional,
 * text coerced) and a response as the server writes it (every key present).
 */
import { z } from "zod";

type Named = { id: string };

export const requestComponents = z.registry<Named>();
export const responseComponents = z.registry<Named>();

/** Registers `schema` as the request body named `name`. */
export function requestShape<T extends z.ZodType>(name: string, schema: T): T {
  requestComponents.add(schema, { id: name });
  return schema;
}

/** Registers `schema` as the response shape named `name`. */
export function responseShape<T extends z.ZodType>(name: string, schema: T): T {
  responseComponents.add(schema, { id: name });
  return schema;
}
