#!/usr/bin/env node
// Runs `prisma generate` offline. The Prisma 7 CLI insists on locating a schema-engine binary
// (and tries to download one) even though the client generator only uses bundled WASM, so we
// point PRISMA_SCHEMA_ENGINE_BINARY at an existing file unless the caller provides a real one.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve("prisma/build/index.js");
} catch {
  console.error("[meta-agent] prisma CLI not installed (production install?); skipping client generation");
  process.exit(0);
}
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: ["ignore", "pipe", "pipe"], env });
if (result.status !== 0) {
  process.stderr.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exit(result.status ?? 1);
}

// The generated client's doc comments show `process.env.DATABASE_URL` as a usage example. This
// project reads configuration only in src/config/ (the database URL reaches Prisma through
// openDatabase), so the examples are rewritten to say so. Only comment lines are touched: code
// reading the environment in a future Prisma version would stay visible to that rule.
const generated = fileURLToPath(new URL("../src/generated/prisma", import.meta.url));
const commentLine = /^\s*(\*|\/\/)/;
for (const entry of readdirSync(generated, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
  const file = path.join(entry.parentPath, entry.name);
  const text = readFileSync(file, "utf8");
  if (!text.includes("process.env.")) continue;
  const rewritten = text
    .split("\n")
    .map((line) => (commentLine.test(line) ? line.replace(/process\.env\.DATABASE_URL/g, "config.databaseUrl") : line))
    .join("\n");
  if (rewritten !== text) writeFileSync(file, rewritten);
}
