// Version 1.0.0 of a signature: its hand-written source (`prompts/<name>.yaml`) as a compiled
// version, so the original prompt is always reachable for rollback (backup_original_prompts).
import type { CompiledVersion } from "./compiled-version.js";
import type { Signature } from "./signature.js";

/** The hand-written baseline as compiled version 1.0.0: its instructions, no guidelines, no demos. */
export function baselineVersion(signature: Signature, compiledAt: Date | string = new Date()): CompiledVersion {
  return {
    name: signature.name,
    version: "1.0.0",
    parent: null,
    compiledAt: typeof compiledAt === "string" ? compiledAt : compiledAt.toISOString(),
    description: signature.description,
    inputs: signature.inputs,
    outputs: signature.outputs,
    ...(signature.tools && signature.tools.length > 0 ? { tools: signature.tools } : {}),
    instructions: signature.instructions,
    guidelines: [],
    demos: [],
    model: signature.model,
    evaluation: null,
    provenance: { optimizer: "baseline", llmCalls: 0, tokens: 0 },
  };
}
