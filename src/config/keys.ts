// The table of every configuration key: its file name, environment variables, zod schema,
// default and documentation. Adding a key is one entry here; README's table mirrors this list.
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
/** `{ signature: threshold }` from YAML, or `name=0.9,other=0.97` from the environment. */
const signatureThresholds = z.preprocess(
  (v) => {
    if (typeof v !== "string") return v;
    const out: Record<string, unknown> = {};
    for (const part of v.split(",").map((p) => p.trim()).filter(Boolean)) {
      const eq = part.lastIndexOf("=");
      out[eq > 0 ? part.slice(0, eq).trim() : part] = eq > 0 ? part.slice(eq + 1).trim() : undefined;
    }
    return out;
  },
  z.record(z.string().min(1), probability, { message: "expected a mapping of signature names to numbers between 0 and 1 (env: name=0.9,other=0.97)" }),
);

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
  stateFile: { file: "state_file", env: ["META_AGENT_STATE_FILE"], schema: optionalString, doc: "State file of the running service (pid, URLs, embedded database port). Default: <data_dir>/state.json." },
  port: { file: "port", env: ["PORT"], schema: port, default: 8080, doc: "HTTP port (0 picks a free port)." },
  host: { file: "host", env: ["HOST"], schema: optionalString, default: "127.0.0.1", doc: "HTTP bind address." },
  embeddedDbPort: { file: "embedded_db_port", env: ["META_AGENT_EMBEDDED_DB_PORT"], schema: port, default: 0, doc: "Loopback port of the embedded database's Postgres socket (0 picks a free port)." },
  llmBaseUrl: { file: "llm_base_url", env: ["LLM_BASE_URL"], schema: url, doc: "OpenAI-compatible endpoint (vLLM, Ollama, OpenAI), e.g. http://127.0.0.1:8000/v1." },
  llmApiKey: { file: "llm_api_key", env: ["LLM_API_KEY"], schema: optionalString, doc: "API key for the LLM endpoint (vLLM accepts any value)." },
  llmModel: { file: "llm_model", env: ["LLM_MODEL"], schema: optionalString, doc: "Model name served by the LLM endpoint." },
  embeddingsBaseUrl: { file: "embeddings_base_url", env: ["EMBEDDINGS_BASE_URL"], schema: url, doc: "OpenAI-compatible /v1/embeddings endpoint. Unset: the built-in offline hashing embedder." },
  embeddingsModel: { file: "embeddings_model", env: ["EMBEDDINGS_MODEL"], schema: optionalString, doc: "Embedding model name for EMBEDDINGS_BASE_URL." },
  llmTimeoutMs: { file: "llm_timeout_ms", env: ["LLM_TIMEOUT_MS"], schema: positiveInt, default: 60_000, doc: "Timeout of one LLM call attempt, in milliseconds." },
  llmMaxRetries: { file: "llm_max_retries", env: ["LLM_MAX_RETRIES"], schema: nonNegativeInt, default: 3, doc: "Retries of an LLM or embeddings call on retryable errors (connection, timeout, 408/409/429/5xx)." },
  llmRetryBaseDelayMs: { file: "llm_retry_base_delay_ms", env: ["LLM_RETRY_BASE_DELAY_MS"], schema: nonNegativeInt, default: 500, doc: "First retry backoff in milliseconds (doubles each retry, with jitter; Retry-After wins)." },
  embeddingsApiKey: { file: "embeddings_api_key", env: ["EMBEDDINGS_API_KEY"], schema: optionalString, doc: "API key for EMBEDDINGS_BASE_URL. Unset: LLM_API_KEY." },
  embeddingsBatchSize: { file: "embeddings_batch_size", env: ["EMBEDDINGS_BATCH_SIZE"], schema: positiveInt, default: 64, doc: "Texts per /v1/embeddings request." },
  embeddingsDimension: { file: "embeddings_dimension", env: ["EMBEDDINGS_DIMENSION"], schema: positiveInt, doc: "Embedding dimension. Remote: checked against responses (unset: discovered from the first one). Built-in: vector size (default 384)." },
  cacheEnabled: { file: "cache_enabled", env: ["CACHE_ENABLED", "META_AGENT_CACHE_ENABLED"], schema: booleanish, default: true, doc: "Serve repeated or paraphrased signature inputs from the semantic cache (zero tokens)." },
  cacheSimilarityThreshold: { file: "cache_similarity_threshold", env: ["CACHE_SIMILARITY_THRESHOLD", "META_AGENT_CACHE_SIMILARITY_THRESHOLD"], schema: probability, default: 0.95, doc: "Minimum cosine similarity for a semantic cache hit (conservative: near-identical rewordings only)." },
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
  enableAutoUpdates: { file: "enable_auto_updates", env: ["ENABLE_AUTO_UPDATES", "META_AGENT_ENABLE_AUTO_UPDATES"], schema: booleanish, default: true, doc: "true: commit promoted versions on the serving branch; false: review branches and pull requests." },
  backupOriginalPrompts: { file: "backup_original_prompts", env: ["BACKUP_ORIGINAL_PROMPTS", "META_AGENT_BACKUP_ORIGINAL_PROMPTS"], schema: booleanish, default: true, doc: "Keep the hand-written baseline as version 1.0.0 so it can always be rolled back to." },
  minImprovement: { file: "min_improvement", env: ["MIN_IMPROVEMENT", "META_AGENT_MIN_IMPROVEMENT"], schema: probability, default: 0.02, doc: "Minimum dev-set score gain for a candidate to be promoted." },
  devSetSize: { file: "dev_set_size", env: ["DEV_SET_SIZE", "META_AGENT_DEV_SET_SIZE"], schema: positiveInt, default: 20, doc: "Dev-set size used to evaluate candidates; smaller dev sets never promote." },
  maxLlmCallsPerCycle: { file: "max_llm_calls_per_cycle", env: ["MAX_LLM_CALLS_PER_CYCLE", "META_AGENT_MAX_LLM_CALLS_PER_CYCLE"], schema: nonNegativeInt, default: 500, doc: "Budget of LLM calls for one learning cycle." },
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
