// The CLI finds the running service: a command started from another directory without
// META_AGENT_DATA_DIR reads the database of the service that is running (announced in
// services_dir) and says so, instead of quietly creating and reading a second, empty database.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync } from "node:fs";
import path from "node:path";
import { runCli, startServe, type ServeProcess } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("a CLI command while a service runs elsewhere", () => {
  const tmp = makeTempDir("meta-agent-cli-finds-");
  const serviceData = path.join(tmp.dir, "service-data");
  const servicesDir = path.join(tmp.dir, "services");
  const elsewhere = path.join(tmp.dir, "elsewhere");
  let serve: ServeProcess | undefined;

  beforeAll(async () => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(elsewhere, { recursive: true });
    serve = await startServe({ META_AGENT_DATA_DIR: serviceData, META_AGENT_SERVICES_DIR: servicesDir, LEARNING_INTERVAL: "86400" }, { cwd: tmp.dir });
    const res = await fetch(`${serve.url}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ traces: [{ id: "served-trace-1", agent: "diagnosis", outcome: { success: true } }] }),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await serve?.stop();
    tmp.remove();
  });

  it("reads the running service's database and says which one", async () => {
    const r = await runCli(["traces", "list"], { META_AGENT_SERVICES_DIR: servicesDir }, { cwd: elsewhere });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("served-trace-1");
    expect(r.stderr).toContain(`Using the database of the meta-agent service running at ${serve!.url}`);
    expect(r.stderr).toContain(serviceData);
    expect(existsSync(path.join(elsewhere, ".meta-agent"))).toBe(false);
  });

  it("reads the database it was told to read, without a notice, when META_AGENT_DATA_DIR is set", async () => {
    const own = path.join(tmp.dir, "own-data");
    const r = await runCli(["traces", "list"], { META_AGENT_SERVICES_DIR: servicesDir, META_AGENT_DATA_DIR: own }, { cwd: elsewhere });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("No traces.");
    expect(r.stderr).not.toContain("Using the database");
  });

  it("once the service is gone, refuses to create an empty database just to read it", async () => {
    await serve!.stop();
    serve = undefined;
    const r = await runCli(["traces", "list"], { META_AGENT_SERVICES_DIR: servicesDir }, { cwd: elsewhere });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`No database in ${path.join(elsewhere, ".meta-agent")} yet, and no running meta-agent service was found`);
    expect(existsSync(path.join(elsewhere, ".meta-agent"))).toBe(false);
  });
});
