// Renders zod issues as "path.to.field: message" lines for users (and for LLM repair prompts).
import type { z } from "zod";

export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "") || "(root)";
}

export function formatZodIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${issuePath(i.path)}: ${i.message}`).join("; ");
}
