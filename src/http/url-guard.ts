// Path and query parameters are untrusted input like bodies: this middleware, mounted before every
// feature route, refuses a URL whose percent-encoding does not decode to valid UTF-8 or decodes to
// a NUL, naming the parameter. Express's query parser is lenient (it turns bad bytes into U+FFFD,
// so a filter would silently match something else) and a NUL reaches Postgres as an encoding error
// (a 500): both are decided here, once, for every route and every route added later. Each route's
// own schema then checks its parameters' shape (input-safety.ts).
import type { RequestHandler } from "express";
import { invalidInput, unsafeStringReason, type InputIssue } from "../domain/input-safety.js";

/** The decoded text of one URL component, or undefined when its escapes are not UTF-8. */
function decodeStrict(component: string, plusIsSpace: boolean): string | undefined {
  try {
    return decodeURIComponent(plusIsSpace ? component.replace(/\+/g, " ") : component);
  } catch {
    return undefined;
  }
}

/** Problems of a raw request target (`/path?query`), each naming `path` or `query.<name>`. */
export function urlIssues(rawUrl: string): InputIssue[] {
  const issues: InputIssue[] = [];
  const q = rawUrl.indexOf("?");
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const path = decodeStrict(rawPath, false);
  if (path === undefined) issues.push({ path: "path", message: "has a percent-escape that is not UTF-8" });
  else if (unsafeStringReason(path)) issues.push({ path: "path", message: unsafeStringReason(path)! });
  if (q >= 0) {
    for (const pair of rawUrl.slice(q + 1).split("&")) {
      if (!pair) continue;
      const eq = pair.indexOf("=");
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      const name = decodeStrict(rawName, true);
      const where = `query.${name !== undefined && !unsafeStringReason(name) ? name : "(name)"}`;
      if (name === undefined) issues.push({ path: where, message: "has a parameter name whose percent-escape is not UTF-8" });
      else if (unsafeStringReason(name)) issues.push({ path: where, message: `has a parameter name that ${unsafeStringReason(name)}` });
      if (eq < 0) continue;
      const value = decodeStrict(pair.slice(eq + 1), true);
      if (value === undefined) issues.push({ path: where, message: "has a percent-escape that is not UTF-8" });
      else if (unsafeStringReason(value)) issues.push({ path: where, message: unsafeStringReason(value)! });
      if (issues.length >= 5) break;
    }
  }
  return issues;
}

/** 400 for a request whose path or query does not decode to storable text. */
export const urlGuard: RequestHandler = (req, _res, next) => {
  const issues = urlIssues(req.originalUrl);
  next(issues.length > 0 ? invalidInput("URL", issues) : undefined);
};
