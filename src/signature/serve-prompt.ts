// Turns a compiled version into the served prompt an agent renders itself (GET /v1/prompts/:name,
// the SDK's getPrompt reading a versions/ checkout). Pure: the same rendering the orchestrator uses.
import { createHash } from "node:crypto";
import { serializeCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import type { ServedPrompt } from "../domain/served-prompt.js";
import { fieldsJsonSchema } from "./field-schemas.js";
import { renderDemos, renderSystemPrompt, toolDescriptionOf } from "./render.js";

/** The served prompt of `version`; `baseline` marks the hand-written 1.0.0. */
export function servedPromptOf(version: CompiledVersion, options: { baseline?: boolean } = {}): ServedPrompt {
  return {
    name: version.name,
    version: version.version,
    baseline: options.baseline ?? false,
    contentHash: createHash("sha256").update(serializeCompiledVersion(version)).digest("hex"),
    system: renderSystemPrompt(version),
    demos: renderDemos(version),
    inputs: version.inputs,
    outputs: version.outputs,
    outputSchema: fieldsJsonSchema(version.outputs),
    // What the agent's model reads: each tool's description with what was learned about it.
    tools: (version.tools ?? []).map((t) => ({ name: t.name, description: toolDescriptionOf(t), parameters: t.parameters })),
    model: version.model,
  };
}
