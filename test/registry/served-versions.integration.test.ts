import { afterEach, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createServedVersions, type ServedVersions } from "../../src/registry/served-versions.js";
import { createTaggedVersionLoader } from "../../src/registry/read-tagged-version.js";
import { buildCompiledVersion, initPromptsRepo, writeVersionFile } from "../support/compiled-versions.js";
import { captureLogger } from "../support/log-capture.js";
import { makeTempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";
import { loadSignature } from "../../src/signature/load-signatures.js";
import { baselineVersion } from "../../src/domain/baseline-version.js";

describe("served versions", () => {
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
    const registry = createServedVersions({
      dir: repo.versionsDir,
      logger: log.logger,
      loadTagged: createTaggedVersionLoader({ versionsDir: repo.versionsDir, logger: log.logger }),
    });
    cleanups.push(() => registry.close());
    await registry.ready;
    return { repo, registry, log, v1 };
  }

  const served = (registry: ServedVersions, version: string, tenant = "default") => () => registry.latest(tenant, "worker")?.version === version;

  it("serves a promoted version and then a rollback without a restart", async () => {
    const { repo, registry, v1 } = await setup();
    expect(registry.latest("default", "worker")?.version).toBe("1.0.0");

    const v2 = buildCompiledVersion({ name: "worker", version: "1.1.0", parent: "1.0.0", instructions: "Promoted instructions." });
    await repo.commitVersion(v2);
    await waitFor(served(registry, "1.1.0"), { what: "promotion pickup" });
    expect(registry.latest("default", "worker")?.instructions).toBe("Promoted instructions.");

    const rollback = { ...v1, version: "1.1.1", parent: "1.1.0", provenance: { ...v1.provenance, rollbackOf: "1.0.0" } };
    await repo.commitVersion(rollback);
    await waitFor(served(registry, "1.1.1"), { what: "rollback pickup" });
    expect(registry.latest("default", "worker")?.instructions).toBe("Baseline instructions.");
  });

  it("keeps serving the last good version when the new file is invalid, and logs an error", async () => {
    const { repo, registry, log } = await setup();
    writeFileSync(path.join(repo.versionsDir, "worker.yaml"), "name: worker\nversion: not-a-version\ninstructions: [\n");
    await waitFor(() => log.events("version-invalid").length > 0, { what: "invalid-file error" });
    expect(registry.latest("default", "worker")?.version).toBe("1.0.0");
    expect(log.events("version-invalid")[0]).toMatchObject({ level: 50, signature: "worker", serving: "1.0.0" });

    // A schema-valid YAML file with a wrong field is refused the same way.
    writeFileSync(path.join(repo.versionsDir, "worker.yaml"), "name: worker\nversion: 2.0.0\n");
    await waitFor(() => log.events("version-invalid").length > 1, { what: "second invalid-file error" });
    expect(registry.latest("default", "worker")?.version).toBe("1.0.0");

    // The next valid file is picked up again.
    writeVersionFile(repo.versionsDir, buildCompiledVersion({ name: "worker", version: "1.2.0" }));
    await waitFor(served(registry, "1.2.0"), { what: "recovery after an invalid file" });
  });

  it("picks up a signature whose file appears after start", async () => {
    const { repo, registry } = await setup();
    expect(registry.latest("default", "analyst")).toBeUndefined();
    await repo.commitVersion(buildCompiledVersion({ name: "analyst", version: "1.0.0" }));
    await waitFor(() => registry.latest("default", "analyst"), { what: "new signature" });
    expect((await registry.list("default")).map((s) => s.name)).toEqual(["analyst", "worker"]);
  });

  it("resolves a pinned version from its git tag while a newer one is served", async () => {
    const { repo, registry } = await setup();
    await repo.commitVersion(buildCompiledVersion({ name: "worker", version: "1.1.0", instructions: "Newer." }));
    await waitFor(served(registry, "1.1.0"));
    const pinned = await registry.resolve("default", "worker", { version: "1.0.0" });
    expect(pinned).toMatchObject({ version: "1.0.0", instructions: "Baseline instructions." });
    expect((await registry.resolve("default", "worker")).version).toBe("1.1.0");
    await expect(registry.resolve("default", "worker", { version: "9.9.9" })).rejects.toThrow(/Version 9.9.9 of signature "worker" was not found/);
    // Another tenant's tag of the same version number is not this tenant's version.
    await repo.commitVersion(buildCompiledVersion({ name: "worker", version: "1.3.0", instructions: "Acme's." }), "acme");
    await expect(registry.resolve("default", "worker", { version: "1.3.0" })).rejects.toThrow(/Version 1.3.0 of signature "worker" was not found/);
    expect((await registry.resolve("acme", "worker", { version: "1.3.0" })).instructions).toBe("Acme's.");
    await expect(registry.resolve("default", "nope")).rejects.toThrow(/No version of signature "nope" is served/);
  });
});

