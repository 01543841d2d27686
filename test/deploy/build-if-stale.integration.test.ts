// `npm start` builds only when the sources changed since the last build: the real script, run in
// a copy of the project layout whose build is a small node command (tsc would take a minute).
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeTempDir } from "../support/temp-dir.js";

const SCRIPT = fileURLToPath(new URL("../../scripts/build-if-stale.mjs", import.meta.url));

describe("build-if-stale (prestart)", () => {
  it("builds the first time and after a change, and skips the build when the sources are unchanged", () => {
    const tmp = makeTempDir("meta-agent-build-stale-");
    try {
      const root = tmp.dir;
      mkdirSync(path.join(root, "scripts"));
      copyFileSync(SCRIPT, path.join(root, "scripts", "build-if-stale.mjs"));
      mkdirSync(path.join(root, "src"));
      writeFileSync(path.join(root, "src", "main.ts"), "export const a = 1;\n");
      // The "build" counts its runs and writes dist/cli/main.js, as tsc does.
      const build = "const fs=require('fs');fs.mkdirSync('dist/cli',{recursive:true});fs.writeFileSync('dist/cli/main.js','');fs.appendFileSync('builds.log','x')";
      writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "x", private: true, scripts: { build: `node -e "${build}"` } }));
      const run = (...args: string[]) => spawnSync(process.execPath, [path.join(root, "scripts", "build-if-stale.mjs"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, npm_execpath: "" } });
      const builds = () => readFileSync(path.join(root, "builds.log"), "utf8").length;

      expect(run("--check").status).toBe(1); // never built
      expect(run().status).toBe(0);
      expect(builds()).toBe(1);
      expect(run("--check").status).toBe(0);

      const second = run();
      expect(second.status).toBe(0);
      expect(second.stderr).toContain("build is up to date");
      expect(builds()).toBe(1);

      const later = new Date(Date.now() + 5_000);
      utimesSync(path.join(root, "src", "main.ts"), later, later); // an edit
      expect(run("--check").status).toBe(1);
      expect(run().status).toBe(0);
      expect(builds()).toBe(2);

      writeFileSync(path.join(root, "src", "new-file.ts"), "export {};\n"); // a new file
      expect(run("--check").status).toBe(1);
      rmSync(path.join(root, "src", "new-file.ts"));
      expect(run("--check").status).toBe(0); // back to what was built
    } finally {
      tmp.remove();
    }
  });
});
