// Server entry of the `meta-agent` package (import "meta-agent/server"): the programmatic way to
// run and extend the service in your own process — configuration, the database, the service
// itself, recording a compiled candidate in the registry, and the in-process trace sink that
// agents running inside the service use instead of the HTTP client. The CLI (`meta-agent serve`)
// is built on the same functions. Agents that only send traces import "meta-agent" instead.
export { loadConfig, CONFIG_KEYS, type Config } from "./config/index.js";
export { AppError, UnrecoverableError, ConfigError, ValidationError, NotFoundError } from "./errors.js";
export { startService, type Service } from "./main.js";
export { openDatabase, type Database } from "./db/database.js";
export { VERSION } from "./version.js";
export { createInProcessSink, type InProcessSinkOptions } from "./collector/in-process-sink.js";
export { DEFAULT_TENANT, TenantIdSchema, type TenantId } from "./domain/tenant-id.js";
export { recordCandidate, type RecordCandidateInput, type RecordCandidateResult } from "./registry/record-candidate.js";
export { createGitPromptStore, type GitPromptStore } from "./registry/git-prompt-store.js";
export { createRegistryDeps, type RegistryDeps } from "./registry/registry-deps.js";
