// The demos' workspace: a git repository of prompts (`<dir>/agents`) holding the hand-written
// diagnosis prompt as its first commit, and a `git` runner over it.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SIGNATURE_NAME, SIGNATURE_SOURCE } from "./demo-scenario.js";

export interface DemoWorkspace {
  repoDir: string;
  git: (...args: string[]) => string;
}

/** Creates `<dir>/agents` with the hand-written prompt committed on `main`. */
export function createDemoWorkspace(dir: string): DemoWorkspace {
  const repoDir = path.join(dir, "agents");
  mkdirSync(path.join(repoDir, "prompts"), { recursive: true });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repoDir, encoding: "utf8" });
  git("init", "-q", "-b", "main");
  git("config", "user.name", "meta-agent demo");
  git("config", "user.email", "demo@meta-agent.invalid");
  writeFileSync(path.join(repoDir, "prompts", `${SIGNATURE_NAME}.yaml`), SIGNATURE_SOURCE);
  git("add", ".");
  git("commit", "-q", "-m", "Hand-written diagnosis prompt");
  return { repoDir, git };
}
