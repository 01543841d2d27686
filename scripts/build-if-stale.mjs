#!/usr/bin/env node
// `npm start` and `npm run demo` build first only when the build is stale: when a file the build
// reads (src/, prisma/, tsconfig*.json, package.json, package-lock.json) was added, removed or
// changed since the last successful build. The fingerprint of those files (path, size, mtime) is
// kept in dist/.build-fingerprint; a second start with unchanged sources skips tsc (~20 s on two
// busy cores) and starts in a few seconds.
//   node scripts/build-if-stale.mjs            build if stale
//   node scripts/build-if-stale.mjs --check    exit 1 if stale, 0 if fresh (builds nothing)
//   node scripts/build-if-stale.mjs --stamp    record the current sources as built (end of `npm run build`)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STAMP = path.join(ROOT, "dist", ".build-fingerprint");
const INPUT_DIRS = ["src", "prisma"];
const INPUT_FILES = ["tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"];

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/** Fingerprint of every file the build reads (test files included: cheap, and never wrong). */
export function fingerprint() {
  const files = [];
  for (const d of INPUT_DIRS) if (existsSync(path.join(ROOT, d))) files.push(...walk(path.join(ROOT, d)));
  for (const f of INPUT_FILES) if (existsSync(path.join(ROOT, f))) files.push(path.join(ROOT, f));
  const hash = createHash("sha256");
  for (const f of files.sort()) {
    const s = statSync(f);
    hash.update(`${path.relative(ROOT, f)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return hash.digest("hex");
}

const isFresh = () => existsSync(path.join(ROOT, "dist", "cli", "main.js")) && existsSync(STAMP) && readFileSync(STAMP, "utf8").trim() === fingerprint();

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  if (process.argv.includes("--check")) process.exit(isFresh() ? 0 : 1);
  if (process.argv.includes("--stamp")) {
    // Taken after the build: `prisma generate` rewrites src/generated/ during it.
    writeFileSync(STAMP, fingerprint() + "\n");
  } else if (isFresh()) {
    console.error("[meta-agent] build is up to date (dist/); skipping tsc");
  } else {
    console.error("[meta-agent] sources changed since the last build: building (npm run build)");
    const npm = process.env.npm_execpath;
    const r = npm ? spawnSync(process.execPath, [npm, "run", "build"], { cwd: ROOT, stdio: "inherit" }) : spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit", shell: process.platform === "win32" });
    if (r.status !== 0) process.exit(r.status ?? 1);
    if (!isFresh()) writeFileSync(STAMP, fingerprint() + "\n"); // a build script without --stamp
  }
}
