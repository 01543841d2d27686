import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OpenAIEmbedder } from "../../src/llm/openai-embedder.js";
import { createEmbedder } from "../../src/llm/create-embedder.js";
import { HashingEmbedder, cosineSimilarity } from "../../src/llm/hashing-embedder.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";

const CONFIG = { embeddingsBatchSize: 64, llmTimeoutMs: 5000, llmMaxRetries: 2, llmRetryBaseDelayMs: 1 };

describe("OpenAI-compatible Embedder against the simulator", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ bank: { embeddingDimension: 128 } });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.clearFaults(true);
    sim.resetCalls();
  });

  it("batches texts, keeps their order and discovers the dimension from the first response", async () => {
    const embedder = new OpenAIEmbedder({ baseURL: sim.baseURL, model: "sim-embed", batchSize: 3 });
    expect(() => embedder.dimension).toThrow(/EMBEDDINGS_DIMENSION/);
    const texts = Array.from({ length: 7 }, (_, i) => `incident number ${i} on host ${i * 7}`);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(7);
    expect(embedder.dimension).toBe(128);
    expect(sim.calls.map((c) => (c.body.input as string[]).length)).toEqual([3, 3, 1]);
    // Same vectors as the simulator's hashing embedder, in input order.
    const local = new HashingEmbedder({ dimension: 128 });
    vectors.forEach((v, i) => expect(cosineSimilarity(v, local.embedOne(texts[i]!))).toBeCloseTo(1, 5));
  });

  it("is deterministic and keeps paraphrases closer than unrelated texts", async () => {
    const embedder = new OpenAIEmbedder({ baseURL: sim.baseURL, model: "sim-embed" });
    const [a, p, u] = await embedder.embed(["The disk is full on node-3", "node-3 disk full", "Customer asks for an invoice refund"]);
    const [a2] = await embedder.embed(["The disk is full on node-3"]);
    expect(a2).toEqual(a);
    expect(cosineSimilarity(a!, p!)).toBeGreaterThan(cosineSimilarity(a!, u!) + 0.3);
  });

  it("refuses vectors whose dimension differs from the configured one", async () => {
    const embedder = new OpenAIEmbedder({ baseURL: sim.baseURL, model: "sim-embed", dimension: 384 });
    expect(embedder.dimension).toBe(384);
    await expect(embedder.embed(["x"])).rejects.toMatchObject({ kind: "invalid_response", message: expect.stringMatching(/dimension 128, expected 384/) });
  });

  it("retries a failing batch and resolves the dimension by probing", async () => {
    sim.setFault({ mode: "http_500", endpoint: "embeddings", times: 1 });
    const embedder = new OpenAIEmbedder({ baseURL: sim.baseURL, model: "sim-embed", retryBaseDelayMs: 1 });
    expect(await embedder.resolveDimension()).toBe(128);
    expect(sim.calls.map((c) => c.status)).toEqual([500, 200]);
  });

  it("is chosen by configuration: the endpoint when EMBEDDINGS_BASE_URL is set, hashing when asked", async () => {
    const remote = createEmbedder({ ...CONFIG, embeddingsBaseUrl: sim.baseURL, embeddingsModel: "sim-embed", embeddingsDimension: 128 });
    expect(remote.model).toBe("sim-embed");
    expect(await remote.embed(["a", "b"])).toHaveLength(2);
    const offline = createEmbedder({ ...CONFIG, embedder: "hash" });
    expect(offline.model).toBe("hash-384");
    expect(createEmbedder({ ...CONFIG, embedder: "hash", embeddingsDimension: 256 }).dimension).toBe(256);
    expect(() => createEmbedder({ ...CONFIG, embeddingsBaseUrl: sim.baseURL })).toThrow(/EMBEDDINGS_MODEL/);
  });
});
