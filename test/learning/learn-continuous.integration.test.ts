// `meta-agent learn --continuous` as a user runs it with no service: a cycle at once, then one
// every learning_interval, until Ctrl-C. It runs on, so it starts the embedded database as the
// service does, not for a short job (embedded_cli_fast_start).
import { describe, it, expect } from "vitest";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { BIN } from "../support/cli.js";
import { seedDataDir } from "../support/database-template.js";
import { makeTempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

describe("meta-agent learn --continuous", () => {
  it("runs a cycle now and then every learning_interval, stops on SIGINT with exit 0, and starts the database for a long run", async () => {
    const tmp = makeTempDir();
    seedDataDir(tmp.dir);
    const env = { ...process.env, META_AGENT_DATA_DIR: tmp.dir, LEARNING_INTERVAL: "1", LOG_LEVEL: "debug", META_AGENT_EMBEDDED_SHARED_BUFFERS: "32MB" };
    const child = spawn(process.execPath, [BIN, "learn", "--continuous", "--json"], { env, cwd: tmp.dir });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const exited = once(child, "exit") as Promise<[number | null]>;
    try {
      const cycles = () => stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { status: string });
      await waitFor(() => cycles().length >= 2, { timeoutMs: 30_000 });
      expect(stdout).toMatch(/^Continuous learning every 1 s; Ctrl-C stops\./);
      // No traces yet: each cycle has nothing to learn, and says so.
      for (const c of cycles()) expect(c.status).toBe("idle");
      child.kill("SIGINT");
      const [code] = await exited;
      expect(code, stderr).toBe(0);
      const start = stderr.split("\n").find((l) => l.includes('"embedded-db-started"'));
      expect(JSON.parse(start!)).toMatchObject({ sharedBuffers: "32MB", wasmTiers: "baseline+optimizing" });
    } finally {
      child.kill("SIGKILL");
      tmp.remove();
    }
  });
});
