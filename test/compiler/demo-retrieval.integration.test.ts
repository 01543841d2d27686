// Similar-trace retrieval in the compiler's demo selection: real embedded Postgres with pgvector,
// the product's offline hashing embedder, planted incident families.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { DNS, DNS_WRONG, OOM, OOM_WRONG, diagnosisTraces, insertTraces } from "../support/compiler-fixtures.js";
import { testEmbedder } from "../support/embedder.js";
import { SentenceEncoderHost } from "../../src/llm/sentence-encoder-host.js";
import { LocalEmbedder } from "../../src/llm/local-embedder.js";
import { captureLogger } from "../support/log-capture.js";
import { silentLogger } from "../../src/log/logger.js";
import { loadConfig } from "../../src/config/index.js";
import { createSimilarTraces } from "../../src/memory/similar-traces.js";
import { createDemoRetriever } from "../../src/compiler/create-demo-retriever.js";
import { createCompileDeps } from "../../src/compiler/create-compile-deps.js";
import { compileSignature, type CompileDeps } from "../../src/compiler/compile-signature.js";
import { loadSignature } from "../../src/signature/load-signatures.js";
import { loadExamples } from "../../src/compiler/load-examples.js";
import { resolveMetric } from "../../src/compiler/metrics/resolve-metric.js";
import { bootstrapFewShot } from "../../src/compiler/optimizers/bootstrap-few-shot.js";
import { baselineVersion } from "../../src/domain/baseline-version.js";
import { createInMemoryPromptStore } from "../../src/registry/prompt-store.js";
import type { Example } from "../../src/compiler/example.js";
import { createTraceSource } from "../../src/collector/query/create-trace-source.js";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));
const DISK = { faultDetected: true, faultType: "resource_exhaustion", rootCause: "the node's disk is full", nextTools: [] };
const DISK_WRONG = { faultDetected: false, faultType: "none", rootCause: "nothing wrong", nextTools: [] };
const family = (id: string) => id.split("-")[0]!;

