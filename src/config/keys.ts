// The table of every configuration key: its file name, environment variables, zod schema,
// default and documentation. Adding a key is one entry here; docs/configuration.md's table is generated from it (scripts/config-table.ts).
import { z } from "zod";

/** Accepts "true/false/1/0/yes/no/on/off" from the environment, booleans from YAML. */
export const booleanish = z.preprocess((v) => {
  if (typeof v !== "string") return v;
  const s = v.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(s)) return true;
  if (["false", "0", "no", "off"].includes(s)) return false;
  return v;
}, z.boolean({ message: "expected true or false" }));

const port = z.coerce
  .number({ message: "expected an integer between 0 and 65535" })
  .int("expected an integer between 0 and 65535")
  .min(0, "expected an integer between 0 and 65535")
  .max(65535, "expected an integer between 0 and 65535");

const url = z.string().trim().url("expected a URL such as http://127.0.0.1:8000/v1");
const optionalString = z.string().trim().min(1, "expected a non-empty string");
const positiveInt = z.coerce.number({ message: "expected a positive integer" }).int("expected a positive integer").positive("expected a positive integer");
const nonNegativeInt = z.coerce.number({ message: "expected a non-negative integer" }).int("expected a non-negative integer").min(0, "expected a non-negative integer");
/** A Postgres memory setting: a number with kB, MB or GB, from 16MB to 1GB (PGlite is 32-bit WebAssembly: 2GB does not start). */
const pgMemory = z
  .string()
  .trim()
  .regex(/^\d+(kB|MB|GB)$/, "expected a size such as 256MB or 1GB (units kB, MB, GB)")
  .refine((v) => {
    const kB = Number.parseInt(v, 10) * (v.endsWith("GB") ? 1024 * 1024 : v.endsWith("MB") ? 1024 : 1);
    return kB >= 16 * 1024 && kB <= 1024 * 1024;
  }, "expected a size between 16MB and 1GB");
const probability = z.coerce.number({ message: "expected a number between 0 and 1" }).min(0, "expected a number between 0 and 1").max(1, "expected a number between 0 and 1");
const logLevel = z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"], {
  message: "expected one of trace, debug, info, warn, error, fatal, silent",
});
/** Seconds (a positive integer) or a cron expression (five or six fields). */
const interval = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : typeof v === "string" ? v.trim() : v))
  .refine((v) => (typeof v === "number" ? Number.isInteger(v) && v > 0 : /^(\S+\s+){4,5}\S+$/.test(v)), {
    message: "expected seconds (a positive integer) or a cron expression",
  });

const efSearch = z.coerce.number({ message: "expected an integer from 1 to 1000" }).int("expected an integer from 1 to 1000").min(1, "expected an integer from 1 to 1000").max(1000, "expected an integer from 1 to 1000");
/** A mapping from YAML as it is, or from the environment's `name=value,other=value` (a name without `=` maps to undefined, which the schema refuses). */
function namedValues(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const out: Record<string, unknown> = {};
  for (const part of v.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf("=");
    out[eq > 0 ? part.slice(0, eq).trim() : part] = eq > 0 ? part.slice(eq + 1).trim() : undefined;
  }
  return out;
}

/** `{ signature: threshold }` from YAML, or `name=0.9,other=0.97` from the environment. */
const signatureThresholds = z.preprocess(
  namedValues,
  z.record(z.string().min(1), probability, { message: "expected a mapping of signature names to numbers between 0 and 1 (env: name=0.9,other=0.97)" }),
);

/** `model_prices`: a YAML mapping, or the same as JSON in the environment. */
const modelPrices = z.preprocess((v) => {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}, z.record(z.string().trim().min(1), z.strictObject({ input: z.number().nonnegative(), output: z.number().nonnegative(), cached_input: z.number().nonnegative().optional() }), { message: 'expected a mapping of model names to { input, output, cached_input } prices in USD per million tokens (env: JSON such as {"gpt-4o-mini":{"input":0.15,"output":0.6}})' }));

export interface KeySpec {
  /** Key in `meta-agent.config.yaml`. */
  file: string;
  /** Environment variables, first match wins. */
  env: readonly string[];
  schema: z.ZodType;
  default?: unknown;
  doc: string;
}

