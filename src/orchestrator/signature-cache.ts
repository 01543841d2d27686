// The hook runSignature uses for a semantic cache (issue 9, src/memory/semantic-cache.ts): the
// two calls it needs, so the orchestrator does not depend on how the cache is built. The issue-9
// `SemanticCache` satisfies this interface as is.

export interface SignatureCacheKey {
  tenant: string;
  signature: string;
  /** The version that would run; entries of other versions are never served. */
  version: string;
  inputs: Record<string, unknown>;
}

export type SignatureCacheLookup = { hit: true; output: unknown; similarity: number } | { hit: false; key?: unknown };

export interface SignatureCache {
  lookup(input: SignatureCacheKey): Promise<SignatureCacheLookup>;
  /** Stores the output after a miss; `key` is what the missed lookup returned (saves an embedding). */
  store(input: SignatureCacheKey & { output: unknown; key?: unknown }): Promise<unknown>;
}
