// `compile --dry-run` with no model configured: it shows what an optimizer that needs no model
// proposes, and says which optimizer it picked and why, instead of failing on the default one.
import { describe, it, expect, afterAll } from "vitest";
import { runCli } from "../support/cli.js";
import { createTestRepo } from "../support/git-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("compile --dry-run without a model", () => {
  const repo = createTestRepo();
  const data = makeTempDir("meta-agent-dry-run-");
  afterAll(() => {
    repo.remove();
    data.remove();
  });
  const env = { META_AGENT_DATA_DIR: data.dir, PROMPTS_REPO_DIR: repo.dir, LOG_LEVEL: "error" };

  it("falls back to guideline-induction for the default optimizer, and says so", async () => {
    const r = await runCli(["compile", "diagnosis", "--dry-run", "--json"], env, { cwd: repo.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("No model configured (LLM_BASE_URL, LLM_MODEL): the search optimizer needs one");
    const report = JSON.parse(r.stdout) as { optimizer: string; dryRun: boolean; verdict: { promoted: boolean } };
    expect(report).toMatchObject({ optimizer: "guideline-induction", dryRun: true, verdict: { promoted: false } });
  });

  it("names the optimizers that need no model when one that needs a model is asked for", async () => {
    const r = await runCli(["compile", "diagnosis", "--dry-run", "--optimizer", "search"], env, { cwd: repo.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("guideline-induction (guidelines induced by the analyzer's findings) or bootstrap-few-shot (demos)");
  });
});
