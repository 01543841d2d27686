#!/usr/bin/env node
// Runs `prisma generate` offline. The Prisma 7 CLI insists on locating a schema-engine binary
// (and tries to download one) even though the client generator only uses bundled WASM, so we
// point PRISMA_SCHEMA_ENGINE_BINARY at an existing file unless the caller provides a real one.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";

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
