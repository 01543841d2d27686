// Temporary git repositories (with a bare one as the remote) and compiled-version builders for
// registry tests.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CompiledVersion } from "../../src/domain/compiled-version.js";
import { makeTempDir } from "./temp-dir.js";

export const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" });

export interface TestRepo {
  dir: string;
  /** Bare repository configured as remote `origin` (when asked for). */
  remoteDir?: string;
  remove(): void;
}

export const SIGNATURE_SOURCE = `name: diagnosis
description: Diagnoses a failing service
inputs:
  - name: incidentReport
    description: What the on-call engineer saw
outputs:
  - name: rootCause
    description: The most likely root cause
instructions: Read the incident report and name the root cause.
`;

/** A repository on branch `main` with one commit (README + `prompts`: by file name, default prompts/diagnosis.yaml). */
export function createTestRepo(options: { remote?: boolean; identity?: boolean; prompts?: Record<string, string> } = {}): TestRepo {
  const tmp = makeTempDir("meta-agent-repo-");
  const dir = path.join(tmp.dir, "work");
  mkdirSync(path.join(dir, "prompts"), { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  if (options.identity !== false) {
    git(dir, "config", "user.name", "Test User");
    git(dir, "config", "user.email", "test@example.com");
  }
  writeFileSync(path.join(dir, "README.md"), "# agents\n");
  for (const [file, source] of Object.entries(options.prompts ?? { "diagnosis.yaml": SIGNATURE_SOURCE })) writeFileSync(path.join(dir, "prompts", file), source);
  git(dir, "add", ".");
  const ident = options.identity === false ? ["-c", "user.name=Setup", "-c", "user.email=setup@example.com"] : [];
  execFileSync("git", [...ident, "commit", "-q", "-m", "initial"], { cwd: dir });
  let remoteDir: string | undefined;
  if (options.remote) {
    remoteDir = path.join(tmp.dir, "remote.git");
    git(tmp.dir, "init", "-q", "--bare", remoteDir);
    git(dir, "remote", "add", "origin", remoteDir);
  }
  return { dir, ...(remoteDir ? { remoteDir } : {}), remove: tmp.remove };
}

/** A compiled version of `diagnosis` with overridable fields. */
export function compiledVersion(overrides: Partial<CompiledVersion> = {}): CompiledVersion {
  return {
    name: "diagnosis",
    version: "1.0.0",
    parent: null,
    compiledAt: "2026-11-22T04:00:00.000Z",
    description: "Diagnoses a failing service",
    inputs: [{ name: "incidentReport", description: "What the on-call engineer saw", type: "string", optional: false }],
    outputs: [{ name: "rootCause", description: "The most likely root cause", type: "string", optional: false }],
    instructions: "Read the incident report and name the root cause.",
    guidelines: [],
    demos: [],
    model: { temperature: 0, maxTokens: 1024 },
    evaluation: null,
    provenance: { optimizer: "baseline", llmCalls: 0, tokens: 0 },
    ...overrides,
  };
}
