import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

/** A random secret: `bytes` random bytes, base32. 20 bytes = 160 bits. */
export function randomSecret(bytes = 20): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}

/** Secrets (session, access and invitation tokens) are stored only as this hash. */
export function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

/** Public ids: 10 random bytes, base32 (16 characters). */
export function newId(): string {
  return randomSecret(10);
}