describe("similar-trace retrieval for demo selection", () => {
  let t: TestDatabase;
  const embedder = testEmbedder();
  const memory = () => createSimilarTraces({ db: t.db, traces: createTraceSource(t.db), embedder });

  beforeAll(async () => {
    t = await createTestDatabase();
    // Three incident families, each with successful and failed traces.
    await insertTraces(t.db.pool, "acme", [
      ...diagnosisTraces({ prefix: "oom", symptom: "container OOMKilled after the memory limit was lowered", gold: OOM, wrong: OOM_WRONG, ok: 14, failed: 4 }),
      ...diagnosisTraces({ prefix: "dns", symptom: "lookup orders-db: NXDOMAIN, DNS resolution fails", gold: DNS, wrong: DNS_WRONG, ok: 14, failed: 4 }),
      ...diagnosisTraces({ prefix: "disk", symptom: "node disk pressure, kubelet evicts pods", gold: DISK, wrong: DISK_WRONG, ok: 14, failed: 4 }),
    ]);
  });
  afterAll(async () => t?.close());

  const examples = async (tenant = "acme") => (await loadExamples(t.db.pool, tenant, (await loadSignature(PROMPTS, "diagnosis")).signature)).examples;
  /** Dev inputs of the OOM family only; training is everything else. */
  const oomSplit = (all: Example[]) => {
    const devIds = new Set(["oom-ok-0", "oom-ok-5", "oom-ok-9", "oom-ok-13"]);
    return { dev: all.filter((e) => devIds.has(e.id)), train: all.filter((e) => !devIds.has(e.id)) };
  };

  it("never returns dev-set traces or failed traces, even when they are offered and nearest", async () => {
    const all = await examples();
    const { dev } = oomSplit(all);
    // Failed traces whose inputs are exactly the dev inputs: the nearest possible, and never demos.
    await insertTraces(t.db.pool, "acme", dev.map((e, i) => ({ id: `oom-copyfail-${i}`, signature: "diagnosis", input: e.input, output: OOM_WRONG, success: false, startedAt: "2026-02-01T00:00:00Z" })));
    const retrieve = createDemoRetriever(memory(), { tenant: "acme", signature: "diagnosis", targets: dev, logger: silentLogger });
    const offered = await examples();
    expect(offered.some((e) => e.id.startsWith("oom-copyfail"))).toBe(true);

    const retrieved = await retrieve(offered, 50);
    const ids = retrieved.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) {
      expect(dev.map((e) => e.id)).not.toContain(id);
      expect(id).toMatch(/^(oom|dns|disk)-ok-\d+$/);
    }
    // Most similar first, and the OOM neighbours lead.
    expect(retrieved.map((r) => r.similarity)).toEqual([...retrieved.map((r) => r.similarity)].sort((a, b) => b - a));
    expect(ids.slice(0, 10).every((id) => family(id) === "oom")).toBe(true);
    await t.db.pool.query(`DELETE FROM traces WHERE id LIKE 'oom-copyfail-%'`);
  });

  it("returns only offered candidates, and nothing when no candidate is left", async () => {
    const all = await examples();
    const { dev } = oomSplit(all);
    const retrieve = createDemoRetriever(memory(), { tenant: "acme", signature: "diagnosis", targets: dev, logger: silentLogger });
    const dnsOnly = all.filter((e) => family(e.id) === "dns");
    const ids = (await retrieve(dnsOnly, 3)).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => family(id) === "dns" && id.includes("-ok-"))).toBe(true);
    expect(await retrieve(dev, 3)).toEqual([]);
  });

  it("chooses demos from the family of the dev inputs, where MMR over the whole pool would mix families", async () => {
    const { signature } = await loadSignature(PROMPTS, "diagnosis");
    const metric = await resolveMetric(signature, { signatureFile: `${PROMPTS}/diagnosis.yaml` });
    const { dev, train } = oomSplit(await examples());
    const current = baselineVersion(signature, new Date("2026-01-01T00:00:00Z"));
    const base = { patterns: { patterns: [] }, confidenceThreshold: 0.7, maxDemos: 4, seed: "diagnosis", logger: silentLogger, embedder };

    const plain = await bootstrapFewShot.compile(signature, current, train, metric, base);
    expect(new Set(plain.demos.map((d) => family(d.traceId!))).size).toBeGreaterThan(1);

    const retrieveDemos = createDemoRetriever(memory(), { tenant: "acme", signature: "diagnosis", targets: dev, logger: silentLogger });
    const near = await bootstrapFewShot.compile(signature, current, train, metric, { ...base, retrieveDemos });
    expect(near.demos).toHaveLength(4);
    expect(near.demos.map((d) => family(d.traceId!))).toEqual(["oom", "oom", "oom", "oom"]);
    expect(near.demos.every((d) => d.traceId!.includes("-ok-") && !dev.some((e) => e.id === d.traceId))).toBe(true);
    expect(new Set(near.demos.map((d) => d.traceId)).size).toBe(4);
    expect(near.notes[0]).toMatch(/^4 demo\(s\) chosen from \d+ successful training trace\(s\), 4 of them among the \d+ nearest to the dev-set inputs: oom-ok-/);
  });

  it("indexes only the candidate demos (successful training traces) when compiling and never takes a demo from the dev set", async () => {
    const store = createInMemoryPromptStore();
    const deps: CompileDeps = {
      db: t.db,
      store,
      embedder,
      similarTraces: memory(),
      logger: silentLogger,
      settings: { promptsDir: PROMPTS, defaultOptimizer: "bootstrap-few-shot", devSetSize: 6, minImprovement: 0.02, promotionConfidence: 0.95, confidenceThreshold: 0.7, maxLlmCalls: 10, maxTokens: 10_000, maxDemos: 4, backupOriginalPrompts: true },
    };
    await insertTraces(t.db.pool, "beta", diagnosisTraces({ prefix: "oom", symptom: "container OOMKilled again", gold: OOM, wrong: OOM_WRONG, ok: 12, failed: 2 }));
    const report = await compileSignature(deps, { tenant: "beta", name: "diagnosis" });
    expect(report.data.dev).toBe(6);
    const { rows } = await t.db.pool.query<{ trace_id: string }>(`SELECT trace_id FROM trace_embeddings WHERE tenant_id = 'beta' AND signature = 'diagnosis'`);
    const embedded = rows.map((r) => r.trace_id);
    // 14 traces: 6 form the dev set and 2 failed, so 6 successful training traces are candidates.
    expect(embedded).toHaveLength(6);
    for (const id of embedded) {
      expect(report.data.devIds).not.toContain(id);
      expect(id).toMatch(/^oom-ok-/);
    }
    const demos = report.candidate!.demos;
    expect(demos).toHaveLength(4);
    for (const d of demos) {
      expect(report.data.devIds).not.toContain(d.traceId);
      expect(d.traceId).toMatch(/^oom-ok-/);
    }
    expect(report.notes[0]).toContain("nearest to the dev-set inputs");
  });

  it("falls back to demos from the whole pool, with a warning, when the similar-trace index cannot be used", async () => {
    // A local encoder whose worker was stopped: every embedding call fails.
    const host = new SentenceEncoderHost();
    await host.close();
    const other = new LocalEmbedder(host);
    const capture = captureLogger();
    const { dev, train } = oomSplit(await examples());
    const retrieve = createDemoRetriever(createSimilarTraces({ db: t.db, traces: createTraceSource(t.db), embedder: other }), { tenant: "acme", signature: "diagnosis", targets: dev, logger: capture.logger });
    expect(await retrieve(train, 4)).toEqual([]);
    expect(capture.events("demo-retrieval-failed")).toEqual([expect.objectContaining({ stage: "index", signature: "diagnosis" })]);
  });

  it("is wired from configuration: on by default with the configured embedder, off with demo_retrieval false", async () => {
    const store = createInMemoryPromptStore();
    const registry = { db: t.db, store, dataDir: t.dataDir, backupOriginalPrompts: true, logger: silentLogger };
    const on = await createCompileDeps({ config: loadConfig({ env: {}, cwd: PROMPTS }), db: t.db, logger: silentLogger, registry });
    expect(on.compile.similarTraces).toBeDefined();
    const off = await createCompileDeps({ config: loadConfig({ env: { DEMO_RETRIEVAL: "false" }, cwd: PROMPTS }), db: t.db, logger: silentLogger, registry });
    expect(off.compile.similarTraces).toBeUndefined();
    expect(() => loadConfig({ env: { DEMO_RETRIEVAL: "sometimes" }, cwd: PROMPTS })).toThrow(/demo_retrieval|DEMO_RETRIEVAL/);
  });
});