describe("served versions per tenant", () => {
  it("serves each tenant its own compiled file, and the shared baseline to a tenant that never compiled", async () => {
    const tmp = makeTempDir();
    const repo = await initPromptsRepo(tmp.dir);
    const log = captureLogger();
    const registry = createServedVersions({
      dir: repo.versionsDir,
      logger: log.logger,
      loadBaseline: async (name) => (name === "worker" ? buildCompiledVersion({ name: "worker", version: "1.0.0", instructions: "Baseline." }) : undefined),
      listBaselines: async () => ["worker"],
    });
    try {
      await repo.commitVersion(buildCompiledVersion({ name: "worker", version: "1.0.1", instructions: "Default's own." }));
      await registry.ready;
      await repo.commitVersion(buildCompiledVersion({ name: "worker", version: "1.0.1", instructions: "Acme's own, learned from acme's traces." }), "acme");
      await waitFor(() => registry.latest("acme", "worker")?.version === "1.0.1", { what: "acme's version pickup" });
      expect((await registry.resolve("acme", "worker")).instructions).toBe("Acme's own, learned from acme's traces.");
      expect((await registry.resolve("default", "worker")).instructions).toBe("Default's own.");
      expect((await registry.resolve("globex", "worker")).instructions).toBe("Baseline.");
      expect(await registry.list("globex")).toEqual([{ name: "worker", version: "1.0.0", baseline: true }]);
      expect(await registry.list("acme")).toEqual([{ name: "worker", version: "1.0.1", baseline: false }]);
      // A folder that is not a tenant id is ignored, not served to anyone.
      writeVersionFile(path.join(repo.versionsDir, "_policies"), buildCompiledVersion({ name: "worker", version: "9.0.0" }));
      await new Promise((r) => setTimeout(r, 300));
      expect(registry.latest("default", "worker")?.version).toBe("1.0.1");
    } finally {
      await registry.close();
      tmp.remove();
    }
  });
});

describe("served versions before a signature is ever compiled", () => {
  it("serves the hand-written baseline from prompts/ until a compiled version appears", async () => {
    const tmp = makeTempDir();
    const repo = await initPromptsRepo(tmp.dir);
    const log = captureLogger();
    const registry = createServedVersions({
      dir: repo.versionsDir,
      logger: log.logger,
      loadBaseline: async (name) => (name === "worker" ? buildCompiledVersion({ name: "worker", version: "1.0.0", instructions: "From prompts/worker.yaml." }) : undefined),
    });
    try {
      await registry.ready;
      expect((await registry.resolve("default", "worker")).instructions).toBe("From prompts/worker.yaml.");
      await expect(registry.resolve("default", "unknown")).rejects.toThrow(/No version of signature "unknown" is served/);
      await repo.commitVersion(buildCompiledVersion({ name: "worker", version: "1.0.1", parent: "1.0.0", instructions: "Compiled." }));
      await waitFor(() => registry.latest("default", "worker")?.version === "1.0.1", { what: "compiled version pickup" });
      expect((await registry.resolve("default", "worker")).instructions).toBe("Compiled.");
    } finally {
      await registry.close();
      tmp.remove();
    }
  });

  it("keeps serving the last good baseline when prompts/<name>.yaml is broken, and says why in the list", async () => {
    const tmp = makeTempDir();
    const repo = await initPromptsRepo(tmp.dir);
    const promptsDir = path.join(tmp.dir, "prompts");
    const source = (description: string) => `name: triage\ndescription: Triages\ninputs:\n  - name: ticketText\n    description: The ticket\noutputs:\n  - ${description}\ninstructions: Decide.\n`;
    const { mkdirSync } = await import("node:fs");
    mkdirSync(promptsDir, { recursive: true });
    writeFileSync(path.join(promptsDir, "triage.yaml"), source("name: action\n    description: Next action (refund, reset_password, escalate)."));
    const log = captureLogger();
    const registry = createServedVersions({
      dir: repo.versionsDir,
      logger: log.logger,
      listBaselines: async () => ["triage"],
      loadBaseline: async (name) => baselineVersion((await loadSignature(promptsDir, name)).signature),
    });
    try {
      await registry.ready;
      expect((await registry.resolve("default", "triage")).outputs[0]!.description).toBe("Next action (refund, reset_password, escalate).");
      // The author switches to flow style and the comma cuts the text: refused, the last good one stays.
      writeFileSync(path.join(promptsDir, "triage.yaml"), source("{name: action, description: Next action (refund, reset_password, escalate).}"));
      expect((await registry.resolve("default", "triage")).outputs[0]!.description).toBe("Next action (refund, reset_password, escalate).");
      const listed = (await registry.list("default")).find((s) => s.name === "triage");
      expect(listed).toMatchObject({ version: "1.0.0", baseline: true });
      expect(listed?.problem).toMatch(/triage\.yaml:7: "reset_password" has no value in a \{flow mapping\}/);
      expect(log.events("baseline-invalid")).toHaveLength(1);
      expect(log.events("baseline-invalid")[0]).toMatchObject({ level: 50, signature: "triage", serving: "1.0.0" });
    } finally {
      await registry.close();
      tmp.remove();
    }
  });
});
