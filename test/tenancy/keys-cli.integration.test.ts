// `meta-agent keys` and the loopback-only rule, as a user meets them.
import { describe, it, expect, afterAll } from "vitest";
import { runCli, startServe } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";

// Response bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();

describe("meta-agent keys", () => {
  const tmp = makeTempDir();
  const env = { META_AGENT_DATA_DIR: tmp.dir, LOG_LEVEL: "warn" };
  afterAll(() => tmp.remove());

  it("binds to loopback with a warning while no key exists, and to the configured host once one does", async () => {
    const open = await startServe({ ...env, HOST: "0.0.0.0" });
    try {
      expect(open.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
      expect(open.stderr()).toContain("bind-host-overridden");
      expect((await fetch(`${open.url}/v1/learning/status`)).status).toBe(200);
    } finally {
      await open.stop();
    }

    const created = await runCli(["keys", "create", "--tenant", "acme", "--json"], env);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key.key).toMatch(/^mak_/);

    const guarded = await startServe({ ...env, HOST: "0.0.0.0" });
    try {
      expect(guarded.url).toMatch(/^http:\/\/0\.0\.0\.0:/);
      const local = guarded.url.replace("0.0.0.0", "127.0.0.1");
      expect((await fetch(`${local}/v1/learning/status`)).status).toBe(401);
      const ok = await fetch(`${local}/v1/learning/status`, { headers: { authorization: `Bearer ${key.key}` } });
      expect(ok.status).toBe(200);
      expect((await json(ok)).tenant).toBe("acme");

      // Revoking every key does not reopen a server reachable from other hosts.
      expect((await runCli(["keys", "revoke", key.id], env)).code).toBe(0);
      await new Promise((r) => setTimeout(r, 1_100));
      expect((await fetch(`${local}/v1/learning/status`)).status).toBe(401);
    } finally {
      await guarded.stop();
    }
  });

  it("shows a key once and lists keys by prefix, never the key", async () => {
    const created = await runCli(["keys", "create", "--tenant", "globex", "--name", "ci"], env);
    expect(created.code).toBe(0);
    const key = /\b(mak_[A-Za-z0-9_-]{43})\b/.exec(created.stdout)![1]!;
    expect(created.stdout).toContain("cannot be shown again");
    const list = await runCli(["keys", "list"], env);
    expect(list.stdout).toContain(key.slice(0, 12));
    expect(list.stdout).not.toContain(key);
    expect(list.stdout).toMatch(/globex\s+ci/);
    expect(list.stdout).toMatch(/revoked/);
  });

  it("refuses a bad tenant name and an unknown key id with clear messages", async () => {
    const bad = await runCli(["keys", "create", "--tenant", "Not Valid"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("tenant: must be 1-63 lower-case letters");
    const unknown = await runCli(["keys", "revoke", "nope"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No API key with id or prefix");
  });
});
