/** Timed HTTP operations against a bench server: read the whole body, check the status, nothing else. */
import type { Operation } from "./load.ts";

export function request(url: string, init: { method?: string; token?: string; body?: unknown; expect: number }): Operation {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  return async () => {
    const response = await fetch(url, { method: init.method ?? "GET", headers, body, redirect: "manual" });
    const text = await response.text();
    if (response.status !== init.expect) {
      throw new Error(`${init.method ?? "GET"} ${url} answered ${response.status} (expected ${init.expect}): ${text.slice(0, 300)}`);
    }
  };
}
