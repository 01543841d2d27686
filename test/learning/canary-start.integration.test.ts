// Where a canary starts: compileAndRecord starts one for a candidate that passes the gate only for
// a tenant that enabled canaries (the others get the gate's commit, as before), and records a
// second passing candidate as rejected while the first canary runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { makeTempDir } from "../support/temp-dir.js";
import { silentLogger } from "../../src/log/logger.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { createChatModel } from "../../src/llm/create-chat-model.js";
import { createCompileDeps } from "../../src/compiler/create-compile-deps.js";
import { compileAndRecord } from "../../src/compiler/compile-and-record.js";
import { listCanaries } from "../../src/registry/canary/canary-store.js";
import { listMirror } from "../../src/registry/version-mirror.js";
import { ensureTenant } from "../../src/tenancy/ensure-tenant.js";
import { baselineVersion } from "../../src/domain/baseline-version.js";
import { parseSignature } from "../../src/domain/signature.js";
import { BANK, SIGNATURE_NAME, SIGNATURE_SOURCE } from "../../src/demo/demo-scenario.js";
import { createDemoWorkspace, type DemoWorkspace } from "../../src/demo/demo-workspace.js";
import { generateTraffic } from "../../src/demo/generate-traffic.js";

describe("starting canaries", () => {
  let t: TestDatabase;
  let sim: Simulator;
  let tmp: ReturnType<typeof makeTempDir>;
  let repoDir: string;
  let git: DemoWorkspace["git"];

  beforeAll(async () => {
    tmp = makeTempDir("meta-agent-canary-start-");
    // The demo's repository: the hand-written diagnosis prompt committed on main.
    ({ repoDir, git } = createDemoWorkspace(tmp.dir));
    sim = await startSimulator({ bank: BANK });
    t = await createTestDatabase({
      PROMPTS_REPO_DIR: repoDir,
      META_AGENT_PROMPTS_DIR: path.join(repoDir, "prompts"),
      META_AGENT_VERSIONS_DIR: path.join(repoDir, "versions"),
      LLM_BASE_URL: sim.baseURL,
      LLM_MODEL: "sim-chat",
      COMPILE_OPTIMIZER: "bootstrap-few-shot",
      DEV_SET_SIZE: "20",
      DEMO_RETRIEVAL: "false",
      ROLLOUT: "canary",
      CANARY_TENANTS: "acme",
    });
    const model = createChatModel(t.config);
    const baseline = baselineVersion(parseSignature(SIGNATURE_SOURCE));
    for (const tenant of ["acme", "beta"]) {
      await ensureTenant(t.db, tenant);
      await generateTraffic(t.db, model, baseline, { from: 0, count: 100, tenant });
    }
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    await t?.close();
    tmp?.remove();
  });

  const compile = async (tenant: string) => compileAndRecord(await createCompileDeps({ config: t.config, db: t.db, logger: silentLogger, cwd: repoDir }), { tenant, name: SIGNATURE_NAME });

  it("starts a canary for a tenant that enabled canaries, and serves nothing new yet", async () => {
    const result = await compile("acme");
    expect(result.report.verdict.promoted).toBe(true);
    expect(result.recorded).toBeNull();
    expect(result.canary).toMatchObject({ tenant: "acme", signature: SIGNATURE_NAME, incumbentVersion: "1.0.0", status: "running" });
    expect(existsSync(path.join(repoDir, "versions", "acme", `${SIGNATURE_NAME}.yaml`))).toBe(false);
    expect(git("tag", "--list", "acme/*").trim()).toBe("");
    const mirror = await listMirror(t.db, "acme", SIGNATURE_NAME);
    expect(mirror.map((r) => [r.version, r.status])).toEqual([[result.canary!.candidateVersion, "canary"]]);
  }, 120_000);

  it("records a second passing candidate as rejected while the canary runs", async () => {
    const again = await compile("acme");
    expect(again.canary).toBeUndefined();
    expect(again.report.verdict.promoted).toBe(false);
    expect(again.report.verdict.reason).toMatch(/a canary of diagnosis .* is still running/);
    expect(await listCanaries(t.db, "acme", { active: true })).toHaveLength(1);
  }, 120_000);

  it("never starts a canary for a tenant that did not enable it: the gate commits as before", async () => {
    const result = await compile("beta");
    expect(result.canary).toBeUndefined();
    expect(result.recorded?.action).toBe("committed");
    expect(await listCanaries(t.db, "beta")).toEqual([]);
    expect(git("tag", "--list", "beta/*").trim().split("\n")).toEqual([`beta/${SIGNATURE_NAME}@1.0.0`, `beta/${SIGNATURE_NAME}@${result.version}`]);
  }, 120_000);
});
