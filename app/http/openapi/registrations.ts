/** Pre-registrations: a protocol version, profiles and analysis options frozen before results are in. */
import { CreateRegistrationInput, RegistrationCreatedJson, RegistrationJson, RegistrationListJson } from "#app/schemas/registrations.ts";
import { type ApiArea, json } from "#app/http/openapi/contract.ts";

export const registrationsArea: ApiArea = {
  tags: [
    {
      name: "registrations",
      description:
        "Pre-registrations: a protocol version, the chosen profiles with their criteria, and the analysis options, frozen and hashed before results are in; the comparison marks each profile against them",
    },
  ],
  pathParameters: { registrationId: "The registration id." },
  paths: {
    "/api/v1/workspaces/{ws}/registrations": {
      get: {
        operationId: "listRegistrations",
        summary: "The workspace's registrations, newest first",
        tag: "registrations",
        responses: { 200: json("The registrations.", RegistrationListJson) },
        errors: [404],
      },
      post: {
        operationId: "createRegistration",
        summary: "Pre-register an analysis (lead)",
        description:
          "Freezes the protocol version, each chosen profile at its current version and criteria, and the options (outcome, measure, method, knha) as canonical JSON (RFC 8785) with its SHA-256. Its time is what “before results are in” is judged against (decision 031).",
        tag: "registrations",
        body: CreateRegistrationInput,
        responses: { 201: json("The new registration.", RegistrationCreatedJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/registrations/{registrationId}": {
      get: {
        operationId: "getRegistration",
        summary: "A registration as it was frozen (never changes)",
        tag: "registrations",
        responses: { 200: json("The registration with its content.", RegistrationJson) },
        errors: [404],
      },
    },
  },
};
