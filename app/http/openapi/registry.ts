/**
 * The route registry: every path and method of the JSON API with what it takes
 * and answers, joined from the area files. A new API area adds its file here
 * (one line); a new route adds its entry to its area's file, beside the route
 * file under app/routes (tests/integration/openapi.test.ts fails otherwise).
 */
import type { ApiArea, PathContract } from "#app/http/openapi/contract.ts";
import { accountsArea } from "#app/http/openapi/accounts.ts";
import { commentsArea } from "#app/http/openapi/comments.ts";
import { comparisonArea } from "#app/http/openapi/comparison.ts";
import { effectModificationArea } from "#app/http/openapi/effect-modification.ts";
import { datasetsArea } from "#app/http/openapi/datasets.ts";
import { goalsArea } from "#app/http/openapi/goals.ts";
import { metaAnalysisArea } from "#app/http/openapi/meta-analysis.ts";
import { panelsArea } from "#app/http/openapi/panels.ts";
import { protocolsArea } from "#app/http/openapi/protocols.ts";
import { registrationsArea } from "#app/http/openapi/registrations.ts";
import { searchArea } from "#app/http/openapi/search.ts";
import { snapshotsArea } from "#app/http/openapi/snapshots.ts";
import { studiesArea } from "#app/http/openapi/studies.ts";

/** The areas, in document order. */
const AREAS: ApiArea[] = [
  accountsArea,
  panelsArea,
  studiesArea,
  commentsArea,
  metaAnalysisArea,
  datasetsArea,
  goalsArea,
  protocolsArea,
  comparisonArea,
  effectModificationArea,
  snapshotsArea,
  registrationsArea,
  searchArea,
];

function join(areas: ApiArea[]) {
  const tags: ApiArea["tags"] = [];
  const routes: Record<string, PathContract> = {};
  const pathParameters: Record<string, string> = {};
  for (const area of areas) {
    for (const tag of area.tags) {
      if (tags.some((t) => t.name === tag.name)) throw new Error(`Route registry: tag "${tag.name}" is defined by two areas.`);
      tags.push(tag);
    }
    for (const [path, methods] of Object.entries(area.paths)) {
      if (Object.hasOwn(routes, path)) throw new Error(`Route registry: ${path} is described by two areas.`);
      routes[path] = methods;
    }
    // Areas share parameter names ({ws} above all); the same name must mean the same thing.
    for (const [name, description] of Object.entries(area.pathParameters ?? {})) {
      if (Object.hasOwn(pathParameters, name) && pathParameters[name] !== description) {
        throw new Error(`Route registry: path parameter "${name}" is described differently by two areas.`);
      }
      pathParameters[name] = description;
    }
  }
  return { tags, routes, pathParameters };
}

const joined = join(AREAS);

export const API_TAGS = joined.tags;
export const ROUTES = joined.routes;
export const PATH_PARAMETERS = joined.pathParameters;
