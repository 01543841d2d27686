// Dashboard session tokens: 32 random bytes as base64url (43 characters), the only thing the
// browser's cookie holds. Only the token's SHA-256 is stored; like API keys, the token is
// high-entropy, so an unsalted fast hash is enough and a leaked table opens no session.
import { createHash, randomBytes } from "node:crypto";

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh random session token (256 bits, base64url). */
export function generateUiSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Hex SHA-256 of a token: what the database stores and looks sessions up by. */
export function hashUiSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** True when `token` has the shape of one of our tokens (cheap rejection before any query). */
export function isWellFormedUiSessionToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}
