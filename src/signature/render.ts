// Renders a compiled signature into OpenAI chat messages: a system message (description,
// instructions, guidelines, output format with the outputs' JSON Schema), the demos as
// user/assistant turns, then the input fields of this call.
import type { CompiledVersion } from "../domain/compiled-version.js";
import type { SignatureField } from "../domain/signature.js";
import { fieldsJsonSchema } from "./field-schemas.js";

/** One chat message of a rendered prompt (OpenAI's shape; the model adapter's ChatMessage accepts it). */
export interface PromptMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export type RenderableVersion = Pick<CompiledVersion, "description" | "inputs" | "outputs" | "instructions" | "guidelines" | "demos">;

const describeField = (f: SignatureField) =>
  `- ${f.name} (${f.type === "enum" ? `one of ${f.values!.join(", ")}` : f.type}${f.optional ? ", optional" : ""}): ${f.description}`;

// A version is an immutable value (loaded from YAML, or built whole by the compiler), and every
// call of it starts with the same system message: render it once per version object.
const systemPrompts = new WeakMap<RenderableVersion, string>();

/** The system message: what the signature does and exactly what the answer must look like. */
export function renderSystemPrompt(version: RenderableVersion): string {
  let prompt = systemPrompts.get(version);
  if (prompt === undefined) systemPrompts.set(version, (prompt = buildSystemPrompt(version)));
  return prompt;
}

function buildSystemPrompt(version: RenderableVersion): string {
  const parts = [version.description.trim(), `## Instructions\n${version.instructions.trim()}`];
  if (version.guidelines.length > 0) {
    parts.push(`## Guidelines\nLearned from past executions; follow them.\n${version.guidelines.map((g) => `- ${g.text.trim()}`).join("\n")}`);
  }
  parts.push(`## Input fields\n${version.inputs.map(describeField).join("\n")}`);
  parts.push(
    `## Output format\n${version.outputs.map(describeField).join("\n")}\n\n` +
      `Answer with one JSON object and nothing else (no prose, no code fence). It must satisfy this JSON Schema:\n` +
      JSON.stringify(fieldsJsonSchema(version.outputs)),
  );
  return parts.join("\n\n");
}

/** The user turn for one call: the input values as a JSON object in signature field order. */
export function renderInputs(inputs: SignatureField[], values: Record<string, unknown>): string {
  const ordered: Record<string, unknown> = {};
  for (const f of inputs) if (values[f.name] !== undefined && values[f.name] !== null) ordered[f.name] = values[f.name];
  return JSON.stringify(ordered, null, 2);
}

/** The assistant turn of a demo: its outputs as JSON in signature field order. */
export function renderOutputs(outputs: SignatureField[], values: Record<string, unknown>): string {
  const ordered: Record<string, unknown> = {};
  for (const f of outputs) if (values[f.name] !== undefined) ordered[f.name] = values[f.name];
  return JSON.stringify(ordered);
}

/** The full conversation for one call of the signature. */
export function renderMessages(version: RenderableVersion, inputs: Record<string, unknown>): PromptMessage[] {
  const messages: PromptMessage[] = [{ role: "system", content: renderSystemPrompt(version) }, ...renderDemos(version)];
  messages.push({ role: "user", content: renderInputs(version.inputs, inputs) });
  return messages;
}

/** The demos as user/assistant turns, in stored order. */
export function renderDemos(version: RenderableVersion): PromptMessage[] {
  const messages: PromptMessage[] = [];
  for (const demo of version.demos) {
    messages.push({ role: "user", content: renderInputs(version.inputs, demo.input) });
    messages.push({ role: "assistant", content: renderOutputs(version.outputs, demo.output) });
  }
  return messages;
}

/** The repair turn: tells the model exactly what was wrong with its previous answer. */
export function renderRepairPrompt(problems: string): string {
  return (
    `Your previous answer was rejected: ${problems}.\n` +
    `Answer again with one JSON object that satisfies the output schema from the system message, and nothing else.`
  );
}

/** Heading of the learned part of a tool's description. */
export const LEARNED_TOOL_HEADING = "Learned from past runs:";

/** What the model reads about a tool: its hand-written description, then what was learned about it (marked). */
export function toolDescriptionOf(tool: { description: string; learned?: readonly { text: string }[] | undefined }): string {
  const learned = tool.learned ?? [];
  if (learned.length === 0) return tool.description;
  return `${tool.description.trimEnd()}\n\n${LEARNED_TOOL_HEADING}\n${learned.map((g) => `- ${g.text}`).join("\n")}`;
}
