// `meta-agent heuristics` as a user runs it: the built CLI against an embedded database with the
// two-agent scenario and the simulator as the model. refresh distils diagnosis's finding and a
// reflection; list and report show them with Q-values and sources; a compile of triage draws the
// lesson, and list then says where it is used.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { createTestDatabase } from "../support/database.js";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { DIAGNOSIS_BANK, OOM_GUIDELINE } from "../support/compiler-fixtures.js";
import { plantTeamScenario, writeTeamPrompts } from "../support/heuristics-fixtures.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";

// Steps compile on the simulator (and the CLI starts its embedded database): room on a loaded machine.
describe("meta-agent heuristics", { timeout: 120_000 }, () => {
  const tmp = makeTempDir();
  let sim: Simulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    const dataDir = path.join(tmp.dir, "data");
    const t = await createTestDatabase({ META_AGENT_DATA_DIR: dataDir });
    await plantTeamScenario(t.db.pool, "acme");
    await t.db.close();
    sim = await startSimulator({ bank: DIAGNOSIS_BANK });
    env = {
      META_AGENT_DATA_DIR: dataDir,
      META_AGENT_PROMPTS_DIR: writeTeamPrompts(path.join(tmp.dir, "prompts")),
      META_AGENT_VERSIONS_DIR: path.join(tmp.dir, "versions"),
      LLM_BASE_URL: sim.baseURL,
      LLM_MODEL: "sim-chat",
      LLM_MAX_RETRIES: "0",
      HEURISTICS_REFLECTIONS: "1",
      LOG_LEVEL: "error",
    };
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    tmp.remove();
  });

  let version: string;

  it("refresh distils diagnosis's finding and a reflection into the empty library", async () => {
    const empty = await runCli(["heuristics", "--tenant", "acme"], env, { cwd: tmp.dir });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain("No heuristics yet");

    const refresh = await runCli(["heuristics", "refresh", "--agent", "diagnosis", "--tenant", "acme"], env, { cwd: tmp.dir });
    expect(refresh.stderr).toBe("");
    expect(refresh.code).toBe(0);
    expect(refresh.stdout).toMatch(/From findings: 1 new, 0 known\. From reflections: 1 new, 0 known, 0 failed \(1 model call, [1-9]\d* tokens\)\./);
    expect(refresh.stdout).toMatch(/Replay buffer: 100 runs read, 0 evicted/);
  });

  it("a compile of triage draws the lesson, and list says where it is used", async () => {
    const compiled = await runCli(["compile", "triage", "--tenant", "acme", "--json"], env, { cwd: tmp.dir });
    expect(compiled.code, compiled.stderr).toBe(0);
    const report = JSON.parse(compiled.stdout);
    expect(report.candidate.guidelines).toContainEqual(expect.objectContaining({ text: OOM_GUIDELINE, learnedFrom: expect.stringContaining("agent diagnosis, finding failure_pattern:oom-misread") }));
    version = report.recorded.version as string;

    const list = await runCli(["heuristics", "list", "--tenant", "acme"], env, { cwd: tmp.dir });
    expect(list.code).toBe(0);
    const lines = list.stdout.split("\n");
    expect(lines[0]).toMatch(/^Q\s+RUNS\s+STATUS\s+FROM\s+USED IN\s+HEURISTIC$/);
    expect(lines.find((l) => l.endsWith(OOM_GUIDELINE))).toMatch(new RegExp(`^0\\.500\\s+0\\s+active\\s+diagnosis \\(finding failure_pattern:oom-misread\\)\\s+triage ${version.replace(/\./g, "\\.")}`));
    expect(list.stdout).toContain("Replay buffer: 100 of 1000 runs.");
  });

  it("prints JSON, the team learning report, and refuses an unknown status", async () => {
    const json = JSON.parse((await runCli(["heuristics", "--tenant", "acme", "--json"], env, { cwd: tmp.dir })).stdout);
    expect(json.heuristics).toHaveLength(2);
    expect(json.heuristics.map((h: { sourceKind: string }) => h.sourceKind).sort()).toEqual(["pattern", "reflection"]);

    const team = await runCli(["heuristics", "report", "--tenant", "acme"], env, { cwd: tmp.dir });
    expect(team.code).toBe(0);
    expect(team.stdout).toContain("═══ Team Learning Report ═══");
    expect(team.stdout).toContain("Shared heuristics: 2 active, 0 retired");
    expect(team.stdout).toContain(`used in: triage ${version}`);

    const badStatus = await runCli(["heuristics", "list", "--status", "maybe"], env, { cwd: tmp.dir });
    expect(badStatus.code).toBe(1);
    expect(badStatus.stderr).toContain("--status: expected active or retired");
  });
});
