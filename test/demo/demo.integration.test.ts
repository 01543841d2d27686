// `npm run demo` end to end (in-process): a cycle with too few traces, then one that promotes a
// version that measurably does better on new traffic.
import { describe, it, expect, afterAll } from "vitest";
import { demoConfig, runDemo } from "../../src/demo/run-demo.js";
import { startService } from "../../src/main.js";
import { silentLogger } from "../../src/log/logger.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("the demo", () => {
  const tmp = makeTempDir("meta-agent-demo-test-");
  afterAll(() => tmp.remove());

  // A whole demo: two learning cycles, the search optimizer's ~110 model calls and 90 runs (one to
  // three minutes on a loaded 2-core machine).
  it("learns a better diagnosis prompt and shows its history, diff and score change", { timeout: 300_000 }, async () => {
    const lines: string[] = [];
    const result = await runDemo({ dir: tmp.dir, print: (l) => lines.push(l) });
    expect(result.firstCycle.status).toBe("idle");
    expect(result.secondCycle.status).toBe("completed");
    expect(result.promotedVersion).toBe("1.0.1");
    expect(result.history).toHaveLength(2);
    expect(result.diff).toContain("+demos:");
    expect(result.after.correct / result.after.runs).toBeGreaterThan(result.before.correct / result.before.runs + 0.3);
    expect(result.report.map((r) => r.version)).toEqual(["1.0.0", "1.0.1"]);
    const text = lines.join("\n");
    expect(text).toContain("min_traces_for_analysis (10)");
    expect(text).toContain("The diff 1.0.0 → 1.0.1");
    // The whole loop is visible: the planted failure pattern, the guideline it became, the demos,
    // the dev set of the configured size, and tokens per run before and after.
    expect(text).toMatch(/\[failure_pattern, direct evidence, confidence [\d.]+\] Common failure point: restart_pod fails/);
    expect(text).toMatch(/guideline: "Before calling restart_pod/);
    expect(text).toMatch(/demo: \{"incidentReport"/);
    expect(text).toContain("Dev set: 20 held-out incidents (dev_set_size)");
    expect(text).toMatch(/tokens per run \d+ \(was \d+\)/);
    expect(result.diff).toContain("+guidelines:");
  });

  it("then serves the dashboard over the demo's own data, as `npm run demo` does", async () => {
    const service = await startService(demoConfig(tmp.dir, "http://127.0.0.1:9/v1", { PORT: "0", LEARNING_INTERVAL: "86400" }), silentLogger);
    try {
      const page = async (p: string) => {
        const res = await fetch(`${service.url}${p}`);
        expect(res.status, p).toBe(200);
        return res.text();
      };
      const overview = await page("/ui");
      expect(overview).toContain("diagnosis · diagnosis");
      expect(overview).toMatch(/Served version<\/dt><dd><a href="\/ui\/versions\/diagnosis">1\.0\.1</);
      expect(await page("/ui/findings")).toMatch(/Tool: get_events[\s\S]*Failure reasons[\s\S]*timeout after/);
      const versions = await page("/ui/versions/diagnosis");
      expect(versions).toContain('data-chart="scores"');
      expect(versions).toContain("Diff 1.0.0 → 1.0.1");
      expect(await page("/ui/learning")).toContain("promoted");
    } finally {
      await service.close();
    }
  });
});
