import { afterEach, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createVersionRegistry, type VersionRegistry } from "../../src/orchestrator/version-registry.js";
import { createPinnedVersionLoader } from "../../src/orchestrator/load-pinned-version.js";
import { buildCompiledVersion, initPromptsRepo, writeVersionFile } from "../support/compiled-versions.js";
import { captureLogger } from "../support/log-capture.js";
import { makeTempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

describe("version registry", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup() {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const repo = await initPromptsRepo(tmp.dir);
    const v1 = buildCompiledVersion({ name: "worker", version: "1.0.0", instructions: "Baseline instructions." });
    await repo.commitVersion(v1);
    const log = captureLogger();
    const registry = createVersionRegistry({
      dir: repo.versionsDir,
      logger: log.logger,
      loadPinned: createPinnedVersionLoader({ versionsDir: repo.versionsDir, logger: log.logger }),
    });
    cleanups.push(() => registry.close());
    await registry.ready;
    return { repo, registry, log, v1 };
  }

  const served = (registry: VersionRegistry, version: string) => () => registry.latest("worker")?.version === version;

  it("serves a promoted version and then a rollback without a restart", async () => {
    const { repo, registry, v1 } = await setup();
    expect(registry.latest("worker")?.version).toBe("1.0.0");

    const v2 = buildCompiledVersion({ name: "worker", version: "1.1.0", parent: "1.0.0", instructions: "Promoted instructions." });
    await repo.commitVersion(v2);
    await waitFor(served(registry, "1.1.0"), { what: "promotion pickup" });
    expect(registry.latest("worker")?.instructions).toBe("Promoted instructions.");

    const rollback = { ...v1, version: "1.1.1", parent: "1.1.0", provenance: { ...v1.provenance, rollbackOf: "1.0.0" } };
    await repo.commitVersion(rollback);
    await waitFor(served(registry, "1.1.1"), { what: "rollback pickup" });
    expect(registry.latest("worker")?.instructions).toBe("Baseline instructions.");
  });

  it("keeps serving the last good version when the new file is invalid, and logs an error", async () => {
    const { repo, registry, log } = await setup();
    writeFileSync(path.join(repo.versionsDir, "worker.yaml"), "name: worker\nversion: not-a-version\ninstructions: [\n");
    await waitFor(() => log.events("version-invalid").length > 0, { what: "invalid-file error" });
    expect(registry.latest("worker")?.version).toBe("1.0.0");
    expect(log.events("version-invalid")[0]).toMatchObject({ level: 50, signature: "worker", serving: "1.0.0" });

    // A schema-valid YAML file with a wrong field is refused the same way.
    writeFileSync(path.join(repo.versionsDir, "worker.yaml"), "name: worker\nversion: 2.0.0\n");
    await waitFor(() => log.events("version-invalid").length > 1, { what: "second invalid-file error" });
    expect(registry.latest("worker")?.version).toBe("1.0.0");

    // The next valid file is picked up again.
    writeVersionFile(repo.versionsDir, buildCompiledVersion({ name: "worker", version: "1.2.0" }));
    await waitFor(served(registry, "1.2.0"), { what: "recovery after an invalid file" });
  });

  it("picks up a signature whose file appears after start", async () => {
    const { repo, registry } = await setup();
    expect(registry.latest("analyst")).toBeUndefined();
    await repo.commitVersion(buildCompiledVersion({ name: "analyst", version: "1.0.0" }));
    await waitFor(() => registry.latest("analyst"), { what: "new signature" });
    expect(registry.names()).toEqual(["analyst", "worker"]);
  });

  it("resolves a pinned version from its git tag while a newer one is served", async () => {
    const { repo, registry } = await setup();
    await repo.commitVersion(buildCompiledVersion({ name: "worker", version: "1.1.0", instructions: "Newer." }));
    await waitFor(served(registry, "1.1.0"));
    const pinned = await registry.resolve("worker", { version: "1.0.0" });
    expect(pinned).toMatchObject({ version: "1.0.0", instructions: "Baseline instructions." });
    expect((await registry.resolve("worker")).version).toBe("1.1.0");
    await expect(registry.resolve("worker", { version: "9.9.9" })).rejects.toThrow(/Version 9.9.9 of signature "worker" was not found/);
    await expect(registry.resolve("nope")).rejects.toThrow(/No compiled version of signature "nope"/);
  });
});

describe("version registry before a signature is ever compiled", () => {
  it("serves the hand-written baseline from prompts/ until a compiled version appears", async () => {
    const tmp = makeTempDir();
    const repo = await initPromptsRepo(tmp.dir);
    const log = captureLogger();
    const registry = createVersionRegistry({
      dir: repo.versionsDir,
      logger: log.logger,
      loadBaseline: async (name) => (name === "worker" ? buildCompiledVersion({ name: "worker", version: "1.0.0", instructions: "From prompts/worker.yaml." }) : undefined),
    });
    try {
      await registry.ready;
      expect((await registry.resolve("worker")).instructions).toBe("From prompts/worker.yaml.");
      await expect(registry.resolve("unknown")).rejects.toThrow(/No compiled version of signature "unknown"/);
      await repo.commitVersion(buildCompiledVersion({ name: "worker", version: "1.0.1", parent: "1.0.0", instructions: "Compiled." }));
      await waitFor(() => registry.latest("worker")?.version === "1.0.1", { what: "compiled version pickup" });
      expect((await registry.resolve("worker")).instructions).toBe("Compiled.");
    } finally {
      await registry.close();
      tmp.remove();
    }
  });
});
