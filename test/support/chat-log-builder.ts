// Realistic OpenAI chat-format records: a multi-turn SRE session with parallel tool calls,
// a failing tool, reasoning text next to tool calls, and a final answer.
export function makeChatRecord(i: number, options: { failLogs?: boolean; outcome?: unknown } = {}) {
  const ns = `ns-${i}`;
  return {
    id: `conv-${i}`,
    model: "qwen2.5-7b",
    created_at: `2026-02-0${(i % 9) + 1}T10:00:00Z`,
    messages: [
      { role: "system", content: "You are an SRE diagnosis agent. Use tools to find root causes." },
      { role: "user", content: `Checkout in ${ns} returns 500s. Why?` },
      {
        role: "assistant",
        content: "I will look at the pods and recent events first.",
        tool_calls: [
          { id: `call_${i}_a`, type: "function", function: { name: "get_pods", arguments: JSON.stringify({ namespace: ns }) } },
          { id: `call_${i}_b`, type: "function", function: { name: "get_events", arguments: JSON.stringify({ namespace: ns, since: "10m" }) } },
        ],
      },
      { role: "tool", tool_call_id: `call_${i}_b`, content: "Warning BackOff pod/checkout-1 restarting" },
      { role: "tool", tool_call_id: `call_${i}_a`, content: "checkout-1 CrashLoopBackOff\ndb-0 Running" },
      { role: "assistant", content: null, tool_calls: [{ id: `call_${i}_c`, type: "function", function: { name: "get_logs", arguments: JSON.stringify({ pod: "checkout-1", tail: 100 }) } }] },
      { role: "tool", tool_call_id: `call_${i}_c`, content: options.failLogs ? 'Error: pods "checkout-1" not found' : "FATAL: password authentication failed for user app" },
      { role: "assistant", content: "", tool_calls: [{ id: `call_${i}_d`, type: "function", function: { name: "describe_secret", arguments: '{"name":"db-credentials"}' } }] },
      { role: "tool", tool_call_id: `call_${i}_d`, content: '{"error": "permission denied"}' },
      { role: "assistant", content: "Root cause: checkout cannot authenticate to the database (rotated credentials)." },
    ],
    outcome: options.outcome ?? true,
  };
}
