import { describe, it, expect } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../support/cli.js";

/** The embedded database's start, as the CLI logs it at debug level. */
function startLog(stderr: string): { sharedBuffers: string; wasmTiers: string } {
  const line = stderr.split("\n").find((l) => l.includes('"embedded-db-started"'));
  if (!line) throw new Error(`no embedded-db-started log line in:\n${stderr}`);
  return JSON.parse(line) as { sharedBuffers: string; wasmTiers: string };
}

// embedded_cli_fast_start: a short command that starts the embedded database itself starts it
// for a short job (16MB of shared buffers, baseline WASM compiler); a batch command, or any
// command with the key turned off, starts it as the service does. All work on the same data dir.
describe("embedded_cli_fast_start", () => {
  it("starts the embedded database fast for a short command, fully for a batch command or when turned off", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "meta-agent-fast-start-"));
    const env = { META_AGENT_DATA_DIR: path.join(dir, "data"), LOG_LEVEL: "debug", META_AGENT_EMBEDDED_SHARED_BUFFERS: "64MB" };
    try {
      const fast = await runCli(["db", "migrate", "--json"], env, { cwd: dir });
      expect(fast.code, fast.stderr).toBe(0);
      expect(startLog(fast.stderr)).toMatchObject({ sharedBuffers: "16MB", wasmTiers: "baseline" });

      // A batch command starts it as the service does, fast start or not.
      const batch = await runCli(["analyze", "--json"], env, { cwd: dir });
      expect(batch.code, batch.stderr).toBe(0);
      expect(startLog(batch.stderr)).toMatchObject({ sharedBuffers: "64MB", wasmTiers: "baseline+optimizing" });

      const full = await runCli(["traces", "list"], { ...env, META_AGENT_EMBEDDED_CLI_FAST_START: "false" }, { cwd: dir });
      expect(full.code, full.stderr).toBe(0);
      expect(full.stdout).toContain("No traces.");
      expect(startLog(full.stderr)).toMatchObject({ sharedBuffers: "64MB", wasmTiers: "baseline+optimizing" });

      const invalid = await runCli(["traces", "list"], { ...env, META_AGENT_EMBEDDED_CLI_FAST_START: "sometimes" }, { cwd: dir });
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toMatch(/META_AGENT_EMBEDDED_CLI_FAST_START.*expected true or false/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
