// Tenants never see each other's prompts: two tenants with different traces learn the same
// signature on one running service. Each is served its own version (whose demos are its own real
// inputs), and history, show, diff, rollback and review text show each only its own versions.
import { simulatedServiceConfig } from "../support/simulated-service.js";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { createApiKey } from "../../src/tenancy/create-api-key.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { createTestRepo, git, type TestRepo } from "../support/git-fixtures.js";
import { diskIncidentBank, insertTraces, type TraceRow } from "../support/learning-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

/** Disk incidents whose reports carry the tenant's own namespace: what must never leak. */
const incidentsOf = (tenant: string, n = 40): TraceRow[] =>
  Array.from({ length: n }, (_, i) => ({
    tenant,
    agent: "diagnosis",
    signature: "diagnosis",
    promptVersion: "1.0.0",
    success: true,
    input: { incidentReport: `Incident ${i}: disk usage at 100% on node-3, pods evicted in namespace ${tenant}-private-shop-${i}` },
    output: { rootCause: "disk full on node-3" },
  }));

interface Harness {
  service: Service;
  repo: TestRepo;
  data: { dir: string; remove(): void };
  keys: Record<string, string>;
  call(method: string, p: string, tenant: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

async function startHarness(sim: Simulator, extra: Record<string, string> = {}): Promise<Harness> {
  const repo = createTestRepo({ remote: true });
  const data = makeTempDir("meta-agent-data-");
  const config = simulatedServiceConfig({ dataDir: data.dir, repoDir: repo.dir, simBaseURL: sim.baseURL }, extra);
  const service = await startService(config, silentLogger);
  const keys: Record<string, string> = {};
  for (const tenant of ["acme", "globex", "initech"]) keys[tenant] = (await createApiKey(service.db, { tenant })).key;
  await insertTraces(service.db, [...incidentsOf("acme"), ...incidentsOf("globex")]);
  await new Promise((r) => setTimeout(r, 1_100)); // the "are there keys?" check is cached for 1 s
  const call = (method: string, p: string, tenant: string, body?: unknown) =>
    fetch(`${service.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${keys[tenant]}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    service,
    repo,
    data,
    keys,
    call,
    async close() {
      await service.close();
      repo.remove();
      data.remove();
    },
  };
}

const json = async <T = any>(res: Response): Promise<T> => (await res.json()) as T;

describe("tenant-scoped versions on a running service", () => {
  let sim: Simulator;
  let h: Harness;

  beforeAll(async () => {
    sim = await startSimulator({ bank: diskIncidentBank() });
    h = await startHarness(sim);
  });
  afterAll(async () => {
    await h?.close();
    await sim?.close();
  });

  it("serves each tenant the version learned from its own traces, and a tenant that learned nothing the baseline", async () => {
    for (const tenant of ["acme", "globex"]) {
      const res = await h.call("POST", "/v1/learning/cycles", tenant, {});
      const cycle = await json(res);
      expect(res.status, JSON.stringify(cycle)).toBe(200);
      expect(cycle.verdicts.find((v: { signature: string }) => v.signature === "diagnosis")).toMatchObject({ verdict: "promoted" });
    }
    const served = async (tenant: string) => ((await json(await h.call("GET", "/v1/signatures", tenant))).signatures as { name: string; version: string; baseline: boolean }[]).find((s) => s.name === "diagnosis");
    await waitFor(async () => (await served("acme"))?.baseline === false && (await served("globex"))?.baseline === false, { what: "both tenants served their compiled versions" });
    expect(await served("initech")).toEqual({ name: "diagnosis", version: "1.0.0", baseline: true });

    // The files on disk: one per tenant, each with only its own tenant's demos.
    const acmeFile = readFileSync(path.join(h.repo.dir, "versions", "acme", "diagnosis.yaml"), "utf8");
    const globexFile = readFileSync(path.join(h.repo.dir, "versions", "globex", "diagnosis.yaml"), "utf8");
    expect(acmeFile).toContain("acme-private-shop-");
    expect(acmeFile).not.toContain("globex-private");
    expect(globexFile).toContain("globex-private-shop-");
    expect(globexFile).not.toContain("acme-private");

    // What each tenant is served, through the API and in the prompt a run sends to the model.
    const shown = async (tenant: string) => json(await h.call("GET", "/v1/versions/diagnosis/" + (await served(tenant))!.version, tenant));
    expect((await shown("globex")).content).not.toContain("acme-private");
    expect((await shown("acme")).content).not.toContain("globex-private");
    const before = sim.calls.length;
    const run = await h.call("POST", "/v1/signatures/diagnosis/run", "globex", { inputs: { incidentReport: "disk usage at 100% on node-9" } });
    expect(run.status).toBe(200);
    const sent = JSON.stringify(sim.calls.slice(before).map((c) => c.body));
    expect(sent).toContain("globex-private-shop-");
    expect(sent).not.toContain("acme-private");
    const baselineRun = sim.calls.length;
    expect((await h.call("POST", "/v1/signatures/diagnosis/run", "initech", { inputs: { incidentReport: "disk usage at 100% on node-9" } })).status).toBe(200);
    expect(JSON.stringify(sim.calls.slice(baselineRun).map((c) => c.body))).not.toMatch(/private-shop/);
  });

  it("shows each tenant only its own history, versions and diffs", async () => {
    const history = async (tenant: string) => json(await h.call("GET", "/v1/versions/diagnosis", tenant));
    const acme = await history("acme");
    const globex = await history("globex");
    expect(acme.versions.map((v: { version: string }) => v.version)).toEqual(["1.0.0", "1.0.1"]);
    expect(globex.versions.map((v: { version: string }) => v.version)).toEqual(["1.0.0", "1.0.1"]);
    // Same numbers, different versions: each commit is the tenant's own.
    expect(acme.versions[1].commit).not.toBe(globex.versions[1].commit);
    // A tenant that compiled nothing sees the hand-written baseline only, none of the others' versions.
    const initech = await history("initech");
    expect(initech.versions.map((v: { version: string }) => v.version)).toEqual(["1.0.0"]);
    expect(JSON.stringify(initech)).not.toContain(acme.versions[1].commit);
    const diff = await json(await h.call("GET", "/v1/versions/diagnosis/diff", "globex"));
    expect(diff.diff).toContain("globex-private-shop-");
    expect(diff.diff).not.toContain("acme-private");
    expect(git(h.repo.dir, "tag", "--list").split("\n").filter(Boolean).sort()).toEqual(["acme/diagnosis@1.0.0", "acme/diagnosis@1.0.1", "globex/diagnosis@1.0.0", "globex/diagnosis@1.0.1"]);
  });

  it("rolls back one tenant's version without changing what another is served", async () => {
    const acmeBefore = readFileSync(path.join(h.repo.dir, "versions", "acme", "diagnosis.yaml"), "utf8");
    const res = await h.call("POST", "/v1/versions/diagnosis/rollback", "globex", { to: "1.0.0" });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ version: "1.0.2", rollbackOf: "1.0.0", saved: { tag: "globex/diagnosis@1.0.2" } });
    expect(readFileSync(path.join(h.repo.dir, "versions", "acme", "diagnosis.yaml"), "utf8")).toBe(acmeBefore);
    expect(readFileSync(path.join(h.repo.dir, "versions", "globex", "diagnosis.yaml"), "utf8")).not.toContain("private-shop");
    // A tenant cannot roll back to a version only another tenant has.
    expect((await h.call("POST", "/v1/versions/diagnosis/rollback", "initech", { to: "1.0.1" })).status).toBe(404);
  });
});

describe("tenant-scoped review branches", () => {
  let sim: Simulator;
  let h: Harness;

  beforeAll(async () => {
    sim = await startSimulator({ bank: diskIncidentBank() });
    h = await startHarness(sim, { ENABLE_AUTO_UPDATES: "false", META_AGENT_GIT_REMOTE: "origin" });
  });
  afterAll(async () => {
    await h?.close();
    await sim?.close();
  });

  it("gives each tenant its own review branch and pull-request text, carrying only its own changes", async () => {
    const branches: Record<string, string> = {};
    for (const tenant of ["acme", "globex"]) {
      const cycle = await json(await h.call("POST", "/v1/learning/cycles", tenant, {}));
      const produced = cycle.versionsProduced.find((v: { signature: string }) => v.signature === "diagnosis");
      expect(produced).toMatchObject({ mode: "review" });
      branches[tenant] = produced.branch;
    }
    expect(branches).toEqual({ acme: "meta-agent/acme/diagnosis-v1.0.1", globex: "meta-agent/globex/diagnosis-v1.0.1" });
    for (const [tenant, other] of [["acme", "globex"], ["globex", "acme"]] as const) {
      const text = readFileSync(path.join(h.data.dir, "pull-requests", `${branches[tenant]}.md`), "utf8");
      expect(text).toContain(`${tenant}-private-shop-`);
      expect(text).not.toContain(`${other}-private`);
      expect(text).toContain(`--tenant ${tenant}`);
      // The branch holds only the tenant's file.
      expect(git(h.repo.dir, "diff", "--name-only", `main...${branches[tenant]!}`).trim()).toBe(`versions/${tenant}/diagnosis.yaml`);
      expect(git(h.repo.remoteDir!, "rev-parse", "--verify", branches[tenant]!).trim()).toMatch(/^[0-9a-f]{40}$/);
    }
  });
});
