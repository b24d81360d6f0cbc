import { describe, expect, it } from "vitest";
import { EnvError, readEnv } from "#app/env.server.ts";

describe("the settings read from the environment", () => {
  it("has a default for everything, so `npm start` needs none", () => {
    const settings = readEnv({});
    expect(settings).toMatchObject({
      NODE_ENV: "production",
      PORT: 3000,
      HOST: "0.0.0.0",
      APP_ORIGIN: [],
      DATABASE_PATH: "data/consilience.sqlite",
      SQLITE_SYNCHRONOUS: "FULL",
      SEED_DEMO: "1",
      REGISTRATION: "open",
      LOGIN_FAILURES_PER_ACCOUNT: 5,
      LOGIN_ATTEMPTS_PER_IP: 30,
      SOCKET_MESSAGES_PER_10S: 100,
    });
  });

  it("treats an empty value as unset", () => {
    expect(readEnv({ PORT: "", DEMO_PASSWORD: "" })).toMatchObject({ PORT: 3000, DEMO_PASSWORD: "consilience-demo" });
  });

  it("reads numbers, origin lists and case-insensitive modes", () => {
    const settings = readEnv({
      PORT: "8080",
      APP_ORIGIN: "https://a.example.org, http://b.example.org:8080/",
      SQLITE_SYNCHRONOUS: "normal",
    });
    expect(settings.PORT).toBe(8080);
    expect(settings.APP_ORIGIN).toEqual(["https://a.example.org", "http://b.example.org:8080"]);
    expect(settings.SQLITE_SYNCHRONOUS).toBe("NORMAL");
  });

  it("refuses wrong values with one line per problem, naming the variable and what it got", () => {
    let error: unknown;
    try {
      readEnv({
        PORT: "eighty",
        REGISTRATION: "maybe",
        APP_ORIGIN: "https://ok.example.org,consilience.example.org/path",
        LOGIN_FAILURES_PER_ACCOUNT: "0",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).problems).toEqual([
      "PORT: must be a port number from 0 to 65535 (got “eighty”)",
      "APP_ORIGIN: “consilience.example.org/path” is not an origin (scheme, host and port only), e.g. https://consilience.example.org (got “https://ok.example.org,consilience.example.org/path”)",
      "REGISTRATION: must be open or closed (got “maybe”)",
      "LOGIN_FAILURES_PER_ACCOUNT: must be a whole number of at least 1 (got “0”)",
    ]);
  });
});
