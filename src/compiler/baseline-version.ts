// The first compiled version of a signature: the hand-written baseline, version 1.0.0.
import type { CompiledVersion } from "../domain/compiled-version.js";
import type { Signature } from "../domain/signature.js";

/** Builds version 1.0.0 from a signature source: its instructions, no guidelines, no demos. */
export function baselineVersion(signature: Signature, compiledAt: Date = new Date()): CompiledVersion {
  return {
    name: signature.name,
    version: "1.0.0",
    parent: null,
    compiledAt: compiledAt.toISOString(),
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
