import { describe, expect, it } from "vitest";
import { HashingEmbedder, cosineSimilarity } from "./hashing-embedder.js";

const PAIRS: { a: string; paraphrase: string; unrelated: string }[] = [
  {
    a: "The database connection pool is exhausted, requests are timing out",
    paraphrase: "Requests time out because the DB connection pool was exhausted",
    unrelated: "Deploy the new frontend bundle to the CDN after the build finishes",
  },
  {
    a: "Disk is full on node-3: no space left on device",
    paraphrase: "node-3 ran out of disk space (No space left on device)",
    unrelated: "The customer wants a refund for the duplicated invoice",
  },
  {
    a: "How do I reset my account password?",
    paraphrase: "I need to reset the password of my account",
    unrelated: "Which regions does the service support for backups?",
  },
  {
    a: "Restart the payment service after the memory leak alert",
    paraphrase: "Restarting payment-service fixes the memory leak alerts",
    unrelated: "Summarise the quarterly marketing report for the board",
  },
];

describe("HashingEmbedder", () => {
  const embedder = new HashingEmbedder();

  it("names its model after its dimension and returns unit vectors of that dimension", async () => {
    expect(embedder.model).toBe("hash-384");
    expect(embedder.dimension).toBe(384);
    const [v] = await embedder.embed(["some text about a disk"]);
    expect(v).toHaveLength(384);
    expect(Math.hypot(...v!)).toBeCloseTo(1, 9);
  });

  it("puts paraphrases clearly closer than unrelated texts", async () => {
    for (const { a, paraphrase, unrelated } of PAIRS) {
      const [va, vp, vu] = await embedder.embed([a, paraphrase, unrelated]);
      const close = cosineSimilarity(va!, vp!);
      const far = cosineSimilarity(va!, vu!);
      expect(close, `${a} ~ ${paraphrase}`).toBeGreaterThan(0.45);
      expect(far, `${a} vs ${unrelated}`).toBeLessThan(0.2);
      expect(close - far).toBeGreaterThan(0.3);
    }
  });

  it("is deterministic across instances and calls", async () => {
    const text = "Kernel panic after upgrading the NIC driver";
    const [a] = await new HashingEmbedder().embed([text]);
    const [b] = await new HashingEmbedder().embed([text]);
    expect(a).toEqual(b);
    expect(embedder.embedOne(text)).toEqual(a);
  });

  it("is insensitive to case, accents and punctuation", () => {
    expect(cosineSimilarity(embedder.embedOne("Café crashed!"), embedder.embedOne("cafe CRASHED"))).toBeCloseTo(1, 9);
  });

  it("returns a zero vector for text without words instead of dividing by zero", () => {
    const v = embedder.embedOne("  ... !!! ");
    expect(v.every((x) => x === 0)).toBe(true);
  });

  it("supports other dimensions and rejects absurd ones", () => {
    const small = new HashingEmbedder({ dimension: 64 });
    expect(small.model).toBe("hash-64");
    expect(small.embedOne("hello world")).toHaveLength(64);
    expect(() => new HashingEmbedder({ dimension: 2 })).toThrow(/dimension/);
  });
});