export const CONFIG_KEYS = {
  databaseUrl: { file: "database_url", env: ["DATABASE_URL"], schema: z.string().trim().regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// URL"), doc: "PostgreSQL connection URL. Unset: the embedded database (PGlite + pgvector) under the data dir." },
  dataDir: { file: "data_dir", env: ["META_AGENT_DATA_DIR"], schema: optionalString, default: ".meta-agent", doc: "Where the embedded database, state file, worktrees and pull-request texts live." },
  servicesDir: { file: "services_dir", env: ["META_AGENT_SERVICES_DIR"], schema: optionalString, doc: "Where each running `meta-agent serve` announces itself (pid, URL, data dir), so a CLI command started without META_AGENT_DATA_DIR finds the running service's database instead of opening another one. Default: meta-agent-<user>/services in the system's temporary directory." },
  stateFile: { file: "state_file", env: ["META_AGENT_STATE_FILE"], schema: optionalString, doc: "State file of the running service (pid, URLs, embedded database port). Default: <data_dir>/state.json." },
  port: { file: "port", env: ["PORT"], schema: port, default: 8080, doc: "HTTP port (0 picks a free port)." },
  host: { file: "host", env: ["HOST"], schema: optionalString, default: "127.0.0.1", doc: "HTTP bind address." },
  embeddedDbPort: { file: "embedded_db_port", env: ["META_AGENT_EMBEDDED_DB_PORT"], schema: port, default: 0, doc: "Loopback port of the embedded database's Postgres socket (0 picks a free port)." },
  embeddedAutovacuumNaptimeMs: { file: "embedded_autovacuum_naptime_ms", env: ["META_AGENT_EMBEDDED_AUTOVACUUM_NAPTIME_MS"], schema: nonNegativeInt, default: 5000, doc: "Milliseconds between the embedded database's autovacuum passes (VACUUM/ANALYZE by Postgres's autovacuum rules; PGlite has no background workers). 0 turns them off. Ignored with DATABASE_URL." },
  embeddedSharedBuffers: { file: "embedded_shared_buffers", env: ["META_AGENT_EMBEDDED_SHARED_BUFFERS"], schema: pgMemory, default: "128MB", doc: "Buffer cache of the embedded database (Postgres `shared_buffers`, 16MB to 1GB). The whole amount is resident from the start. 128MB holds the vector index of about 50k cache entries of dimension 384; beyond that each lookup re-reads index pages (100k entries: lookup p50 9 ms at 128MB, 5 ms at 512MB in BENCHMARKS.md). Ignored with DATABASE_URL." },
  embeddedCliFastStart: { file: "embedded_cli_fast_start", env: ["META_AGENT_EMBEDDED_CLI_FAST_START"], schema: booleanish, default: true, doc: "When a short CLI command (listings, lookups, `run`, `status`, `keys`, `versions`, `cache`, `db migrate`) starts the embedded database itself (no service running), start it for a short job: shared_buffers 16MB (embedded_shared_buffers is for the service) and V8's baseline WebAssembly compiler only, whose optimizing tier-up otherwise holds up the first query. `traces list` then takes about 0.6× as long (BENCHMARKS.md). Batch commands (`import`, `librarian index`, `analyze`, `compile`, `learn`, `traces export`) always start it as the service does: with the fast start a 23,500-chunk `librarian index` took 1.4× as long. false: every command starts it as the service does. Ignored with DATABASE_URL." },
  llmBaseUrl: { file: "llm_base_url", env: ["LLM_BASE_URL"], schema: url, doc: "OpenAI-compatible endpoint (vLLM, Ollama, OpenAI), e.g. http://127.0.0.1:8000/v1." },
  llmApiKey: { file: "llm_api_key", env: ["LLM_API_KEY"], schema: optionalString, doc: "API key for the LLM endpoint (vLLM accepts any value)." },
  llmModel: { file: "llm_model", env: ["LLM_MODEL"], schema: optionalString, doc: "Model name served by the LLM endpoint." },
  embedder: {
    file: "embedder",
    env: ["EMBEDDER", "META_AGENT_EMBEDDER"],
    schema: z.enum(["local", "hash", "openai"], { message: "expected local, hash or openai" }),
    doc: "What embeds text for the semantic cache, the Librarian and similar-trace retrieval: `local` (the built-in sentence encoder, Universal Sentence Encoder lite, 512 dimensions, in a worker thread; falls back to `hash` with a loud warning if it cannot load), `hash` (lexical feature hashing, `hash-384`: fast, matches shared words only) or `openai` (EMBEDDINGS_BASE_URL). Unset: `openai` when EMBEDDINGS_BASE_URL is set, else `local`. After a change, `meta-agent embeddings reembed` converts stored vectors; until then old ones are not matched.",
  },
  embeddingsBaseUrl: { file: "embeddings_base_url", env: ["EMBEDDINGS_BASE_URL"], schema: url, doc: "OpenAI-compatible /v1/embeddings endpoint (used when `embedder` is `openai`, or unset)." },
  embeddingsModel: { file: "embeddings_model", env: ["EMBEDDINGS_MODEL"], schema: optionalString, doc: "Embedding model name for EMBEDDINGS_BASE_URL." },
  llmTimeoutMs: { file: "llm_timeout_ms", env: ["LLM_TIMEOUT_MS"], schema: positiveInt, default: 60_000, doc: "Timeout of one LLM call attempt, in milliseconds." },
  llmMaxRetries: { file: "llm_max_retries", env: ["LLM_MAX_RETRIES"], schema: nonNegativeInt, default: 3, doc: "Retries of an LLM or embeddings call on retryable errors (connection, timeout, 408/409/429/5xx)." },
  llmRetryBaseDelayMs: { file: "llm_retry_base_delay_ms", env: ["LLM_RETRY_BASE_DELAY_MS"], schema: nonNegativeInt, default: 500, doc: "First retry backoff in milliseconds (doubles each retry, with jitter; Retry-After wins)." },
  embeddingsApiKey: { file: "embeddings_api_key", env: ["EMBEDDINGS_API_KEY"], schema: optionalString, doc: "API key for EMBEDDINGS_BASE_URL. Unset: LLM_API_KEY." },
  embeddingsBatchSize: { file: "embeddings_batch_size", env: ["EMBEDDINGS_BATCH_SIZE"], schema: positiveInt, default: 64, doc: "Texts per /v1/embeddings request." },
  embeddingsDimension: { file: "embeddings_dimension", env: ["EMBEDDINGS_DIMENSION"], schema: positiveInt, doc: "Embedding dimension. Remote: checked against responses (unset: discovered from the first one). Hashing embedder (and the local encoder's fallback): vector size (default 384). The local encoder is always 512." },
  cacheEnabled: { file: "cache_enabled", env: ["CACHE_ENABLED", "META_AGENT_CACHE_ENABLED"], schema: booleanish, default: true, doc: "Serve repeated or paraphrased signature inputs from the semantic cache (zero tokens)." },
  cacheSimilarityThreshold: { file: "cache_similarity_threshold", env: ["CACHE_SIMILARITY_THRESHOLD", "META_AGENT_CACHE_SIMILARITY_THRESHOLD"], schema: probability, doc: "Minimum cosine similarity for a semantic cache hit; with cache_match_check, for a stored input to be a candidate of the second check. Unset: the embedder's calibrated threshold (local encoder: 0.80 with the check, its fitted lower bound, and 0.97 without; hashing and remote endpoints 0.95; BENCHMARKS.md shows the curves)." },
  cacheMatchCheck: { file: "cache_match_check", env: ["CACHE_MATCH_CHECK", "META_AGENT_CACHE_MATCH_CHECK"], schema: booleanish, default: true, doc: "Second check on semantic cache candidates (every embedder): a stored input with the same content words hits; one that differs from the new input in a few decisive words (\"enable\" / \"disable\", \"staging\" / \"production\") or in a number is refused; reworded inputs are judged by a model fitted on labelled pairs (local encoder), or by the cosine threshold alone (other embedders). false: the cosine threshold alone decides. BENCHMARKS.md has the measured hit and false-hit rates." },
  cacheSimilarityThresholds: { file: "cache_similarity_thresholds", env: ["CACHE_SIMILARITY_THRESHOLDS", "META_AGENT_CACHE_SIMILARITY_THRESHOLDS"], schema: signatureThresholds, default: {}, doc: "Per-signature thresholds overriding cache_similarity_threshold: a mapping, or `name=0.9,other=0.97` in the environment." },
  cacheTtlSeconds: { file: "cache_ttl_seconds", env: ["CACHE_TTL_SECONDS", "META_AGENT_CACHE_TTL_SECONDS"], schema: nonNegativeInt, default: 604800, doc: "Seconds a cache entry is served after it is stored (0: forever)." },
  vectorEfSearch: { file: "vector_ef_search", env: ["VECTOR_EF_SEARCH", "META_AGENT_VECTOR_EF_SEARCH"], schema: efSearch, default: 40, doc: "HNSW ef_search of vector queries (higher: better recall, slower)." },
  libraryDir: { file: "library_dir", env: ["LIBRARY_DIR", "META_AGENT_LIBRARY_DIR"], schema: optionalString, default: "data", doc: "Folder the Librarian indexes (text, Markdown, PDF)." },
  libraryChunkChars: { file: "library_chunk_chars", env: ["LIBRARY_CHUNK_CHARS", "META_AGENT_LIBRARY_CHUNK_CHARS"], schema: z.coerce.number({ message: "expected an integer from 200 to 20000" }).int("expected an integer from 200 to 20000").min(200, "expected an integer from 200 to 20000").max(20000, "expected an integer from 200 to 20000"), default: 1200, doc: "Target size of a Librarian chunk, in characters." },
  libraryChunkOverlap: { file: "library_chunk_overlap", env: ["LIBRARY_CHUNK_OVERLAP", "META_AGENT_LIBRARY_CHUNK_OVERLAP"], schema: nonNegativeInt, default: 150, doc: "Characters repeated between consecutive chunks so a passage is not cut off from its context." },
  logLevel: { file: "log_level", env: ["LOG_LEVEL", "META_AGENT_LOG_LEVEL"], schema: z.preprocess((v) => (typeof v === "string" ? v.trim().toLowerCase().replace(/^warning$/, "warn") : v), logLevel), default: "info", doc: "trace, debug, info, warn, error, fatal or silent (WARNING is accepted as warn)." },
  learningInterval: { file: "learning_interval", env: ["LEARNING_INTERVAL", "META_AGENT_LEARNING_INTERVAL"], schema: interval, default: 3600, doc: "Seconds between learning cycles, or a cron expression." },
  minTracesForAnalysis: { file: "min_traces_for_analysis", env: ["MIN_TRACES_FOR_ANALYSIS", "META_AGENT_MIN_TRACES_FOR_ANALYSIS"], schema: positiveInt, default: 10, doc: "Minimum traces before patterns can be actionable and a cycle runs." },
  confidenceThreshold: { file: "confidence_threshold", env: ["CONFIDENCE_THRESHOLD", "META_AGENT_CONFIDENCE_THRESHOLD"], schema: probability, default: 0.7, doc: "Minimum confidence for a pattern to be actionable (and become a guideline)." },
  analysisWindowDays: { file: "analysis_window_days", env: ["ANALYSIS_WINDOW_DAYS", "META_AGENT_ANALYSIS_WINDOW_DAYS"], schema: nonNegativeInt, default: 30, doc: "Days of traces (by start time) the pattern analyzer looks at; 0 analyzes all traces." },
  analyzerIntentSample: { file: "analyzer_intent_sample", env: ["META_AGENT_ANALYZER_INTENT_SAMPLE"], schema: nonNegativeInt, default: 2000, doc: "Traces without a task key whose inputs the analyzer embeds and clusters into intents (a fixed sample by hash of the trace id; embeddings are kept, so each input is embedded once). Traces outside the sample are left out of within-intent tests; 0 turns intent grouping off (one group)." },
  enableAutoUpdates: { file: "enable_auto_updates", env: ["ENABLE_AUTO_UPDATES", "META_AGENT_ENABLE_AUTO_UPDATES"], schema: booleanish, default: true, doc: "true: commit promoted versions on the serving branch; false: review branches and pull requests." },
  backupOriginalPrompts: { file: "backup_original_prompts", env: ["BACKUP_ORIGINAL_PROMPTS", "META_AGENT_BACKUP_ORIGINAL_PROMPTS"], schema: booleanish, default: true, doc: "Keep the hand-written baseline as version 1.0.0 so it can always be rolled back to." },
  minImprovement: { file: "min_improvement", env: ["MIN_IMPROVEMENT", "META_AGENT_MIN_IMPROVEMENT"], schema: probability, default: 0.02, doc: "Minimum dev-set score gain for a candidate to be promoted." },
  devSetSize: { file: "dev_set_size", env: ["DEV_SET_SIZE", "META_AGENT_DEV_SET_SIZE"], schema: positiveInt, default: 20, doc: "Dev-set size used to evaluate candidates; smaller dev sets never promote." },
  maxLlmCallsPerCycle: { file: "max_llm_calls_per_cycle", env: ["MAX_LLM_CALLS_PER_CYCLE", "META_AGENT_MAX_LLM_CALLS_PER_CYCLE"], schema: nonNegativeInt, default: 500, doc: "Budget of LLM calls for one learning cycle: the heuristics library's reflections on failed runs and the compilations together (compilation gets what the reflections leave)." },
  orchestratorConcurrency: { file: "orchestrator_concurrency", env: ["ORCHESTRATOR_CONCURRENCY", "META_AGENT_ORCHESTRATOR_CONCURRENCY"], schema: positiveInt, default: 8, doc: "Model calls of one parallel wave in flight at once (feeds vLLM's continuous batching)." },
  orchestratorCallTimeoutMs: { file: "orchestrator_call_timeout_ms", env: ["ORCHESTRATOR_CALL_TIMEOUT_MS", "META_AGENT_ORCHESTRATOR_CALL_TIMEOUT_MS"], schema: positiveInt, default: 60000, doc: "Timeout of one sub-call of a task (milliseconds); a timed-out call fails alone, not its wave." },
  orchestratorMaxSubtasks: { file: "orchestrator_max_subtasks", env: ["ORCHESTRATOR_MAX_SUBTASKS", "META_AGENT_ORCHESTRATOR_MAX_SUBTASKS"], schema: positiveInt, default: 8, doc: "Most sub-tasks the analyst may create for one hierarchical task; extra ones are dropped." },
  orchestratorMaxDepth: { file: "orchestrator_max_depth", env: ["ORCHESTRATOR_MAX_DEPTH", "META_AGENT_ORCHESTRATOR_MAX_DEPTH"], schema: z.coerce.number({ message: "expected an integer from 1 to 5" }).int("expected an integer from 1 to 5").min(1, "expected an integer from 1 to 5").max(5, "expected an integer from 1 to 5"), default: 1, doc: "Levels of sub-tasks in a hierarchical task (1 to 5). 1: the analyst's sub-tasks are answered as they are. Deeper: a `reason` sub-task above the last level is given to the analyst again and, when its plan has two or more parts, split into them (each level's answers merged by the synthesizer); one token budget holds across levels. A task may set `max_depth` itself." },
  orchestratorAgentsPerLevel: { file: "orchestrator_agents_per_level", env: ["ORCHESTRATOR_AGENTS_PER_LEVEL", "META_AGENT_ORCHESTRATOR_AGENTS_PER_LEVEL"], schema: positiveInt, default: 2, doc: "Most parts a sub-task is split into below the first level when orchestrator_max_depth > 1; the first level takes up to orchestrator_max_subtasks. A task may set `agents_per_level` itself." },
  orchestratorProgramTimeoutMs: { file: "orchestrator_program_timeout_ms", env: ["ORCHESTRATOR_PROGRAM_TIMEOUT_MS", "META_AGENT_ORCHESTRATOR_PROGRAM_TIMEOUT_MS"], schema: positiveInt, default: 5000, doc: "Wall-clock limit of a program the engineer wrote for a compute sub-task (milliseconds); a slower program is killed and the worker takes the sub-task." },
  orchestratorResearchPassages: { file: "orchestrator_research_passages", env: ["ORCHESTRATOR_RESEARCH_PASSAGES", "META_AGENT_ORCHESTRATOR_RESEARCH_PASSAGES"], schema: z.coerce.number({ message: "expected an integer from 1 to 50" }).int("expected an integer from 1 to 50").min(1, "expected an integer from 1 to 50").max(50, "expected an integer from 1 to 50"), default: 5, doc: "Library passages retrieved for a research sub-task and given to its worker as numbered references." },
  orchestratorToolMaxRounds: { file: "orchestrator_tool_max_rounds", env: ["ORCHESTRATOR_TOOL_MAX_ROUNDS", "META_AGENT_ORCHESTRATOR_TOOL_MAX_ROUNDS"], schema: z.coerce.number({ message: "expected an integer from 1 to 50" }).int("expected an integer from 1 to 50").min(1, "expected an integer from 1 to 50").max(50, "expected an integer from 1 to 50"), default: 6, doc: "Most rounds of tool calls in one run of a signature with service tools (run_program, search_library; docs/orchestrator.md). A model still calling tools after them ends the run with `tool_rounds_exhausted` (HTTP 502), recorded as a failed trace with every call it made." },
  defaultTaskBudgetTokens: { file: "default_task_budget_tokens", env: ["DEFAULT_TASK_BUDGET_TOKENS", "META_AGENT_DEFAULT_TASK_BUDGET_TOKENS"], schema: positiveInt, default: 8000, doc: "Token budget of a task submitted without total_budget_tokens." },
  modelPrices: { file: "model_prices", env: ["MODEL_PRICES", "META_AGENT_MODEL_PRICES"], schema: modelPrices, default: {}, doc: "Prices that give each stored run its `cost_usd`: model name or pattern (`*` matches anything; an exact name wins, then the most specific pattern) → `{ input, output, cached_input }` in USD per million tokens (`cached_input` is optional and defaults to `input`). In the environment, the same as JSON. Applied to orchestrator runs, SDK traces, OTLP spans and imports that carry tokens but no cost; a run whose model has no price keeps an empty cost (never 0). Empty by default: see docs/costs.md." },
  routingEnabled: { file: "routing_enabled", env: ["META_AGENT_ROUTING_ENABLED"], schema: booleanish, default: true, doc: "Route sub-tasks of hierarchical tasks with the tenant's learned routing policy (docs/routing.md). Without a trained policy (cold start) the fixed rule routes: compute → engineer, everything else → worker. false: always the fixed rule." },
  routingLambda: { file: "routing_lambda", env: ["META_AGENT_ROUTING_LAMBDA"], schema: z.coerce.number({ message: "expected a number ≥ 0" }).min(0, "expected a number ≥ 0"), default: 0.1, doc: "λ of the routing reward: success (1 or 0) − λ·cost, where cost is the call's tokens / 1000 × the model's price (routing_model_costs). 0 routes for success alone." },
  routingExploration: { file: "routing_exploration", env: ["META_AGENT_ROUTING_EXPLORATION"], schema: z.coerce.number({ message: "expected a number between 0 and 0.5" }).min(0, "expected a number between 0 and 0.5").max(0.5, "expected a number between 0 and 0.5"), default: 0.05, doc: "Share of routing decisions spread uniformly over the available routes (every route keeps at least exploration / routes of the probability), so the policy keeps learning about routes it does not favour. At most 0.5; 0 turns exploration off." },
  routingModels: { file: "routing_models", env: ["META_AGENT_ROUTING_MODELS"], schema: z.preprocess((v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v), z.array(optionalString)), default: [], doc: "Models at the LLM endpoint the router may choose between, comma-separated (env) or a list (file); every route is tried with each. The first is the fixed rule's. Empty: each signature's own model." },
  routingModelCosts: { file: "routing_model_costs", env: ["META_AGENT_ROUTING_MODEL_COSTS"], schema: z.preprocess(
    namedValues,
    z.record(z.string().min(1), z.coerce.number({ message: "expected a price ≥ 0" }).min(0, "expected a price ≥ 0"), { message: "expected a mapping of model names to prices per 1000 tokens (env: small=0.2,large=1)" }),
  ), default: {}, doc: "Price per 1000 tokens of each model, for the routing reward's cost (env: `small=0.2,large=1`). A model not listed costs 1." },
  routingMinTraces: { file: "routing_min_traces", env: ["META_AGENT_ROUTING_MIN_TRACES"], schema: positiveInt, default: 30, doc: "Sub-task traces with a known outcome needed before a routing policy is trained; until then the fixed rule routes (cold start)." },
  routingEpochs: { file: "routing_epochs", env: ["META_AGENT_ROUTING_EPOCHS"], schema: positiveInt, default: 100, doc: "Passes of REINFORCE over the recorded traces per training." },
  routingLearningRate: { file: "routing_learning_rate", env: ["META_AGENT_ROUTING_LEARNING_RATE"], schema: z.coerce.number({ message: "expected a positive number" }).positive("expected a positive number"), default: 0.5, doc: "Step size of the routing policy's gradient updates." },
  routingEmbeddingDims: { file: "routing_embedding_dims", env: ["META_AGENT_ROUTING_EMBEDDING_DIMS"], schema: z.coerce.number({ message: "expected an integer from 0 to 64" }).int("expected an integer from 0 to 64").min(0, "expected an integer from 0 to 64").max(64, "expected an integer from 0 to 64"), default: 16, doc: "The task embedding is projected (seeded random projection) to this many routing features, beside the intent and length. 0: no embedding features." },
  maxToolResponseChars: { file: "max_tool_response_chars", env: ["MAX_TOOL_RESPONSE_CHARS", "META_AGENT_MAX_TOOL_RESPONSE_CHARS"], schema: positiveInt, default: 10_000, doc: "Tool responses longer than this are truncated when a trace is stored (the SDK truncates before sending)." },
  ingestMaxBodyBytes: { file: "ingest_max_body_bytes", env: ["META_AGENT_INGEST_MAX_BODY_BYTES"], schema: positiveInt, default: 5 * 1024 * 1024, doc: "Largest POST /v1/traces and OTLP body in bytes (larger bodies get 413), and largest record of an import (a larger one is skipped and listed as invalid)." },
  ingestMaxTraces: { file: "ingest_max_traces", env: ["META_AGENT_INGEST_MAX_TRACES"], schema: positiveInt, default: 1000, doc: "Most traces in one POST /v1/traces batch; more get 413." },
  promptsDir: { file: "prompts_dir", env: ["META_AGENT_PROMPTS_DIR"], schema: optionalString, doc: "Directory of the signature sources (<name>.yaml). Default: prompts/ in prompts_repo_dir (or the working directory)." },
  versionsDir: { file: "versions_dir", env: ["META_AGENT_VERSIONS_DIR", "VERSIONS_DIR"], schema: optionalString, doc: "Directory of the compiled versions (<name>.yaml, always the latest). Default: versions/ in prompts_repo_dir (or the working directory)." },
  compileOptimizer: { file: "compile_optimizer", env: ["COMPILE_OPTIMIZER", "META_AGENT_COMPILE_OPTIMIZER"], schema: z.enum(["search", "bootstrap-few-shot", "guideline-induction", "reflective"], { message: "expected search, bootstrap-few-shot, guideline-induction or reflective" }), default: "search", doc: "Optimizer used when none is named: search, bootstrap-few-shot, guideline-induction or reflective." },
  maxLlmCallsPerCompilation: { file: "max_llm_calls_per_compilation", env: ["MAX_LLM_CALLS_PER_COMPILATION", "META_AGENT_MAX_LLM_CALLS_PER_COMPILATION"], schema: positiveInt, default: 300, doc: "LLM calls one compilation may make (optimizer, evaluation and judge calls); reaching it stops the compilation." },
  maxTokensPerCompilation: { file: "max_tokens_per_compilation", env: ["MAX_TOKENS_PER_COMPILATION", "META_AGENT_MAX_TOKENS_PER_COMPILATION"], schema: positiveInt, default: 1_000_000, doc: "Prompt + completion tokens one compilation may spend; reaching it stops the compilation." },
  promotionConfidence: { file: "promotion_confidence", env: ["PROMOTION_CONFIDENCE", "META_AGENT_PROMOTION_CONFIDENCE"], schema: z.coerce.number({ message: "expected a number between 0.5 and 0.999" }).min(0.5, "expected a number between 0.5 and 0.999").max(0.999, "expected a number between 0.5 and 0.999"), default: 0.95, doc: "Confidence (paired bootstrap) with which a candidate must beat its parent by min_improvement." },
  demoRetrieval: { file: "demo_retrieval", env: ["DEMO_RETRIEVAL", "META_AGENT_DEMO_RETRIEVAL"], schema: booleanish, default: true, doc: "Demo selection favours the successful training traces whose inputs are nearest to the dev-set inputs (similar-trace retrieval with the configured embedder); false: diverse demos from all successful training traces." },
  heuristicsEnabled: { file: "heuristics_enabled", env: ["HEURISTICS_ENABLED", "META_AGENT_HEURISTICS_ENABLED"], schema: booleanish, default: true, doc: "Shared heuristics library (docs/heuristics.md): learning cycles distill heuristics from findings and reflections, update their Q-values, and the compiler adds the ones whose scope matches a signature to its guidelines." },
  heuristicsLearningRate: { file: "heuristics_learning_rate", env: ["HEURISTICS_LEARNING_RATE", "META_AGENT_HEURISTICS_LEARNING_RATE"], schema: probability, default: 0.1, doc: "Step size α of the Q-value update Q ← Q + α·(reward − Q), applied for every run in the replay buffer whose prompt carried the heuristic." },
  heuristicsInitialQ: { file: "heuristics_initial_q", env: ["HEURISTICS_INITIAL_Q", "META_AGENT_HEURISTICS_INITIAL_Q"], schema: probability, default: 0.5, doc: "Q-value of a new heuristic before any run used it." },
  heuristicsReplayCapacity: { file: "heuristics_replay_capacity", env: ["HEURISTICS_REPLAY_CAPACITY", "META_AGENT_HEURISTICS_REPLAY_CAPACITY"], schema: positiveInt, default: 1000, doc: "Runs kept in the tenant's experience-replay buffer (the oldest are evicted); Q-values are replayed from it." },
  heuristicsMinUses: { file: "heuristics_min_uses", env: ["HEURISTICS_MIN_USES", "META_AGENT_HEURISTICS_MIN_USES"], schema: positiveInt, default: 10, doc: "Runs with a heuristic in the replay buffer before it may be retired." },
  heuristicsRetireBelow: { file: "heuristics_retire_below", env: ["HEURISTICS_RETIRE_BELOW", "META_AGENT_HEURISTICS_RETIRE_BELOW"], schema: probability, default: 0.3, doc: "A heuristic with at least heuristics_min_uses runs whose Q-value is below this retires (no longer drawn into guidelines)." },
  heuristicsMaxPerVersion: { file: "heuristics_max_per_version", env: ["HEURISTICS_MAX_PER_VERSION", "META_AGENT_HEURISTICS_MAX_PER_VERSION"], schema: nonNegativeInt, default: 5, doc: "Heuristics the compiler adds to one version's guidelines at most (highest Q-value first)." },
  heuristicsReflections: { file: "heuristics_reflections", env: ["HEURISTICS_REFLECTIONS", "META_AGENT_HEURISTICS_REFLECTIONS"], schema: nonNegativeInt, default: 3, doc: "Failed runs per agent and refresh the model is asked to reflect on (one lesson each); 0 turns reflections off." },
  maxDemos: { file: "max_demos", env: ["MAX_DEMOS", "META_AGENT_MAX_DEMOS"], schema: nonNegativeInt, default: 4, doc: "Few-shot demos in a compiled version." },
  promptsRepoDir: { file: "prompts_repo_dir", env: ["PROMPTS_REPO_DIR", "META_AGENT_PROMPTS_REPO_DIR"], schema: optionalString, doc: "Git repository holding prompts/ and versions/. Default: the repository containing the working directory." },
  servingBranch: { file: "serving_branch", env: ["META_AGENT_SERVING_BRANCH"], schema: optionalString, doc: "Branch the service serves and auto mode commits to. Default: the branch checked out in the prompts repository." },
  gitRemote: { file: "git_remote", env: ["META_AGENT_GIT_REMOTE"], schema: optionalString, doc: "Remote that review branches and their tags are pushed to (e.g. origin). Unset: nothing is pushed." },
  githubToken: { file: "github_token", env: ["META_AGENT_GITHUB_TOKEN", "GITHUB_TOKEN"], schema: optionalString, doc: "GitHub token used to open pull requests for review branches (with github_repository)." },
  githubRepository: { file: "github_repository", env: ["META_AGENT_GITHUB_REPOSITORY", "GITHUB_REPOSITORY"], schema: z.string().trim().regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/name"), doc: "GitHub repository (owner/name) pull requests are opened against." },
  bootstrapApiKey: { file: "bootstrap_api_key", env: ["META_AGENT_BOOTSTRAP_API_KEY"], schema: optionalString, doc: "An API key (mak_ + 43 base64url characters; `meta-agent keys generate` prints one) the service stores for bootstrap_tenant on start if it is not stored yet: the first-start path of a deployment (docker compose), so the service requires keys, and may listen beyond loopback, from its first request. A revoked bootstrap key stays revoked." },
  bootstrapApiKeyFile: { file: "bootstrap_api_key_file", env: ["META_AGENT_BOOTSTRAP_API_KEY_FILE"], schema: optionalString, doc: "A file holding the bootstrap API key (a Docker or Kubernetes secret); used when bootstrap_api_key is unset." },
  bootstrapTenant: { file: "bootstrap_tenant", env: ["META_AGENT_BOOTSTRAP_TENANT"], schema: z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "expected a tenant id (1-63 lower-case letters, digits, - or _)"), default: "default", doc: "Tenant the bootstrap API key acts for." },
  uiSessionTtl: { file: "ui_session_ttl", env: ["UI_SESSION_TTL", "META_AGENT_UI_SESSION_TTL"], schema: positiveInt, default: 12 * 3600, doc: "Seconds a dashboard sign-in lasts (from signing in, not from the last page view). The cookie holds a random session token, never the API key; signing out, revoking the key or this lifetime ends the session." },
  metricsToken: { file: "metrics_token", env: ["META_AGENT_METRICS_TOKEN"], schema: z.string().trim().min(16, "expected a secret of at least 16 characters"), doc: "Bearer token that opens GET /metrics once API keys are in use (metrics count every tenant's data, so tenant keys do not open it). Unset: /metrics is open only while no key is required." },
  promotionObjective: { file: "promotion_objective", env: ["PROMOTION_OBJECTIVE", "META_AGENT_PROMOTION_OBJECTIVE"], schema: z.enum(["quality", "quality_cost", "token_roi"], { message: "expected quality, quality_cost or token_roi" }), default: "quality", doc: "What the gate, `meta-agent eval` and canaries compare: `quality` (the metric alone), `quality_cost` (metric minus objective_token_penalty per 1,000 tokens of the run), `token_roi` (quality per 1,000 tokens, compared as the quality a version adds beyond what the reference version's quality per token would buy). Every report shows quality, tokens and cost side by side whichever is chosen." },
  objectiveTokenPenalty: { file: "objective_token_penalty", env: ["OBJECTIVE_TOKEN_PENALTY", "META_AGENT_OBJECTIVE_TOKEN_PENALTY"], schema: z.coerce.number({ message: "expected a non-negative number" }).min(0, "expected a non-negative number"), default: 0.05, doc: "quality_cost: score points (0–1) one run loses per 1,000 tokens it spends (0.05: 1,000 extra tokens must buy 5 points of quality)." },
  pricePerMillionPromptTokens: { file: "price_per_million_prompt_tokens", env: ["PRICE_PER_MILLION_PROMPT_TOKENS", "META_AGENT_PRICE_PER_MILLION_PROMPT_TOKENS"], schema: z.coerce.number({ message: "expected a non-negative number" }).min(0, "expected a non-negative number"), default: 0, doc: "USD per million prompt tokens of the configured model, for cost per item and per run in eval reports and canaries (0: cost not shown)." },
  pricePerMillionCompletionTokens: { file: "price_per_million_completion_tokens", env: ["PRICE_PER_MILLION_COMPLETION_TOKENS", "META_AGENT_PRICE_PER_MILLION_COMPLETION_TOKENS"], schema: z.coerce.number({ message: "expected a non-negative number" }).min(0, "expected a non-negative number"), default: 0, doc: "USD per million completion tokens of the configured model (see price_per_million_prompt_tokens)." },
  evalHoldoutFraction: { file: "eval_holdout_fraction", env: ["EVAL_HOLDOUT_FRACTION", "META_AGENT_EVAL_HOLDOUT_FRACTION"], schema: z.coerce.number({ message: "expected a number from 0 to 0.5" }).min(0, "expected a number from 0 to 0.5").max(0.5, "expected a number from 0 to 0.5"), default: 0, doc: "Share of each signature's traces (chosen by a hash of the trace id, so stable) kept out of compiling — neither train nor dev set — for `meta-agent eval --from-traces`. 0: no held-out split (eval --from-traces then refuses)." },
  rollout: { file: "rollout", env: ["ROLLOUT", "META_AGENT_ROLLOUT"], schema: z.enum(["gate", "canary"], { message: "expected gate or canary" }), default: "gate", doc: "`gate`: a candidate that passes the gate is served at once. `canary`: it first serves canary_share of the traffic while a sequential test watches it, and is promoted or rolled back by itself (docs/evaluation.md). Needs enable_auto_updates." },
  canaryTenants: { file: "canary_tenants", env: ["CANARY_TENANTS", "META_AGENT_CANARY_TENANTS"], schema: z.preprocess((v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v), z.array(z.string().regex(/^\*$|^[a-z0-9][a-z0-9_-]{0,62}$/, "expected tenant ids or *"))), default: ["*"], doc: "Tenants for which rollout: canary applies (comma-separated; * for every tenant). Other tenants keep the gate: a canary never starts for a tenant not listed." },
  canaryShare: { file: "canary_share", env: ["CANARY_SHARE", "META_AGENT_CANARY_SHARE"], schema: z.coerce.number({ message: "expected a number between 0.01 and 0.5" }).min(0.01, "expected a number between 0.01 and 0.5").max(0.5, "expected a number between 0.01 and 0.5"), default: 0.1, doc: "Share of a signature's traffic the canary serves; a caller's `canaryKey` (else the trace id) keeps its arm." },
  canaryConfidence: { file: "canary_confidence", env: ["CANARY_CONFIDENCE", "META_AGENT_CANARY_CONFIDENCE"], schema: z.coerce.number({ message: "expected a number between 0.5 and 0.999" }).min(0.5, "expected a number between 0.5 and 0.999").max(0.999, "expected a number between 0.5 and 0.999"), default: 0.95, doc: "Confidence of the canary's always-valid test (mixture SPRT): the chance of promoting a candidate that is not better stays below 1 − canary_confidence however often the canary is checked." },
  canaryEffectSize: { file: "canary_effect_size", env: ["CANARY_EFFECT_SIZE", "META_AGENT_CANARY_EFFECT_SIZE"], schema: z.coerce.number({ message: "expected a number between 0.005 and 1" }).min(0.005, "expected a number between 0.005 and 1").max(1, "expected a number between 0.005 and 1"), default: 0.1, doc: "Size of difference (in success rate) the canary's test is tuned to find fastest (the mixture's standard deviation)." },
  canaryMinRuns: { file: "canary_min_runs", env: ["CANARY_MIN_RUNS", "META_AGENT_CANARY_MIN_RUNS"], schema: positiveInt, default: 30, doc: "Runs with an outcome each arm needs before the canary may decide." },
  canaryMaxRuns: { file: "canary_max_runs", env: ["CANARY_MAX_RUNS", "META_AGENT_CANARY_MAX_RUNS"], schema: positiveInt, default: 2000, doc: "Runs with an outcome (both arms) after which an undecided canary stops and the incumbent keeps serving." },
  canaryMaxDuration: { file: "canary_max_duration", env: ["CANARY_MAX_DURATION", "META_AGENT_CANARY_MAX_DURATION"], schema: positiveInt, default: 7 * 86400, doc: "Seconds after which an undecided canary stops and the incumbent keeps serving." },
  canaryMaxLatencyIncrease: { file: "canary_max_latency_increase", env: ["CANARY_MAX_LATENCY_INCREASE", "META_AGENT_CANARY_MAX_LATENCY_INCREASE"], schema: z.coerce.number({ message: "expected a non-negative number" }).min(0, "expected a non-negative number"), default: 0.5, doc: "Guardrail: the canary is rolled back when its p95 latency exceeds the incumbent's by more than this share (0.5: +50 %)." },
  canaryMaxCostIncrease: { file: "canary_max_cost_increase", env: ["CANARY_MAX_COST_INCREASE", "META_AGENT_CANARY_MAX_COST_INCREASE"], schema: z.coerce.number({ message: "expected a non-negative number" }).min(0, "expected a non-negative number"), default: 1, doc: "Guardrail: the canary is rolled back when its mean tokens per run exceed the incumbent's by more than this share (1: double)." },
  canaryCheckInterval: { file: "canary_check_interval", env: ["CANARY_CHECK_INTERVAL", "META_AGENT_CANARY_CHECK_INTERVAL"], schema: positiveInt, default: 30, doc: "Seconds between the service's checks of running canaries (every replica checks; one decides)." },
  githubApiUrl: { file: "github_api_url", env: ["META_AGENT_GITHUB_API_URL", "GITHUB_API_URL"], schema: url, default: "https://api.github.com", doc: "GitHub REST API base URL (GitHub Enterprise: https://host/api/v3)." },
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
