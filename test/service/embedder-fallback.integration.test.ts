// A service whose local sentence encoder cannot load still starts, on the hashing embedder, and
// says so: the log, /readyz and `meta-agent status` (through the state file).
import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { captureLogger } from "../support/log-capture.js";
import { startService, type Service } from "../../src/main.js";
import { createEmbedder } from "../../src/llm/create-embedder.js";
import { LocalEmbedder } from "../../src/llm/local-embedder.js";
import { describeEmbedder } from "../../src/memory/describe-embedder.js";
import { waitFor } from "../support/wait-for.js";

describe("service start with a local model that cannot load", () => {
  let t: TestDatabase;
  let service: Service;
  const capture = captureLogger("info");
  beforeAll(async () => {
    // The local encoder is configured (and fails to load): the tests' hashing pin does not apply.
    t = await createTestDatabase({ PORT: "0", EMBEDDER: "local" });
    const embedder = createEmbedder(t.config, { logger: capture.logger, local: new LocalEmbedder({ modelPackage: "@energetic-ai/missing-model" }) });
    service = await startService(t.config, capture.logger, { database: Promise.resolve(t.db), embedder });
  });
  afterAll(async () => {
    await service.close();
    await t.close();
  });

  it("serves on the hashing embedder and reports the fallback in the log, /readyz and status", async () => {
    await waitFor(async () => capture.events("embedder-fallback").length === 1);
    expect(capture.events("embedder-fallback")[0]).toMatchObject({ level: 50, configured: "use-lite-512", model: "hash-384" });
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", embedder: { configured: "local", model: "hash-384", state: "fallback", reason: expect.stringMatching(/missing-model/) } });
    const status = await describeEmbedder(t.db, t.config, "default");
    expect(status).toMatchObject({ state: "fallback", model: "hash-384" });
    expect(status.summary).toMatch(/FALLBACK/);
  });
});
