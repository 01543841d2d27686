// One owner per table (docs/architecture.md "Tables and their owners"): only the folder that
// owns a table reads or writes it, with SQL or with Prisma, and always in the table's one access
// style; other folders call the owner's functions and get domain types back. The sources are read
// with the TypeScript compiler's parser: SQL is looked for in string and template literals only
// (comments that mention a table do not count), Prisma access as `<client>.<model>.<operation>`.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

type Style = "sql" | "prisma";

/** Each table's owner folder under src/ and its one access style. The reasons are in docs/architecture.md. */
export const TABLES: Record<string, { owner: string; style: Style }> = {
  tenants: { owner: "tenancy", style: "sql" },
  api_keys: { owner: "tenancy", style: "sql" },
  ui_sessions: { owner: "tenancy", style: "sql" },
  traces: { owner: "collector", style: "sql" },
  trace_steps: { owner: "collector", style: "sql" },
  imports: { owner: "collector", style: "sql" },
  analysis_runs: { owner: "analyzer", style: "sql" },
  patterns: { owner: "analyzer", style: "sql" },
  analysis_strata: { owner: "analyzer", style: "sql" },
  analyzer_state: { owner: "analyzer", style: "sql" },
  analyzer_trace_features: { owner: "analyzer", style: "sql" },
  prompt_versions: { owner: "registry", style: "prisma" },
  canaries: { owner: "registry", style: "sql" },
  version_sources: { owner: "registry", style: "prisma" },
  heuristics: { owner: "heuristics", style: "prisma" },
  experience_replay: { owner: "heuristics", style: "sql" },
  heuristic_watermarks: { owner: "heuristics", style: "prisma" },
  guideline_events: { owner: "learning", style: "prisma" },
  learning_cycles: { owner: "learning", style: "sql" },
  learning_watermarks: { owner: "learning", style: "sql" },
  tasks: { owner: "tasks", style: "prisma" },
  cache_entries: { owner: "memory", style: "sql" },
  trace_embeddings: { owner: "memory", style: "sql" },
  library_documents: { owner: "librarian", style: "sql" },
  library_chunks: { owner: "librarian", style: "sql" },
  vector_indexes: { owner: "db", style: "sql" },
};

/** Prisma's query operations on a model delegate. */
const PRISMA_OPERATIONS = new Set([
  "findMany", "findFirst", "findFirstOrThrow", "findUnique", "findUniqueOrThrow", "create", "createMany", "createManyAndReturn",
  "update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany", "count", "aggregate", "groupBy",
]);

/** Table name of each Prisma model (its `@@map`), from prisma/schema.prisma, keyed by the client's delegate name (`traceStep`). */
function prismaModels(): Map<string, string> {
  const schema = readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8");
  const models = new Map<string, string>();
  for (const m of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const table = /@@map\("([^"]+)"\)/.exec(m[2]!)?.[1] ?? m[1]!;
    models.set(m[1]![0]!.toLowerCase() + m[1]!.slice(1), table);
  }
  return models;
}

/** Non-test sources under src/ (generated Prisma client left out), relative to src/. */
function sources(dir = "src"): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sources(rel);
    return /\.(ts|mts)$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [rel] : [];
  });
}

/** SQL that names a table after a keyword that reads, writes or maintains it. */
const sqlTouching = (table: string) => new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|ANALYZE|TRUNCATE|EXISTS)\\s+(?:ONLY\\s+)?"?${table}"?(?![\\w"])|relname\\s+IN\\s*\\([^)]*'${table}'`, "i");

export interface Touch {
  /** Path relative to src/ (`collector/store-traces.ts`). */
  file: string;
  table: string;
  style: Style;
}

/** Every SQL and Prisma access to a table in `text` (a source file's contents). */
export function touchesIn(file: string, text: string, models: Map<string, string>, tables: readonly string[]): Touch[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found = new Map<string, Touch>();
  const add = (table: string, style: Style) => found.set(`${table} ${style}`, { file: file.replace(/^src\//, ""), table, style });
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      for (const table of tables) if (sqlTouching(table).test(node.text)) add(table, "sql");
    }
    // `<anything>.<model>.<operation>`: db.prisma.trace.findMany, prismaOf(t).task.create, tx.pattern.count
    if (ts.isPropertyAccessExpression(node) && PRISMA_OPERATIONS.has(node.name.text) && ts.isPropertyAccessExpression(node.expression)) {
      const table = models.get(node.expression.name.text);
      if (table) add(table, "prisma");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...found.values()];
}

describe("one owner per table", () => {
  const models = prismaModels();
  const tables = [...new Set(models.values())];
  const touches = sources().flatMap((file) => touchesIn(file, readFileSync(path.join(ROOT, file), "utf8"), models, tables));
  const folderOf = (file: string) => file.split("/")[0]!;

  it("names an owner and an access style for every table of the schema, and no table the schema lacks", () => {
    expect(Object.keys(TABLES).sort()).toEqual([...tables].sort());
  });

  it("finds each owner reading or writing its table (the scan sees what it is meant to)", () => {
    const unseen = Object.entries(TABLES)
      .filter(([table, { owner }]) => !touches.some((t) => t.table === table && folderOf(t.file) === owner))
      .map(([table, { owner }]) => `${table} (${owner})`);
    expect(unseen).toEqual([]);
  });

  it("lets no folder but the owner read or write a table with SQL or Prisma", () => {
    const strangers = touches.filter((t) => TABLES[t.table] && folderOf(t.file) !== TABLES[t.table]!.owner).map((t) => `${t.file} touches ${t.table} (owner: ${TABLES[t.table]!.owner})`);
    expect(strangers).toEqual([]);
  });

  it("reaches each table in its one access style", () => {
    const mixed = touches.filter((t) => TABLES[t.table] && t.style !== TABLES[t.table]!.style).map((t) => `${t.file} uses ${t.style} on ${t.table} (style: ${TABLES[t.table]!.style})`);
    expect(mixed).toEqual([]);
  });

  it("recognises SQL in strings and Prisma delegates, never a table named in a comment", () => {
    const text = [
      "// rows FROM traces are read elsewhere",
      "const a = `SELECT id FROM \"traces\" t JOIN trace_steps s ON s.trace_id = t.id`;",
      "const b = 'INSERT INTO patterns (id) VALUES ($1)';",
      "await db.prisma.promptVersion.findMany({});",
      "await prismaOf(tenant).task.create({ data });",
      "const c = 'SELECT * FROM traces_archive';",
    ].join("\n");
    expect(touchesIn("src/x/y.ts", text, models, tables).map((t) => `${t.table} ${t.style}`).sort()).toEqual(["patterns sql", "prompt_versions prisma", "tasks prisma", "trace_steps sql", "traces sql"]);
  });
});
