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
  pricedRuns: 0,
  totalCostUsd: null,
  avgCostUsd: null,
  costRoi: null,
  ...over,
});

describe("benchmark CSV", () => {
  it("has a header and one line per signature version with rounded numbers", () => {
    const csv = toCsv([row({ pricedRuns: 3, totalCostUsd: 0.00075, avgCostUsd: 0.00025, costRoi: 2000 }), row({ version: "1.0.1", tokenRoi: null, successRate: null, quality: null })]);
    expect(csv.split("\n")).toEqual([
      "signature,version,runs,success_rate,quality,avg_tokens,total_tokens,avg_latency_ms,p95_latency_ms,token_roi,priced_runs,total_cost_usd,avg_cost_usd,quality_per_usd",
      "diagnosis,1.0.0,4,0.5,0.5,250,1000,12.3,20,2,3,0.00075,0.00025,2000",
      "diagnosis,1.0.1,4,,,250,1000,12.3,20,,0,,,",
      "",
    ]);
  });

  it("quotes cells that contain commas or quotes", () => {
    expect(toCsv([row({ signature: 'a,"b"' })]).split("\n")[1]).toMatch(/^"a,""b""",/);
  });
});
