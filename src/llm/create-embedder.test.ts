import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.js";
import { makeTempDir } from "../../test/support/temp-dir.js";
import { createEmbedder } from "./create-embedder.js";
import { createChatModel, isChatModelConfigured } from "./create-chat-model.js";
import { OpenAIEmbedder } from "./openai-embedder.js";

describe("LLM factories from configuration", () => {
  const tmp = makeTempDir();
  const config = (env: Record<string, string>) => loadConfig({ env, cwd: tmp.dir });

  it("uses the local sentence encoder when no embeddings endpoint is configured, and hashing when asked", () => {
    // Building it loads nothing: the model loads on first use.
    expect(createEmbedder(config({})).model).toBe("use-lite-512");
    expect(createEmbedder(config({ EMBEDDER: "hash" })).model).toBe("hash-384");
    expect(createEmbedder(config({ EMBEDDER: "hash", EMBEDDINGS_DIMENSION: "256" })).dimension).toBe(256);
  });

  it("uses the OpenAI-compatible embedder with its batch size and dimension when an endpoint is set", () => {
    const e = createEmbedder(config({ EMBEDDINGS_BASE_URL: "http://127.0.0.1:9/v1", EMBEDDINGS_MODEL: "bge-small", EMBEDDINGS_DIMENSION: "384", EMBEDDINGS_BATCH_SIZE: "8" }));
    expect(e).toBeInstanceOf(OpenAIEmbedder);
    expect(e.model).toBe("bge-small");
    expect(e.dimension).toBe(384);
  });

  it("rejects bad LLM settings at load time with the key named", () => {
    expect(() => config({ LLM_MAX_RETRIES: "-1" })).toThrow(/LLM_MAX_RETRIES/);
    expect(() => config({ EMBEDDINGS_BATCH_SIZE: "0" })).toThrow(/EMBEDDINGS_BATCH_SIZE/);
  });

  it("builds the chat model only when an endpoint and a model are configured", () => {
    expect(isChatModelConfigured(config({}))).toBe(false);
    const c = config({ LLM_BASE_URL: "http://127.0.0.1:9/v1", LLM_MODEL: "qwen", LLM_TIMEOUT_MS: "1000" });
    expect(isChatModelConfigured(c)).toBe(true);
    expect(createChatModel(c).model).toBe("qwen");
    expect(() => createChatModel(config({ LLM_MODEL: "qwen" }))).toThrow(/LLM_BASE_URL/);
  });
});
