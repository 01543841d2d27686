// Deterministic token estimates. Used by the simulator to report `usage` and by adapters when an
// endpoint returns no usage. An approximation on purpose: every served model has its own
// tokenizer, so exact BPE tables (megabytes) would be no more "right" for vLLM models.

/** Approximate tokens of a text: words by ~4 characters, each punctuation mark one token. */
export function countTokens(text: string): number {
  let tokens = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)) {
    const s = m[0];
    tokens += /^[\p{L}\p{N}_]/u.test(s) ? Math.ceil(s.length / 4) : 1;
  }
  return tokens;
}

/** Prompt tokens of a chat request: per-message overhead as OpenAI documents (~4) plus priming (3). */
export function countChatTokens(messages: readonly { role: string; content?: unknown; name?: string }[], extra: unknown = undefined): number {
  let tokens = 3;
  for (const m of messages) {
    tokens += 4 + countTokens(m.role) + countTokens(contentText(m.content)) + (m.name ? countTokens(m.name) : 0);
  }
  if (extra !== undefined) tokens += countTokens(JSON.stringify(extra));
  return tokens;
}

/** Text of an OpenAI message content (a string or an array of text parts). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === "object" && typeof (p as { text?: unknown }).text === "string" ? (p as { text: string }).text : "")).join("");
  }
  return "";
}
