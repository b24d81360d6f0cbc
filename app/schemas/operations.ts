/** What the operational endpoints answer: the health check and the API's own description. */
import { z } from "zod";
import { responseShape } from "./components.ts";

export const HealthJson = responseShape("Health", z.object({ status: z.literal("ok") }));

export const OpenApiDocumentJson = responseShape(
  "OpenApiDocument",
  z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) }).describe("This document."),
);
