import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { openDatabase } from "../../src/db/database.js";
import { silentLogger } from "../../src/log/logger.js";
import { makeTempDir } from "../support/temp-dir.js";
import { runCli, startServe, type ServeProcess } from "../support/cli.js";
import { calls, generateTraces, insertTraces } from "../support/seed-traces.js";

describe("meta-agent analyze, meta-agent patterns and GET /v1/patterns", () => {
  const tmp = makeTempDir();
  const env = { META_AGENT_DATA_DIR: tmp.dir };
  let serve: ServeProcess | undefined;

  beforeAll(async () => {
    const db = await openDatabase(loadConfig({ env, cwd: tmp.dir }), silentLogger);
    await insertTraces(db.pool, "default", generateTraces({ count: 400, seed: 3, agent: "support", toolCallsPerTrace: 6, successProbability: (t) => (calls(t, "get_user_details", "book_reservation") ? 0.9 : 0.3) }));
    await db.close();
  });
  afterAll(async () => {
    await serve?.stop();
    tmp.remove();
  });

  it("analyze reports the run and the pattern summary", async () => {
    const r = await runCli(["analyze", "--agent", "support"], env, { cwd: tmp.dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/support: full run \S+ read 400 new or updated traces; 400 in the window/);
    expect(r.stdout).toMatch(/Total patterns: \d+ {2}High-confidence patterns: \d+/);
    const again = await runCli(["analyze", "--agent", "support", "--json"], env, { cwd: tmp.dir });
    const runs = JSON.parse(again.stdout) as { mode: string; tracesRead: number }[];
    expect(runs).toEqual([expect.objectContaining({ mode: "incremental", tracesRead: 0 })]);
  });

  it("patterns --json prints an array with the fields a user scripts against", async () => {
    const r = await runCli(["patterns", "--agent", "support", "--type", "success_pattern", "--json"], env, { cwd: tmp.dir });
    expect(r.code).toBe(0);
    const patterns = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(patterns.length).toBeGreaterThan(0);
    for (const p of patterns) {
      expect(p).toEqual(expect.objectContaining({ type: "success_pattern", description: expect.any(String), recommendations: expect.any(Array), support: expect.any(Number), effect: expect.any(Number), confidence: expect.any(Number), actionable: expect.any(Boolean), evidence: expect.objectContaining({ success: expect.any(Array), failure: expect.any(Array) }) }));
    }
    const planted = patterns.find((p) => p["key"] === "success_pattern:before:get_user_details>book_reservation");
    expect(planted).toEqual(expect.objectContaining({ actionable: true, change: "unchanged", recommendations: ["Call get_user_details before book_reservation."] }));
  });

  it("patterns prints a readable table and rejects a bad type naming the flag", async () => {
    const r = await runCli(["patterns"], env, { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Total patterns:");
    expect(r.stdout).toMatch(/ACTIONABLE\s+EVIDENCE\s+CONF\s+CRUDE\s+ADJUSTED\s+SUPPORT\s+CHANGE\s+AGENT\s+TYPE\s+DESCRIPTION/);
    expect(r.stdout).toContain("Call get_user_details before book_reservation.");
    expect(r.stdout).toContain("Compared within");
    const strata = await runCli(["patterns", "--strata", "--json"], env, { cwd: tmp.dir });
    expect(JSON.parse(strata.stdout)).toEqual([expect.objectContaining({ agent: "support", kind: "all", key: "all", size: 400 })]);
    const bad = await runCli(["patterns", "--type", "nonsense"], env, { cwd: tmp.dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--type");
  });

  it("GET /v1/patterns filters by agent, type, confidence and actionability and returns the summary", async () => {
    serve = await startServe(env, { cwd: tmp.dir });
    const res = await fetch(`${serve.url}/v1/patterns?agent=support&type=success_pattern&actionable=true&minConfidence=0.9`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { summary: { totalPatterns: number; highConfidencePatterns: number; byType: Record<string, number> }; patterns: { type: string; actionable: boolean; confidence: number; agent: string }[] };
    expect(body.patterns.length).toBeGreaterThan(0);
    expect(body.patterns.every((p) => p.type === "success_pattern" && p.actionable && p.confidence >= 0.9 && p.agent === "support")).toBe(true);
    expect(body.summary.totalPatterns).toBe(body.patterns.length);
    expect(body.summary.byType["success_pattern"]).toBe(body.patterns.length);
    expect((body as unknown as { strata: { kind: string; size: number }[] }).strata).toEqual([expect.objectContaining({ kind: "all", size: 400 })]);
    const none = await (await fetch(`${serve.url}/v1/patterns?agent=nobody`)).json();
    expect(none).toEqual(expect.objectContaining({ patterns: [] }));
    const bad = await fetch(`${serve.url}/v1/patterns?minConfidence=2`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("minConfidence");
  });
});
