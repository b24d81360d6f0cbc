import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "#app/http/redirects.ts";

describe("safeRedirectPath", () => {
  it.each([["/workspaces/x?y"], ["/workspaces/abc?tab=members#top"], ["/"], ["/settings/tokens"]])(
    "keeps the path %j on this site",
    (path) => {
      expect(safeRedirectPath(path)).toBe(path);
    },
  );

  it.each([
    ["//evil.example"],
    ["//evil.example/workspaces"],
    ["http://evil.example"],
    ["https://evil.example/workspaces"],
    ["/\\evil.example"],
    ["javascript:alert(1)"],
    ["workspaces/x"],
    [""],
  ])("refuses %j and answers the fallback instead", (target) => {
    expect(safeRedirectPath(target)).toBe("/workspaces");
  });

  it("answers the fallback for a missing or non-string target", () => {
    for (const value of [undefined, null, 42, ["/workspaces/x"], { to: "/x" }]) {
      expect(safeRedirectPath(value)).toBe("/workspaces");
    }
  });

  it("uses the fallback it is given", () => {
    expect(safeRedirectPath("//evil.example", "/account")).toBe("/account");
    expect(safeRedirectPath(undefined, "/account")).toBe("/account");
  });

  // Browsers drop tabs and newlines from a URL, so "/\t/evil.example" becomes "//evil.example".
  it.each([["/\t/evil.example"], ["/\n/evil.example"], ["/\r\n/evil.example"], ["/ /evil.example"]])(
    "refuses %j, which a browser would turn into //host",
    (target) => {
      expect(safeRedirectPath(target)).toBe("/workspaces");
    },
  );
});
