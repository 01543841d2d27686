// Review mode (enable_auto_updates: false) on a running service: a version the gate passed is
// `proposed` — in history, /v1/versions, /v1/learning/status and the metrics — and the served
// prompt stays the old one until its branch is merged into the serving branch; then, and only
// then, it is the one active version everywhere.
import { simulatedServiceConfig } from "../support/simulated-service.js";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { createTestRepo, git, type TestRepo } from "../support/git-fixtures.js";
import { diskIncidentBank, diskIncidents, insertTraces } from "../support/learning-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

const json = async (res: Response): Promise<any> => res.json();

describe("review mode tells the truth", () => {
  let sim: Simulator;
  let service: Service;
  let repo: TestRepo;
  let data: { dir: string; remove(): void };

  beforeAll(async () => {
    sim = await startSimulator({ bank: diskIncidentBank() });
    repo = createTestRepo({ remote: true });
    data = makeTempDir("meta-agent-data-");
    const config = simulatedServiceConfig({ dataDir: data.dir, repoDir: repo.dir, simBaseURL: sim.baseURL }, { ENABLE_AUTO_UPDATES: "false", META_AGENT_GIT_REMOTE: "origin" });
    service = await startService(config, silentLogger);
    await insertTraces(service.db, diskIncidents(40));
  });
  afterAll(async () => {
    await service?.close();
    await sim?.close();
    repo?.remove();
    data?.remove();
  });

  const get = async (p: string) => json(await fetch(`${service.url}${p}`));
  const statuses = async () => ((await get("/v1/versions/diagnosis")).versions as { version: string; status: string; current: boolean }[]).map((v) => [v.version, v.status, v.current]);

  it("shows an unmerged version as proposed everywhere and serves the previous one, then the merged one as the one active version", async () => {
    const cycle = await json(await fetch(`${service.url}/v1/learning/cycles`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));
    const produced = cycle.versionsProduced.find((v: { signature: string }) => v.signature === "diagnosis");
    expect(produced).toMatchObject({ mode: "review" });
    const proposed: string = produced.version;

    // Before the merge: proposed in history, /v1/versions, status; the baseline is what runs.
    expect(await statuses()).toEqual([
      ["1.0.0", "active", true],
      [proposed, "proposed", false],
    ]);
    expect((await get("/v1/versions")).versions).toEqual([{ name: "diagnosis", active: "1.0.0", proposed: [proposed] }]);
    expect((await get(`/v1/versions/diagnosis/${proposed}`)).status).toBe("proposed");
    const before = (await get("/v1/learning/status")).signatures.find((s: { name: string }) => s.name === "diagnosis");
    expect(before).toMatchObject({ active_version: "1.0.0", proposed_versions: [proposed] });
    expect(before.score_trend.map((p: { version: string }) => p.version)).toEqual(["1.0.0"]);
    expect((await get("/v1/signatures")).signatures.find((s: { name: string }) => s.name === "diagnosis")).toMatchObject({ version: "1.0.0" });
    expect((await get("/v1/prompts/diagnosis")).version).toBe("1.0.0");
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/meta_agent_proposals_total\{tenant="default",signature="diagnosis"\} 1/);
    expect(metrics).not.toMatch(/meta_agent_promotions_total\{tenant="default",signature="diagnosis"\} [1-9]/);

    // The reviewer merges the branch into the served branch: it is served, and active everywhere.
    git(repo.dir, "merge", "-q", "--ff-only", produced.branch);
    await waitFor(async () => (await get("/v1/prompts/diagnosis")).version === proposed, { what: "the merged version to be served" });
    expect(await statuses()).toEqual([
      ["1.0.0", "superseded", false],
      [proposed, "active", true],
    ]);
    expect((await get("/v1/versions")).versions).toEqual([{ name: "diagnosis", active: proposed, proposed: [] }]);
    const after = (await get("/v1/learning/status")).signatures.find((s: { name: string }) => s.name === "diagnosis");
    expect(after).toMatchObject({ active_version: proposed, proposed_versions: [] });
    expect(after.score_trend.map((p: { version: string }) => p.version)).toEqual(["1.0.0", proposed]);
    expect((await get("/v1/signatures")).signatures.find((s: { name: string }) => s.name === "diagnosis")).toMatchObject({ version: proposed, baseline: false });
  });
});
