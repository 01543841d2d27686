// Version 1.0.0 of a signature: its hand-written source (`prompts/<name>.yaml`) as a compiled
// version, so the original prompt is always reachable for rollback (backup_original_prompts).
import type { CompiledVersion } from "../domain/compiled-version.js";
import type { Signature } from "../domain/signature.js";

/** The hand-written baseline as compiled version 1.0.0. */
export function baselineVersion(signature: Signature, compiledAt: string = new Date().toISOString()): CompiledVersion {
  return {
    name: signature.name,
    version: "1.0.0",
    parent: null,
    compiledAt,
    description: signature.description,
    inputs: signature.inputs,
    outputs: signature.outputs,
    instructions: signature.instructions,
    guidelines: [],
    demos: [],
    model: signature.model,
    evaluation: null,
    provenance: { optimizer: "baseline", llmCalls: 0, tokens: 0 },
  };
}
