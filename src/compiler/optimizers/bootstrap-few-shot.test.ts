import { describe, expect, it } from "vitest";
import { SignatureSchema } from "../../domain/signature.js";
import { HashingEmbedder } from "../../llm/hashing-embedder.js";
import type { Example } from "../example.js";
import { demoPool, selectDemos } from "./bootstrap-few-shot.js";
import { selectMmr } from "./mmr.js";

const signature = SignatureSchema.parse({
  name: "triage",
  description: "d",
  inputs: [{ name: "ticketText", description: "t" }],
  outputs: [{ name: "queue", description: "q" }],
  instructions: "i",
  metric: { name: "exact_match", threshold: 0.8 },
});
const ex = (id: string, text: string, success: boolean | null, score: number | null = null): Example => ({
  id,
  input: { ticketText: text },
  output: success ? { queue: "billing" } : { queue: "wrong" },
  success,
  score,
  feedback: null,
  startedAt: "2026-01-01T00:00:00Z",
});

describe("bootstrap few-shot", () => {
  it("takes demos only from successful traces at or above the metric threshold, one per input", () => {
    const pool = demoPool(signature, [ex("a", "refund please", true), ex("b", "refund please", true), ex("c", "card declined", false), ex("d", "invoice wrong", true, 0.5), ex("e", "login broken", null), ex("f", "vat id", true, 0.9)]);
    expect(pool.map((e) => e.id)).toEqual(["a", "f"]);
  });

  it("chooses diverse demos: near-duplicates are not picked together", async () => {
    const texts = ["refund for order 1", "refund for order 2", "refund for order 3", "password reset link expired", "invoice shows wrong VAT rate"];
    for (const embedder of [undefined, new HashingEmbedder()]) {
      const picked = await selectMmr(texts, 3, embedder ? { embedder } : {});
      expect(picked.filter((i) => i < 3)).toHaveLength(1);
    }
    const { demos, retrieved } = await selectDemos(signature, texts.map((t, i) => ex(`t${i}`, t, true)), 2);
    expect(demos).toHaveLength(2);
    expect(demos.every((d) => d.traceId && d.output.queue === "billing")).toBe(true);
    expect(retrieved).toBe(0);
  });

  it("lets given relevance scores (closeness to the inputs to serve) lead MMR, still avoiding near-duplicates", async () => {
    const texts = ["refund for order 1", "refund for order 2", "password reset link expired", "invoice shows wrong VAT rate"];
    for (const embedder of [undefined, new HashingEmbedder()]) {
      const picked = await selectMmr(texts, 2, { ...(embedder ? { embedder } : {}), relevance: [0.9, 0.89, 0.2, 0.7] });
      expect(picked).toEqual([0, 3]);
    }
    await expect(selectMmr(texts, 2, { relevance: [1] })).rejects.toThrow(/1 scores for 4 texts/);
  });
});
