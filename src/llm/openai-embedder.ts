// Embedder for OpenAI-compatible /v1/embeddings endpoints (vLLM, TEI, OpenAI) on the `openai`
// SDK: batches texts, keeps input order, checks every vector's dimension, retries like chat calls.
import type OpenAI from "openai";
import { createOpenAIClient } from "./openai-client.js";
import { z } from "zod";
import type { Logger } from "../log/logger.js";
import { formatZodIssues } from "../domain/format-issues.js";
import type { Embedder } from "./embedder.js";
import { LlmError } from "./errors.js";
import { withRetry } from "./retry.js";

export interface OpenAIEmbedderOptions {
  /** Endpoint base URL including `/v1`. */
  baseURL: string;
  /** Embedding model name (e.g. `BAAI/bge-small-en-v1.5`). */
  model: string;
  /** API key (default "unused"). */
  apiKey?: string;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Expected dimension; unset: discovered from the first response. */
  dimension?: number;
  /** Timeout of one request in ms (default 60 000). */
  timeoutMs?: number;
  /** Retries on retryable errors (default 3). */
  maxRetries?: number;
  /** First backoff in ms (default 500). */
  retryBaseDelayMs?: number;
  logger?: Logger;
  fetch?: typeof fetch;
}

const EmbeddingListSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
});

export class OpenAIEmbedder implements Embedder {
  readonly model: string;
  private readonly client: OpenAI;
  private readonly batchSize: number;
  private knownDimension: number | undefined;

  constructor(private readonly options: OpenAIEmbedderOptions) {
    if (!options.model) throw new LlmError("config", "no embedding model configured (set EMBEDDINGS_MODEL)");
    this.model = options.model;
    this.batchSize = options.batchSize ?? 64;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new LlmError("config", `batch size must be a positive integer (got ${this.batchSize})`);
    this.knownDimension = options.dimension;
    this.client = createOpenAIClient(options);
  }

  /**
   * The vector dimension: configured, or learnt from the first response. Throws before either;
   * call `resolveDimension()` to probe the endpoint when it must be known up front.
   */
  get dimension(): number {
    if (this.knownDimension === undefined) {
      throw new LlmError("config", `dimension of ${this.model} is not known yet: set EMBEDDINGS_DIMENSION or call resolveDimension() first`);
    }
    return this.knownDimension;
  }

  /** The dimension, embedding a probe text if it is not known yet. */
  async resolveDimension(): Promise<number> {
    if (this.knownDimension === undefined) await this.embed(["dimension probe"]);
    return this.knownDimension!;
  }

  async embed(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) out.push(...(await this.embedBatch(texts.slice(i, i + this.batchSize))));
    return out;
  }

  private async embedBatch(batch: string[]): Promise<number[][]> {
    // OpenAI rejects empty strings; a single space embeds as "nothing" everywhere.
    const input = batch.map((t) => (t === "" ? " " : t));
    const body = await withRetry(
      async () => {
        // float, not the SDK's default base64: TEI and older vLLM do not all support base64.
        const res = (await this.client.embeddings.create({ model: this.model, input, encoding_format: "float" })) as unknown;
        const parsed = EmbeddingListSchema.safeParse(res);
        if (!parsed.success) throw new LlmError("invalid_response", `embeddings response is not valid: ${typeof res === "string" ? "not JSON" : formatZodIssues(parsed.error.issues)}`);
        if (parsed.data.data.length !== input.length) {
          throw new LlmError("invalid_response", `embeddings response has ${parsed.data.data.length} vectors for ${input.length} inputs`);
        }
        return parsed.data;
      },
      {
        what: `embeddings (${this.model})`,
        ...(this.options.maxRetries !== undefined ? { maxRetries: this.options.maxRetries } : {}),
        ...(this.options.retryBaseDelayMs !== undefined ? { baseDelayMs: this.options.retryBaseDelayMs } : {}),
        ...(this.options.logger ? { logger: this.options.logger } : {}),
      },
    );
    const vectors = [...body.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    for (const v of vectors) {
      this.knownDimension ??= v.length;
      if (v.length !== this.knownDimension) {
        throw new LlmError("invalid_response", `embedding model ${this.model} returned dimension ${v.length}, expected ${this.knownDimension}`);
      }
    }
    return vectors;
  }
}
