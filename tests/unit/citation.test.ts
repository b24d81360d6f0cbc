import { describe, expect, it } from "vitest";
import { apaCitation, bibtexCitation, normaliseOrcid } from "#app/domain/citation.ts";
import { ChangeOrcidInput } from "#app/schemas/accounts.ts";

describe("ORCID iDs", () => {
  it("accepts iDs whose ISO 7064 MOD 11-2 check digit is right, bare or as their URL", () => {
    // ORCID's own examples, one ending in X.
    expect(normaliseOrcid("0000-0002-1825-0097")).toBe("0000-0002-1825-0097");
    expect(normaliseOrcid("https://orcid.org/0000-0001-5109-3700")).toBe("0000-0001-5109-3700");
    expect(normaliseOrcid("0000-0002-1694-233x")).toBe("0000-0002-1694-233X");
  });

  it("refuses a wrong check digit or a malformed iD", () => {
    expect(normaliseOrcid("0000-0002-1825-0098")).toBeNull();
    expect(normaliseOrcid("0000-0002-1825-009")).toBeNull();
    expect(normaliseOrcid("0000000218250097")).toBeNull();
    expect(ChangeOrcidInput.safeParse({ orcid: "0000-0002-1825-0098" }).success).toBe(false);
    expect(ChangeOrcidInput.parse({ orcid: "" })).toEqual({ orcid: null });
  });
});

describe("citations of a snapshot", () => {
  const fields = {
    authors: [
      { name: "Ada King Lovelace", orcid: null },
      { name: "Brian Penninx", orcid: "0000-0002-1825-0097" },
    ],
    title: "Anti-inflammatory agents by CRP",
    version: 2,
    year: 2026,
    publisher: "Consilience, IMD consortium",
    url: "https://example.org/workspaces/w/snapshots/s",
    hash: "ab".repeat(32),
  };

  it("writes APA 7 for a data set", () => {
    expect(apaCitation(fields)).toBe(
      "Lovelace, A. K., & Penninx, B. (2026). Anti-inflammatory agents by CRP (Version 2) [Data set]. Consilience, IMD consortium. https://example.org/workspaces/w/snapshots/s",
    );
  });

  it("writes a BibTeX entry that user text cannot break", () => {
    const entry = bibtexCitation({ ...fields, title: "Effects {50%} & more\\" });
    expect(entry).toMatch(/^@misc\{lovelace2026_abababab,/);
    expect(entry).toContain("author = {Ada King Lovelace and Brian Penninx}");
    expect(entry).toContain("title = {{Effects 50\\% \\& more}}");
    expect(entry.split("{").length).toBe(entry.split("}").length);
  });
});
