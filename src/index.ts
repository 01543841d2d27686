// Public API of the `meta-agent` package.
export { loadConfig, CONFIG_KEYS, type Config } from "./config/index.js";
export { AppError, UnrecoverableError, ConfigError, ValidationError, NotFoundError } from "./errors.js";
export { startService, type Service } from "./main.js";
export { openDatabase, type Database } from "./db/database.js";
export { VERSION } from "./version.js";
export * from "./collector/sdk/index.js";
export { readSdkEnv, type SdkEnv } from "./config/sdk-env.js";
export type { TraceInput, Trace, TraceStep, Outcome, ProblemContext } from "./domain/trace.js";
export { recordCandidate, type RecordCandidateInput, type RecordCandidateResult } from "./registry/record-candidate.js";
export { createGitPromptStore, type GitPromptStore } from "./registry/git-prompt-store.js";
export { createRegistryDeps, type RegistryDeps } from "./registry/registry-deps.js";
