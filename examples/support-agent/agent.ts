// An existing support agent: its own OpenAI tool loop, three tools and a hand-written prompt,
// adopted meta-agent in a few lines:
//   - traceAgent records each ticket as a trace (inputs mapped to the signature, ground truth and
//     the customer's e-mail dropped before anything leaves the process);
//   - getPrompt serves it the prompt meta-agent learned (its own prompt is the fallback), and
//     rendering it records `support_triage@<version>` on the trace;
//   - the ticket's outcome is reported when the ticket closes, after the run (deferOutcome).
// In your project, import from "meta-agent" instead of the relative path.
import type OpenAI from "openai";
import { deferOutcome, recordLlmCall, traceAgent, traceTool, type DeferredOutcome, type PromptClient, type TraceSink } from "../../src/index.js";

/** The agent's own prompt, from before meta-agent: used only if no served prompt was ever loaded. */
export const OWN_PROMPT = "You triage support tickets. Answer with JSON: {\"action\": \"refund\" | \"reset_password\" | \"escalate\"}.";

export interface Ticket {
  id: string;
  text: string;
  customerEmail: string;
  /** Ground truth, known to the test harness (a labelled ticket): must never reach a trace. */
  expectedAction?: string;
}

export interface SupportAgentOptions {
  openai: OpenAI;
  model: string;
  prompts: PromptClient;
  /** Account notes by customer e-mail (the CRM the agent reads before answering). */
  accountNotes?: Record<string, string>;
  /** Where traces go. Default: configureTracing's sink. */
  sink?: TraceSink;
}

export interface SupportAgent {
  handleTicket(ticket: Ticket): Promise<{ action: string }>;
  /** The ticket system reports, later, whether the action resolved the ticket. */
  closeTicket(ticketId: string, resolved: boolean): Promise<boolean>;
}

export function createSupportAgent(options: SupportAgentOptions): SupportAgent {
  const open = new Map<string, DeferredOutcome>();

  // The agent's tools, traced as steps of the current run.
  const lookupOrder = traceTool("lookup_order", async (args: { orderId: string }) => ({ orderId: args.orderId, status: "delivered", charges: 2, amount: 49 }));
  const searchKb = traceTool("search_kb", async (args: { query: string }) => ({ articles: [`How to: ${args.query}`] }));
  const checkAccount = traceTool("check_account", async (args: { email: string }) => ({ note: options.accountNotes?.[args.email] ?? "" }), { omit: ["email"] });
  const tools: Record<string, (args: any) => Promise<unknown>> = { lookup_order: lookupOrder, search_kb: searchKb };

  const handleTicket = traceAgent(
    "support_triage",
    async (ticket: Ticket): Promise<{ action: string }> => {
      const prompt = await options.prompts.getPrompt("support_triage", { fallback: OWN_PROMPT });
      const messages: any[] = prompt.render({ ticketText: ticket.text });
      // The agent's own touch: the customer's account note goes into the system message.
      const { note } = await checkAccount({ email: ticket.customerEmail });
      if (note) messages[0].content += `\n\nAccount note: ${note}`;
      const handle = deferOutcome();
      if (handle) open.set(ticket.id, handle);
      for (let turn = 0; turn < 6; turn++) {
        const completion = await options.openai.chat.completions.create({ model: options.model, messages, ...(prompt.tools.length > 0 ? { tools: prompt.tools } : {}) });
        recordLlmCall({ model: completion.model, tokens: { prompt: completion.usage?.prompt_tokens ?? 0, completion: completion.usage?.completion_tokens ?? 0 } });
        const message = completion.choices[0]!.message;
        if (message.tool_calls?.length) {
          messages.push(message);
          for (const call of message.tool_calls) {
            if (call.type !== "function") continue;
            const fn = tools[call.function.name];
            const result = fn ? await fn(JSON.parse(call.function.arguments || "{}")) : { error: `no tool ${call.function.name}` };
            messages.push({ role: "tool", tool_call_id: call.id, content: JSON.stringify(result) });
          }
          continue;
        }
        const answer = JSON.parse(message.content ?? "{}") as { action?: string };
        return { action: String(answer.action ?? "escalate") };
      }
      return { action: "escalate" };
    },
    {
      // The signature's input is the ticket text; the e-mail and the label stay out of the trace.
      inputs: (ticket: Ticket) => ({ ticketText: ticket.text, customerEmail: ticket.customerEmail, expectedAction: ticket.expectedAction }),
      omit: ["customerEmail", "expectedAction"],
      task: (args) => (args[0] as Ticket).text.includes("charged") ? "billing" : "account",
      ...(options.sink ? { sink: options.sink } : {}),
    },
  );

  return {
    handleTicket,
    async closeTicket(ticketId, resolved) {
      const handle = open.get(ticketId);
      open.delete(ticketId);
      return handle ? handle.set({ success: resolved, ...(resolved ? {} : { feedback: "the customer reopened the ticket" }) }) : false;
    },
  };
}
