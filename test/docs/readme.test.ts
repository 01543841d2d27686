// The documentation keeps up with the code: README.md is the front door, the reference lives in
// docs/*.md (any file there counts, so a new topic page needs no change here). Every CLI command
// and every route the service registers must be documented somewhere in README + docs/, and the
// configuration table must be what scripts/config-table.ts generates from src/config/keys.ts.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { CONFIG_KEYS } from "../../src/config/keys.js";
import { buildProgram } from "../../src/cli/main.js";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { listRoutes } from "../../src/http/list-routes.js";
import { CONFIG_DOC, withConfigTable } from "../../scripts/config-table.js";
import { OPENAPI_FILE, renderOpenApi } from "../../scripts/openapi.js";
import { openApiPath } from "../../src/http/openapi.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import { seedDataDir } from "../support/database-template.js";
import { makeTempDir } from "../support/temp-dir.js";

const read = (rel: string) => readFileSync(new URL(`../../${rel}`, import.meta.url), "utf8");
const README = read("README.md");
const DOC_FILES = readdirSync(new URL("../../docs/", import.meta.url)).filter((f) => f.endsWith(".md"));
/** Everything a user can read: the front door and every page under docs/. */
const ALL_DOCS = [README, ...DOC_FILES.map((f) => read(`docs/${f}`))].join("\n");

/** `meta-agent x y` for every leaf command of the CLI. */
const cliCommands = (cmd: ReturnType<typeof buildProgram>, prefix: string): string[] =>
  cmd.commands.flatMap((c) => (c.commands.length > 0 ? cliCommands(c, `${prefix}${c.name()} `) : [`${prefix}${c.name()}`]));

/** Whether `text` mentions `` `METHOD /path`` as a whole path (followed by a backtick, a query, a space). */
const mentionsRoute = (text: string, method: string, path: string) => {
  const escaped = `\`${method} ${path}`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`${escaped}(?=[\`? ])`).test(text);
};

describe("README.md", () => {
  it("shows the two commands a new user runs", () => {
    expect(README).toContain("npm install && npm start");
    expect(README).toContain("npm test");
  });

  it("stays a short front door and links every page under docs/", () => {
    expect(README.split("\n").length).toBeLessThanOrEqual(250);
    for (const f of ["configuration.md", "cli.md", "http-api.md", "sdk.md", "operations.md"]) {
      expect(DOC_FILES, f).toContain(f);
      expect(README, f).toContain(`(docs/${f})`);
    }
  });

  it("uses no unexplained internal words (design-seed numbers)", () => {
    expect(ALL_DOCS).not.toMatch(/\bseed 00\d\b/i);
  });
});

describe("docs/configuration.md", () => {
  it("holds exactly the table scripts/config-table.ts generates from src/config/keys.ts", () => {
    const doc = readFileSync(CONFIG_DOC, "utf8");
    expect(withConfigTable(doc), "run npx tsx scripts/config-table.ts").toBe(doc);
  });

  it("documents every configuration key with its file name and environment variables", () => {
    const doc = readFileSync(CONFIG_DOC, "utf8");
    for (const spec of Object.values(CONFIG_KEYS)) {
      expect(doc, spec.file).toContain(`\`${spec.file}\``);
      for (const env of spec.env) expect(doc, env).toContain(`\`${env}\``);
    }
  });
});

describe("every door is documented in README.md or docs/", () => {
  it("documents every CLI command", () => {
    const commands = cliCommands(buildProgram(), "meta-agent ");
    expect(commands.length).toBeGreaterThan(20);
    for (const command of commands) expect(ALL_DOCS, command).toContain(`\`${command}`);
  });

  describe("every route of the running service", () => {
    const tmp = makeTempDir();
    let service: Service;
    beforeAll(async () => {
      const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, PORT: "0", LEARNING_INTERVAL: "86400" }, cwd: tmp.dir });
      seedDataDir(config.dataDir);
      service = await startService(config, silentLogger);
    });
    afterAll(async () => {
      await service?.close();
      tmp.remove();
    });

    it("appears as `METHOD /path` in README.md or docs/", () => {
      const routes = listRoutes(service.app);
      expect(routes.length).toBeGreaterThan(20);
      const missing = routes.filter((r) => !mentionsRoute(ALL_DOCS, r.method, r.path)).map((r) => `${r.method} ${r.path}`);
      expect(missing).toEqual([]);
    });

    it("is an operation of the OpenAPI document, which lists no route the service lacks", async () => {
      const doc = JSON.parse(readFileSync(OPENAPI_FILE, "utf8")) as { paths: Record<string, Record<string, unknown>> };
      const inDoc = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
      // The dashboard's HTML pages (/ui) are not an API; they are documented as routes above.
      const served = listRoutes(service.app).filter((r) => !r.path.startsWith("/ui")).map((r) => `${r.method} ${openApiPath(r.path)}`).sort();
      expect(inDoc).toEqual(served);
    });

    it("serves docs/openapi.json, generated from the zod schemas, at GET /v1/openapi.json", async () => {
      expect(readFileSync(OPENAPI_FILE, "utf8"), "run npx tsx scripts/openapi.ts").toBe(renderOpenApi());
      const res = await fetch(`${service.url}/v1/openapi.json`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(JSON.parse(renderOpenApi()));
    });

    it("accepts the README's example trace by the OpenAPI request schema, and refuses a trace without agent", () => {
      const doc = JSON.parse(renderOpenApi()) as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: object }> } }>> };
      const validate = new Ajv2020({ strict: false, logger: false }).compile(doc.paths["/v1/traces"]!["post"]!.requestBody.content["application/json"]!.schema);
      const example = JSON.parse(/-d '([\s\S]*?)'/.exec(README)![1]!) as { traces: Array<Record<string, unknown>> };
      expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
      expect(validate({ traces: [{ ...example.traces[0], agent: undefined }] })).toBe(false);
    });

    it("can fail: a route nobody documented is reported", () => {
      expect(mentionsRoute(ALL_DOCS, "GET", "/v1/no-such-route")).toBe(false);
      expect(mentionsRoute("`GET /v1/traces/:id`", "GET", "/v1/traces")).toBe(false);
      expect(mentionsRoute("`GET /v1/patterns?agent=`", "GET", "/v1/patterns")).toBe(true);
    });
  });
});
