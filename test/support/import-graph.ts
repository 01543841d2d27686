// The import graph of the TypeScript sources under src/, read with the TypeScript compiler's own
// scanner (`ts.preProcessFile`: static, type-only, re-exports and dynamic `import()`), so the
// architecture test needs no new dependency. Relative specifiers are resolved the way NodeNext
// resolves them here (`./x.js` is `./x.ts` in the sources); anything else is a package name.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export interface ImportGraph {
  /** Source files, as paths relative to the repository root (`src/a/b.ts`). */
  files: string[];
  /** Imports of each file: resolved source files and package names (`pg`, `@prisma/client`, `node:fs`). */
  imports: Map<string, { files: string[]; packages: string[] }>;
}

/** Every .ts/.mjs file under `dir` (relative to `root`), tests and generated code left out. */
function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "generated") out.push(...sourceFiles(root, rel));
    } else if (/\.(ts|mjs)$/.test(e.name) && !/\.test\.ts$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

/** The package a bare specifier names (`@prisma/client/sql` → `@prisma/client`, `pino/file` → `pino`). */
function packageOf(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function resolve(root: string, from: string, spec: string): string {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const candidates = [target.replace(/\.js$/, ".ts"), target, `${target}.ts`, path.posix.join(target, "index.ts")];
  return candidates.find((c) => existsSync(path.join(root, c))) ?? target;
}

/** Reads the import graph of `src/` under `root`. */
export function readImportGraph(root: string): ImportGraph {
  const files = sourceFiles(root, "src");
  const imports = new Map<string, { files: string[]; packages: string[] }>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(root, file), "utf8"), true, true);
    const entry = { files: [] as string[], packages: [] as string[] };
    for (const { fileName: spec } of importedFiles) {
      if (spec.startsWith(".")) entry.files.push(resolve(root, file, spec));
      else entry.packages.push(packageOf(spec));
    }
    imports.set(file, entry);
  }
  return { files, imports };
}

/** `entry` and every source file it reaches, each with the import chain that reaches it. */
export function reachableFrom(graph: ImportGraph, entry: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const next of graph.imports.get(file)?.files ?? []) {
      if (chains.has(next)) continue;
      chains.set(next, [...chains.get(file)!, next]);
      queue.push(next);
    }
  }
  return chains;
}
