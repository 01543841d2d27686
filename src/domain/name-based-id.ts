// A UUID derived from a name (RFC 9562 version 8, built from SHA-256): the same name always gives
// the same id. For data that must be reproducible, such as the demo's traces, whose ids decide
// the train/dev split. Node's crypto has no name-based UUIDs, and eight lines do not justify a
// dependency.
import { createHash } from "node:crypto";

/** The UUID of `name`: version nibble 8, RFC 4122 variant bits, the rest from SHA-256(name). */
export function nameBasedUuid(name: string): string {
  const h = createHash("sha256").update(name).digest("hex");
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
