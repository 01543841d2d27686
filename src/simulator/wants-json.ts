// Whether a chat request wants a JSON answer.
import { contentText } from "../llm/token-count.js";
import type { ChatCompletionRequest } from "./wire.js";

/** JSON mode, a JSON schema, or "JSON" anywhere in the prompt. */
export function wantsJson(req: ChatCompletionRequest): boolean {
  const format = req.response_format?.type;
  if (format === "json_object" || format === "json_schema") return true;
  return req.messages.some((m) => /\bjson\b/i.test(contentText(m.content)));
}
