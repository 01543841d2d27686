// Compares what schema.prisma declares (Prisma's own DMMF, from its schema WASM) with what the
// migrations actually built in Postgres: tables, columns (type, nullability, default presence),
// primary keys, unique and plain indexes, and foreign keys. Expression and partial indexes (the
// HNSW vector indexes) cannot be written in schema.prisma and are ignored.
import { readFileSync } from "node:fs";
import { get_dmmf } from "@prisma/prisma-schema-wasm";

interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  isRequired: boolean;
  isList: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  hasDefaultValue: boolean;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  fields: { name: string }[];
}

export interface SchemaShape {
  columns: string[];
  indexes: string[];
  foreignKeys: string[];
}

function pgType(f: DmmfField): string {
  if (f.kind === "unsupported") return f.type.replace(/^.*\("?([^")]+)"?\).*$/, "$1");
  const native = f.nativeType?.[0];
  if (native === "Timestamptz") return `timestamptz(${f.nativeType?.[1]?.[0] ?? 6})`;
  if (native === "Timestamp") return `timestamp(${f.nativeType?.[1]?.[0] ?? 6})`;
  switch (f.type) {
    case "String":
      return "text";
    case "Int":
      return "int4";
    case "BigInt":
      return "int8";
    case "Float":
      return "float8";
    case "Boolean":
      return "bool";
    case "Json":
      return "jsonb";
    case "DateTime":
      return "timestamp(3)";
    case "Decimal":
      return "numeric";
    case "Bytes":
      return "bytea";
    default:
      return `unknown:${f.type}`;
  }
}

/** The shape schema.prisma declares. */
export function declaredShape(schemaPath: string): SchemaShape {
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [[schemaPath, readFileSync(schemaPath, "utf8")]] }))) as {
    datamodel: { models: DmmfModel[]; indexes: DmmfIndex[] };
  };
  const models = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
  const table = (m: DmmfModel) => m.dbName ?? m.name;
  const column = (m: DmmfModel, field: string) => {
    const f = m.fields.find((x) => x.name === field)!;
    return f.dbName ?? f.name;
  };
  const columns: string[] = [];
  const foreignKeys: string[] = [];
  for (const m of models.values()) {
    for (const f of m.fields) {
      if (f.kind === "object") {
        if (f.relationFromFields && f.relationFromFields.length > 0) {
          const target = models.get(f.type)!;
          foreignKeys.push(
            `${table(m)}(${f.relationFromFields.map((x) => column(m, x)).join(",")}) -> ${table(target)}(${(f.relationToFields ?? []).map((x) => column(target, x)).join(",")}) on delete ${(f.relationOnDelete ?? "Restrict").toLowerCase()}`,
          );
        }
        continue;
      }
      columns.push(`${table(m)}.${f.dbName ?? f.name} ${pgType(f)}${f.isList ? "[]" : ""} ${f.isRequired ? "not null" : "null"}${f.hasDefaultValue ? " default" : ""}`);
    }
  }
  const indexes = dmmf.datamodel.indexes
    .filter((i) => i.type !== "fulltext")
    .map((i) => {
      const m = models.get(i.model)!;
      const kind = i.type === "id" ? "primary" : i.type === "unique" ? "unique" : "index";
      return `${table(m)} ${kind} (${i.fields.map((f) => column(m, f.name)).join(",")})`;
    });
  columns.push(...unsupportedColumns(readFileSync(schemaPath, "utf8")));
  return { columns: columns.sort(), indexes: indexes.sort(), foreignKeys: foreignKeys.sort() };
}

/** DMMF omits `Unsupported("...")` fields (our vector columns), so read those from the source. */
function unsupportedColumns(source: string): string[] {
  const out: string[] = [];
  for (const block of source.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const body = block[2]!;
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? block[1]!;
    for (const f of body.matchAll(/^\s*(\w+)\s+Unsupported\("(\w+)"\)(\?)?(.*)$/gm)) {
      const column = /@map\("([^"]+)"\)/.exec(f[4]!)?.[1] ?? f[1]!;
      out.push(`${table}.${column} ${f[2]} ${f[3] ? "null" : "not null"}${/@default\(/.test(f[4]!) ? " default" : ""}`);
    }
  }
  return out;
}

/** The shape the database has (public schema, without Prisma's bookkeeping table). */
export async function actualShape(db: Queryable): Promise<SchemaShape> {
  const cols = await db.query<{ t: string; c: string; type: string; nullable: boolean; has_default: boolean }>(`
    SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS type,
           NOT a.attnotnull AS nullable, a.atthasdef AS has_default
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`);
  const normalize = (type: string) =>
    type
      .replace(/^timestamp\((\d)\) with time zone$/, "timestamptz($1)")
      .replace(/^timestamp\((\d)\) without time zone$/, "timestamp($1)")
      .replace(/^text$/, "text")
      .replace(/^integer$/, "int4")
      .replace(/^bigint$/, "int8")
      .replace(/^double precision$/, "float8")
      .replace(/^boolean$/, "bool");
  const columns = cols.rows.map((r) => `${r.t}.${r.c} ${normalize(r.type)} ${r.nullable ? "null" : "not null"}${r.has_default ? " default" : ""}`);
  const idx = await db.query<{ t: string; primary: boolean; unique: boolean; cols: string[] }>(`
    SELECT t.relname AS t, ix.indisprimary AS primary, ix.indisunique AS unique,
           array_agg(a.attname::text ORDER BY k.n) AS cols
    FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace,
         unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attnum = k.attnum
    WHERE a.attrelid = t.oid AND ns.nspname = 'public' AND t.relname <> '_prisma_migrations'
      AND ix.indexprs IS NULL AND ix.indpred IS NULL
    GROUP BY ix.indexrelid, t.relname, ix.indisprimary, ix.indisunique`);
  const indexes = idx.rows.map((r) => `${r.t} ${r.primary ? "primary" : r.unique ? "unique" : "index"} (${r.cols.join(",")})`);
  const fks = await db.query<{ t: string; cols: string[]; ref: string; refcols: string[]; del: string }>(`
    SELECT c.conrelid::regclass::text AS t, c.confrelid::regclass::text AS ref,
           (SELECT array_agg(pa.attname::text ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(num, n) JOIN pg_attribute pa ON pa.attrelid = c.conrelid AND pa.attnum = k.num) AS cols,
           (SELECT array_agg(pa.attname::text ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(num, n) JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.num) AS refcols,
           c.confdeltype AS del
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'`);
  const onDelete: Record<string, string> = { a: "noaction", r: "restrict", c: "cascade", n: "setnull", d: "setdefault" };
  const foreignKeys = fks.rows.map((r) => `${r.t.replace(/"/g, "")}(${r.cols.join(",")}) -> ${r.ref.replace(/"/g, "")}(${r.refcols.join(",")}) on delete ${onDelete[r.del]}`);
  return { columns: columns.sort(), indexes: indexes.sort(), foreignKeys: foreignKeys.sort() };
}

/** Human-readable differences; empty when schema and database agree. */
export function diffShapes(declared: SchemaShape, actual: SchemaShape): string[] {
  const out: string[] = [];
  for (const key of ["columns", "indexes", "foreignKeys"] as const) {
    const a = new Set(actual[key]);
    const d = new Set(declared[key]);
    for (const x of declared[key]) if (!a.has(x)) out.push(`${key}: in schema.prisma, not in migrations: ${x}`);
    for (const x of actual[key]) if (!d.has(x)) out.push(`${key}: in migrations, not in schema.prisma: ${x}`);
  }
  return out;
}
