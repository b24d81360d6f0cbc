import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashSecret, newId, randomSecret } from "#app/services/crypto.server.ts";

const BASE32 = /^[a-z2-7]+$/;

describe("randomSecret", () => {
  it("encodes 20 random bytes (160 bits) by default as 32 lower-case base32 characters", () => {
    const secret = randomSecret();
    expect(secret).toMatch(BASE32);
    expect(secret).toHaveLength(32);
    // Each base32 character carries 5 bits.
    expect(secret.length * 5).toBeGreaterThanOrEqual(128);
  });

  it("makes the length follow the number of bytes asked for", () => {
    expect(randomSecret(10)).toHaveLength(16);
    expect(randomSecret(16)).toHaveLength(26);
    expect(randomSecret(32)).toHaveLength(52);
  });

  it("never repeats itself across many draws", () => {
    const draws = new Set(Array.from({ length: 2000 }, () => randomSecret()));
    expect(draws.size).toBe(2000);
  });

  it("uses the whole alphabet evenly enough to be random, not a counter or a constant", () => {
    const counts = new Map<string, number>();
    const draws = 2000;
    for (let i = 0; i < draws; i++) {
      // 160 bits are exactly 32 characters of 5 bits, so every character is uniformly random.
      for (const char of randomSecret()) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    const expected = draws; // draws × 32 characters over 32 letters
    for (const [char, n] of counts) {
      expect(Math.abs(n - expected) / expected, char).toBeLessThan(0.15);
    }
  });
});

describe("newId", () => {
  it("is 16 base32 characters (80 random bits) and unique", () => {
    const ids = Array.from({ length: 1000 }, newId);
    for (const id of ids) expect(id).toMatch(/^[a-z2-7]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("hashSecret", () => {
  it("is the lower-case hex SHA-256 of the secret", () => {
    expect(hashSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const secret = randomSecret();
    expect(hashSecret(secret)).toBe(createHash("sha256").update(secret, "utf8").digest("hex"));
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("hashes UTF-8 text, not UTF-16 code units", () => {
    expect(hashSecret("café ✓")).toBe(createHash("sha256").update("café ✓", "utf8").digest("hex"));
  });

  it("is deterministic, and different secrets give different hashes", () => {
    const secret = randomSecret();
    expect(hashSecret(secret)).toBe(hashSecret(secret));
    expect(hashSecret(secret)).not.toBe(hashSecret(secret + "x"));
    expect(hashSecret("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});
