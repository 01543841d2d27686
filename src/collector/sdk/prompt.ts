// A served prompt in the agent's hands: `render(inputs)` gives OpenAI chat messages (system,
// demos, this call's inputs). Rendering inside a traced run records `signature@version` on the
// run's trace, so the agent never has to say which version it ran.
import type { PromptMessage, ServedPrompt } from "../../domain/served-prompt.js";
import type { SignatureTool } from "../../domain/signature.js";
import { renderInputs } from "../../signature/render.js";
import { currentRun } from "./context.js";

/** Where a prompt came from: the service, its last good copy (service unreachable), a versions/ checkout, or the caller's fallback. */
export type PromptSource = "service" | "last-good" | "versions-dir" | "fallback";

/** OpenAI's `tools` entry for a signature tool. */
export interface OpenAiTool {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export class Prompt {
  readonly name: string;
  /** The version served (`"fallback"` for a caller-supplied fallback prompt: its traces carry no version). */
  readonly version: string;
  readonly source: PromptSource;
  /** The served prompt as the service sent it. */
  readonly served: ServedPrompt;

  constructor(served: ServedPrompt, source: PromptSource) {
    this.served = served;
    this.name = served.name;
    this.version = served.version;
    this.source = source;
  }

  /** `name@version`, as traces and `meta-agent report` show it. */
  get ref(): string {
    return `${this.name}@${this.version}`;
  }

  /** The system message: description, instructions, learned guidelines, input fields and output format. */
  get system(): string {
    return this.served.system;
  }

  /** JSON Schema of the answer (for `response_format` or your own validation). */
  get outputSchema(): Record<string, unknown> {
    return this.served.outputSchema;
  }

  /** The signature's tools in OpenAI's `tools` format (descriptions are part of the versioned prompt). */
  get tools(): OpenAiTool[] {
    return this.served.tools.map(toOpenAiTool);
  }

  /**
   * The conversation for one call: system message, demos as user/assistant turns, then `inputs`
   * (the signature's input fields, in their declared order) as the last user turn. Inside a traced
   * run this records the prompt's signature and version on the run's trace.
   */
  render(inputs: Record<string, unknown>): PromptMessage[] {
    this.markRun();
    // A fallback prompt declares no input fields: the inputs go as they are.
    const user = this.served.inputs.length > 0 ? renderInputs(this.served.inputs, inputs) : JSON.stringify(inputs, null, 2);
    return [{ role: "system", content: this.served.system }, ...this.served.demos, { role: "user", content: user }];
  }

  /** Records this prompt on the current traced run (render does it for you). */
  markRun(): void {
    try {
      currentRun()?.usePrompt(this.name, this.source === "fallback" ? undefined : this.version);
    } catch {
      // tracing must never stop the agent
    }
  }
}

export const toOpenAiTool = (t: SignatureTool): OpenAiTool => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.parameters } });
