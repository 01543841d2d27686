import { describe, it, expect, afterEach } from "vitest";
import { writeFileSync, unlinkSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "./load-config.js";
import { ConfigError } from "../errors.js";
import { makeTempDir } from "../../test/support/temp-dir.js";

describe("loadConfig", () => {
  const tmp = makeTempDir();
  afterEach(() => {
    try {
      unlinkSync(path.join(tmp.dir, "meta-agent.config.yaml"));
    } catch {
      /* not there */
    }
  });

  it("uses documented defaults when nothing is configured", () => {
    const config = loadConfig({ env: {}, cwd: tmp.dir });
    expect(config.port).toBe(8080);
    expect(config.host).toBe("127.0.0.1");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe(path.join(tmp.dir, ".meta-agent"));
    expect(config.stateFile).toBe(path.join(tmp.dir, ".meta-agent", "state.json"));
    expect(config.logLevel).toBe("info");
    expect(config.learningInterval).toBe(3600);
    expect(config.minTracesForAnalysis).toBe(10);
    expect(config.confidenceThreshold).toBe(0.7);
    expect(config.enableAutoUpdates).toBe(true);
    expect(config.backupOriginalPrompts).toBe(true);
  });

  it("reads meta-agent.config.yaml and lets the environment override it", () => {
    writeFileSync(path.join(tmp.dir, "meta-agent.config.yaml"), "port: 9000\nhost: 0.0.0.0\nconfidence_threshold: 0.9\nenable_auto_updates: false\n");
    const config = loadConfig({ env: { PORT: "9100" }, cwd: tmp.dir });
    expect(config.port).toBe(9100);
    expect(config.host).toBe("0.0.0.0");
    expect(config.confidenceThreshold).toBe(0.9);
    expect(config.enableAutoUpdates).toBe(false);
    expect(config.configFile).toBe(path.join(tmp.dir, "meta-agent.config.yaml"));
  });

  it("honours the seed's META_AGENT_CONFIG_FILE, META_AGENT_STATE_FILE and META_AGENT_LOG_LEVEL", () => {
    const file = path.join(tmp.dir, "custom.yaml");
    writeFileSync(file, "learning_interval: '*/5 * * * *'\n");
    const config = loadConfig({
      env: { META_AGENT_CONFIG_FILE: file, META_AGENT_STATE_FILE: "state/x.json", META_AGENT_LOG_LEVEL: "WARNING" },
      cwd: tmp.dir,
    });
    expect(config.learningInterval).toBe("*/5 * * * *");
    expect(config.stateFile).toBe(path.join(tmp.dir, "state/x.json"));
    expect(config.logLevel).toBe("warn");
  });

  it("rejects a bad value with a message naming the key and what is allowed", () => {
    expect(() => loadConfig({ env: { PORT: "eighty" }, cwd: tmp.dir })).toThrowError(/PORT: expected an integer between 0 and 65535/);
    expect(() => loadConfig({ env: { LOG_LEVEL: "loud" }, cwd: tmp.dir })).toThrowError(/LOG_LEVEL: expected one of trace, debug, info/);
    expect(() => loadConfig({ env: { DATABASE_URL: "mysql://x" }, cwd: tmp.dir })).toThrowError(/DATABASE_URL: expected a postgres/);
    expect(() => loadConfig({ env: { LLM_BASE_URL: "not a url" }, cwd: tmp.dir })).toThrowError(/LLM_BASE_URL: expected a URL/);
    expect(() => loadConfig({ env: { META_AGENT_EMBEDDED_SHARED_BUFFERS: "lots" }, cwd: tmp.dir })).toThrowError(/META_AGENT_EMBEDDED_SHARED_BUFFERS: expected a size such as 256MB/);
    expect(() => loadConfig({ env: { META_AGENT_EMBEDDED_SHARED_BUFFERS: "2GB" }, cwd: tmp.dir })).toThrowError(/META_AGENT_EMBEDDED_SHARED_BUFFERS: expected a size between 16MB and 1GB/);
    expect(() => loadConfig({ env: { META_AGENT_EMBEDDED_SHARED_BUFFERS: "8MB" }, cwd: tmp.dir })).toThrowError(/between 16MB and 1GB/);
    expect(loadConfig({ env: { META_AGENT_EMBEDDED_SHARED_BUFFERS: "1GB" }, cwd: tmp.dir }).embeddedSharedBuffers).toBe("1GB");
    expect(loadConfig({ env: {}, cwd: tmp.dir }).embeddedSharedBuffers).toBe("128MB");
  });

  it("reports every problem at once, including unknown and invalid keys in the file", () => {
    writeFileSync(path.join(tmp.dir, "meta-agent.config.yaml"), "prot: 1\nconfidence_threshold: 2\n");
    let caught: unknown;
    try {
      loadConfig({ env: { ENABLE_AUTO_UPDATES: "maybe" }, cwd: tmp.dir });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join("\n");
    expect(problems).toMatch(/prot in .*: unknown key/);
    expect(problems).toMatch(/confidence_threshold in .*: expected a number between 0 and 1/);
    expect(problems).toMatch(/ENABLE_AUTO_UPDATES: expected true or false/);
  });

  it("fails clearly when META_AGENT_CONFIG_FILE points at a missing file or invalid YAML", () => {
    expect(() => loadConfig({ env: { META_AGENT_CONFIG_FILE: "nope.yaml" }, cwd: tmp.dir })).toThrowError(/file not found/);
    writeFileSync(path.join(tmp.dir, "meta-agent.config.yaml"), "port: [1,\n");
    expect(() => loadConfig({ env: {}, cwd: tmp.dir })).toThrowError(/not valid YAML/);
  });
});

describe("learning_interval", () => {
  it("accepts seconds or a cron expression and rejects anything else", () => {
    expect(loadConfig({ env: { LEARNING_INTERVAL: "60" } }).learningInterval).toBe(60);
    expect(loadConfig({ env: { LEARNING_INTERVAL: "0 * * * *" } }).learningInterval).toBe("0 * * * *");
    expect(() => loadConfig({ env: { LEARNING_INTERVAL: "often" } })).toThrowError(/LEARNING_INTERVAL: expected seconds \(a positive integer\) or a cron expression/);
  });
});

describe("prompts and versions directories", () => {
  it("live in the prompts repository by default and accept explicit overrides", () => {
    const tmp = makeTempDir();
    const inRepo = loadConfig({ env: { PROMPTS_REPO_DIR: "repo" }, cwd: tmp.dir });
    expect(inRepo.promptsDir).toBe(path.join(tmp.dir, "repo", "prompts"));
    expect(inRepo.versionsDir).toBe(path.join(tmp.dir, "repo", "versions"));
    const plain = loadConfig({ env: {}, cwd: tmp.dir });
    expect(plain.versionsDir).toBe(path.join(tmp.dir, "versions"));
    const explicit = loadConfig({ env: { META_AGENT_VERSIONS_DIR: "/srv/v", PROMPTS_REPO_DIR: "repo" }, cwd: tmp.dir });
    expect(explicit.versionsDir).toBe("/srv/v");
    tmp.remove();
  });
});
