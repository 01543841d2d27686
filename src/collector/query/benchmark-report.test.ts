import { describe, it, expect } from "vitest";
import { toCsv, type BenchmarkRow } from "./benchmark-report.js";

const row = (over: Partial<BenchmarkRow>): BenchmarkRow => ({
  signature: "diagnosis",
  version: "1.0.0",
  runs: 4,
  successRate: 0.5,
  quality: 0.5,
  avgTokens: 250,
  totalTokens: 1000,
  avgLatencyMs: 12.345,
  p95LatencyMs: 20,
  tokenRoi: 2,
  ...over,
});

describe("benchmark CSV", () => {
  it("has a header and one line per signature version with rounded numbers", () => {
    const csv = toCsv([row({}), row({ version: "1.0.1", tokenRoi: null, successRate: null, quality: null })]);
    expect(csv.split("\n")).toEqual([
      "signature,version,runs,success_rate,quality,avg_tokens,total_tokens,avg_latency_ms,p95_latency_ms,token_roi",
      "diagnosis,1.0.0,4,0.5,0.5,250,1000,12.3,20,2",
      "diagnosis,1.0.1,4,,,250,1000,12.3,20,",
      "",
    ]);
  });

  it("quotes cells that contain commas or quotes", () => {
    expect(toCsv([row({ signature: 'a,"b"' })]).split("\n")[1]).toMatch(/^"a,""b""",/);
  });
});
