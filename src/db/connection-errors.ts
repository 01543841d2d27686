// Recognises "the database cannot be reached" among the errors pg, the pool and Prisma's pg
// adapter throw, so callers answer 503 + Retry-After (try again later) instead of 500 or a
// per-item failure (which a client would not retry).

// Node socket errors seen when the server is down, restarting or unreachable.
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// SQLSTATE class 08 (connection exception), admin/crash shutdown, cannot connect now, too many connections.
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);
// pg raises these as plain Errors without a code.
const MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /client has encountered a connection error/i, /connection is closed/i, /cannot use a pool after calling end/i];
// Prisma's codes for an unreachable or timed-out database server.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024"]);

/** True when `err` (or any error in its `cause` chain) says the database is unreachable. */
export function isConnectionError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, errors } = e as { code?: unknown; message?: unknown; errors?: unknown };
    if (typeof code === "string" && (SOCKET_CODES.has(code) || SQLSTATES.has(code) || code.startsWith("08") || PRISMA_CODES.has(code))) return true;
    if (typeof message === "string" && MESSAGES.some((m) => m.test(message))) return true;
    // AggregateError from net.connect when both IPv4 and IPv6 are refused.
    if (Array.isArray(errors) && errors.some((x) => isConnectionError(x))) return true;
  }
  return false;
}
