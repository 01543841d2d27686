// Builders for compiled-version fixtures: versions/<name>.yaml files and the git history
// (commit + `<name>@<version>` tag) the orchestrator reads them from.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { simpleGit } from "simple-git";
import { serializeCompiledVersion, type CompiledVersion } from "../../src/domain/compiled-version.js";
import type { SignatureField } from "../../src/domain/signature.js";

const field = (name: string, description: string, extra: Partial<SignatureField> = {}): SignatureField => ({ name, description, type: "string", optional: false, ...extra });

/** A valid compiled version; override any part. Default: a one-input, one-output "echo" signature. */
export function buildCompiledVersion(overrides: Partial<CompiledVersion> & { name: string }): CompiledVersion {
  return {
    version: "1.0.0",
    parent: null,
    compiledAt: "2026-11-22T00:00:00.000Z",
    description: `${overrides.name} signature`,
    inputs: [field("question", "what the user asks")],
    outputs: [field("answer", "the answer")],
    instructions: `Answer as ${overrides.name}.`,
    guidelines: [],
    demos: [],
    model: { temperature: 0, maxTokens: 256 },
    evaluation: null,
    provenance: { optimizer: "baseline", llmCalls: 0, tokens: 0 },
    ...overrides,
  };
}

export { field as signatureField };

/** Writes `<dir>/<name>.yaml` in canonical form. */
export function writeVersionFile(dir: string, version: CompiledVersion): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${version.name}.yaml`);
  writeFileSync(file, serializeCompiledVersion(version));
  return file;
}

/** A git repository whose `versions/` directory holds compiled versions (other tenants' in `versions/<tenant>/`). */
export async function initPromptsRepo(root: string): Promise<{ versionsDir: string; commitVersion(v: CompiledVersion, tenant?: string): Promise<void> }> {
  mkdirSync(root, { recursive: true });
  const git = simpleGit({ baseDir: root });
  await git.init();
  await git.addConfig("user.name", "Test");
  await git.addConfig("user.email", "test@example.com");
  await git.addConfig("commit.gpgsign", "false");
  const versionsDir = path.join(root, "versions");
  return {
    versionsDir,
    async commitVersion(v, tenant = "default") {
      const prefix = tenant === "default" ? "" : `${tenant}/`;
      writeVersionFile(path.join(versionsDir, prefix), v);
      await git.add(`versions/${prefix}${v.name}.yaml`);
      await git.commit(`${prefix}${v.name}@${v.version}`);
      await git.addAnnotatedTag(`${prefix}${v.name}@${v.version}`, `${prefix}${v.name} ${v.version}`);
    },
  };
}
