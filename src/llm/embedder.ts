// The Embedder port: text → vectors. Each vector records the model and dimension that made it,
// so an index never mixes models.

export interface Embedder {
  /** Model identifier stored with every vector (e.g. `hash-384` or `BAAI/bge-small-en-v1.5`). */
  readonly model: string;
  readonly dimension: number;
  /** Embeds texts in order; implementations batch internally. */
  embed(texts: string[]): Promise<number[][]>;
}
