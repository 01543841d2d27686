// One story about versions: before anything is compiled, the hand-written baseline is version
// 1.0.0 in GET /v1/signatures, in history, show and diff (HTTP and CLI) alike — not "no versions".
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { loadConfig, type Config } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { runCli } from "../support/cli.js";
import { createTestRepo, type TestRepo } from "../support/git-fixtures.js";
import { seedDataDir } from "../support/database-template.js";
import { makeTempDir } from "../support/temp-dir.js";
import { parseCompiledVersion } from "../../src/domain/compiled-version.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("the baseline before the first compilation", () => {
  let repo: TestRepo;
  const data = makeTempDir("meta-agent-baseline-");
  let service: Service;
  let config: Config;
  let env: Record<string, string>;
  beforeAll(async () => {
    repo = createTestRepo();
    env = { META_AGENT_DATA_DIR: data.dir, PROMPTS_REPO_DIR: repo.dir, PORT: "0", LEARNING_INTERVAL: "86400", LOG_LEVEL: "error" };
    config = loadConfig({ env, cwd: repo.dir });
    seedDataDir(config.dataDir);
    service = await startService(config, silentLogger);
  });
  afterAll(async () => {
    await service?.close();
    repo.remove();
    data.remove();
  });
  const get = async (p: string) => {
    const res = await fetch(`${service.url}${p}`);
    return { status: res.status, body: (await res.json()) as Json };
  };

  it("is 1.0.0 in GET /v1/signatures, the HTTP history and the shown version", async () => {
    const served = (await get("/v1/signatures")).body.signatures.find((s: Json) => s.name === "diagnosis");
    expect(served.version).toBe("1.0.0");

    const history = await get("/v1/versions/diagnosis");
    expect(history.status).toBe(200);
    expect(history.body.versions).toEqual([expect.objectContaining({ version: "1.0.0", parent: null, status: "active", current: true, commit: null, summary: expect.stringContaining("hand-written baseline") })]);

    const shown = await get("/v1/versions/diagnosis/1.0.0");
    expect(shown.status).toBe(200);
    const parsed = parseCompiledVersion(shown.body.content as string);
    expect(parsed).toMatchObject({ name: "diagnosis", version: "1.0.0", guidelines: [], demos: [], provenance: { optimizer: "baseline" } });
  });

  it("is 1.0.0 in the CLI's history and show, which the running service's database agrees with", async () => {
    const history = await runCli(["history", "diagnosis"], env, { cwd: repo.dir });
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/^\* 1\.0\.0\s+active\s+\S+\s+-\s+-\s+hand-written baseline/m);
    expect(history.stdout).not.toContain("no versions");
    const show = await runCli(["show", "diagnosis"], env, { cwd: repo.dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^version: 1\.0\.0$/m);
  });

  it("still says a signature that does not exist has no versions", async () => {
    const missing = await get("/v1/versions/no-such-signature");
    expect(missing.status).toBe(404);
  });
});
