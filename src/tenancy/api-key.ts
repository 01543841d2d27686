// API key format and hashing. A key is `mak_<43 base64url chars>` (256 random bits); only its
// SHA-256 is stored. SHA-256 without a salt is enough because the key itself is high-entropy
// (a slow password hash would only add latency to every request). The first 12 characters are
// stored as a visible prefix so users can tell keys apart and lookups stay indexed.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const KEY_PREFIX = "mak_";
/** Length of the prefix kept in clear (`mak_` + 8 characters). */
export const VISIBLE_PREFIX_LENGTH = 12;
const KEY_PATTERN = /^mak_[A-Za-z0-9_-]{43}$/;

export interface GeneratedApiKey {
  /** The plain key: shown to the user once, never stored. */
  key: string;
  prefix: string;
  hash: string;
}

/** A fresh random key with its visible prefix and hash. */
export function generateApiKey(): GeneratedApiKey {
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  return { key, prefix: key.slice(0, VISIBLE_PREFIX_LENGTH), hash: hashApiKey(key) };
}

/** Hex SHA-256 of a key. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** True when `key` has the shape of one of our keys (cheap rejection before any query). */
export function isWellFormedApiKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** The visible prefix of a well-formed key. */
export function prefixOf(key: string): string {
  return key.slice(0, VISIBLE_PREFIX_LENGTH);
}

/** Compares a presented key with a stored hash in constant time. */
export function keyMatchesHash(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(key), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
