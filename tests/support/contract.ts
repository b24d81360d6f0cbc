/**
 * The integration client's check of every answer against the OpenAPI document
 * the server publishes at /api/v1/openapi.json (loaded once per server). An
 * answer passes when its path and method are documented, its status is one the
 * operation lists, its media type is the documented one, its required headers
 * are there and a JSON body validates against the documented schema (JSON
 * Schema 2020-12, with formats). A method the path does not list must answer
 * 405, and an /api/ path the document does not know 404, both with the error
 * body. Anything else fails the test, naming the path, the status and what
 * does not match.
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
type Method = (typeof METHODS)[number];

type Json = Record<string, any>;

interface Route {
  template: string;
  pattern: RegExp;
  literalSegments: number;
  item: Json;
}

interface Contract {
  document: Json;
  routes: Route[];
  validator(pointer: string): ValidateFunction;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

const DOCUMENT_ID = "urn:consilience:openapi";
const contracts = new Map<string, Promise<Contract>>();

const escapePointer = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

async function loadContract(baseUrl: string): Promise<Contract> {
  const response = await fetch(`${baseUrl}/api/v1/openapi.json`);
  if (response.status !== 200) throw new Error(`The OpenAPI document could not be loaded: ${response.status}`);
  const document = (await response.json()) as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  // The whole document is one schema resource, so the document's own "#/components/…" references resolve.
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const compiled = new Map<string, ValidateFunction>();
  const routes = Object.entries(document.paths as Json).map(([template, item]) => {
    const segments = template.split("/");
    return {
      template,
      item,
      literalSegments: segments.filter((s) => !s.startsWith("{")).length,
      pattern: new RegExp(`^${segments.map((s) => (s.startsWith("{") ? "[^/]+" : escapeRegExp(s))).join("/")}$`),
    };
  });
  return {
    document,
    routes,
    validator(pointer) {
      let validate = compiled.get(pointer);
      if (!validate) compiled.set(pointer, (validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` })));
      return validate;
    },
  };
}

function contractOf(baseUrl: string): Promise<Contract> {
  let contract = contracts.get(baseUrl);
  if (!contract) {
    contract = loadContract(baseUrl);
    contracts.set(baseUrl, contract);
  }
  return contract;
}

/** The documented path a request path falls under; the most literal one when several match. */
function routeOf(contract: Contract, pathname: string): Route | undefined {
  return contract.routes.filter((r) => r.pattern.test(pathname)).sort((a, b) => b.literalSegments - a.literalSegments)[0];
}

/** A `#/components/…` reference resolved in the document, with the pointer it was found at. */
function resolve(contract: Contract, node: Json, pointer: string): { node: Json; pointer: string } {
  if (typeof node.$ref !== "string" || !node.$ref.startsWith("#/")) return { node, pointer };
  const target = node.$ref.slice(1);
  const found = target
    .split("/")
    .slice(1)
    .reduce<Json | undefined>((at, key) => at?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], contract.document);
  if (!found) throw new Error(`The OpenAPI document has no ${node.$ref}.`);
  return { node: found, pointer: target };
}

function mismatch(what: string, problem: string): Error {
  return new Error(`${what} does not keep to the OpenAPI document: ${problem}`);
}

function checkBody(contract: Contract, what: string, pointer: string, answer: Answer) {
  const validate = contract.validator(pointer);
  if (!validate(answer.body)) throw mismatch(what, ajvErrors(validate));
}

function ajvErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 8)
    .map(
      (e) => `body${e.instancePath} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${e.params.additionalProperty})` : ""}`,
    )
    .join("; ");
}

const isJson = (answer: Answer) => /^application\/([\w.+-]+\+)?json\b/i.test(answer.headers.get("content-type") ?? "");

const ERROR_BODY = "/components/schemas/Error";

/** Checks one answer; throws an Error that names the path, the status and the mismatch. */
export async function checkAgainstContract(baseUrl: string, method: string, path: string, answer: Answer): Promise<void> {
  const contract = await contractOf(baseUrl);
  const pathname = new URL(path, baseUrl).pathname;
  const verb = (method.toUpperCase() === "HEAD" ? "get" : method.toLowerCase()) as Method;
  const route = routeOf(contract, pathname);
  const what = `${method.toUpperCase()} ${route?.template ?? pathname}${route && route.template !== pathname ? ` (${pathname})` : ""} → ${
    answer.status
  }`;

  if (!route) {
    if (!pathname.startsWith("/api/")) return; // pages are not part of the API's contract
    if (answer.status !== 404) throw mismatch(what, "an /api/ path the document does not list must answer 404");
    return checkBody(contract, what, ERROR_BODY, answer);
  }
  const operation = route.item[verb] as Json | undefined;
  if (!operation) {
    if (answer.status !== 405) throw mismatch(what, `${method.toUpperCase()} is not documented for this path, so it must answer 405`);
    return checkBody(contract, what, ERROR_BODY, answer);
  }
  const operationPointer = `/paths/${escapePointer(route.template)}/${verb}`;
  const listed = operation.responses[String(answer.status)] as Json | undefined;
  if (!listed) {
    throw mismatch(what, `status ${answer.status} is not documented (documented: ${Object.keys(operation.responses).join(", ")})`);
  }
  const { node: response, pointer } = resolve(contract, listed, `${operationPointer}/responses/${answer.status}`);
  for (const [name, header] of Object.entries((response.headers ?? {}) as Json)) {
    if (header.required && !answer.headers.has(name)) throw mismatch(what, `the ${name} header is missing`);
  }
  const content = (response.content ?? {}) as Json;
  const types = Object.keys(content);
  if (types.length === 0) {
    if (answer.text !== "") throw mismatch(what, "the document promises no body");
    return;
  }
  if (method.toUpperCase() === "HEAD") return;
  const type = (answer.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!types.includes(type)) throw mismatch(what, `the body is ${type || "untyped"}, documented: ${types.join(", ")}`);
  if (isJson(answer)) checkBody(contract, what, `${pointer}/content/${escapePointer(type)}/schema`, answer);
}
