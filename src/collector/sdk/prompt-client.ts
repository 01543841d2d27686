// Serves learned prompts back to an agent that calls its model itself: `getPrompt(name)` returns
// the version the service serves to the caller's tenant (GET /v1/prompts/:name), or reads it from
// a versions/ checkout. Prompts are cached in memory and refreshed in the background (an unchanged
// prompt costs a 304); when the service is unreachable the last good prompt keeps being served, so
// a running agent picks up a promotion within one refresh interval and never fails because the
// service is down (the way prompt-management SDKs cache).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseCompiledVersion } from "../../domain/compiled-version.js";
import { ServedPromptSchema, type ServedPrompt } from "../../domain/served-prompt.js";
import { DEFAULT_TENANT } from "../../domain/tenant-id.js";
import { readSdkEnv } from "../../config/sdk-env.js";
import { createLogger, type Logger } from "../../log/logger.js";
import { AppError, NotFoundError } from "../../errors.js";
import { servedPromptOf } from "../../signature/serve-prompt.js";
import { Prompt } from "./prompt.js";

export interface PromptClientOptions {
  /** Base URL of the meta-agent service. Default META_AGENT_URL, else http://127.0.0.1:8080. */
  url?: string;
  /** Sent as `Authorization: Bearer <apiKey>`; it selects the tenant whose prompt is served. Default META_AGENT_API_KEY. */
  apiKey?: string;
  /**
   * Read `<versionsDir>/<name>.yaml` (`<versionsDir>/<tenant>/<name>.yaml` for another tenant) from
   * a checkout of the prompts repository instead of asking the service. Default META_AGENT_VERSIONS_DIR, else unset.
   */
  versionsDir?: string;
  /** Tenant whose files are read from `versionsDir`. Default `default`. */
  tenant?: string;
  /** How often cached prompts are refreshed in the background. Default 60000 ms; 0 turns refreshing off. */
  refreshIntervalMs?: number;
  /** Timeout of one request. Default 5000 ms. */
  requestTimeoutMs?: number;
  /** Injectable fetch (tests, proxies). Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Default: warnings to stderr. */
  logger?: Logger;
}

/** The agent's own prompt, used when no served prompt could ever be loaded (its traces then carry no version). */
export interface FallbackPrompt {
  /** The agent's hand-written system prompt. */
  system: string;
}

export interface GetPromptOptions {
  /** Used only when the prompt was never loaded and cannot be loaded now. Default: none (getPrompt rejects). */
  fallback?: FallbackPrompt | string;
}

interface Entry {
  prompt: Prompt;
  etag?: string;
}

export class PromptClient {
  private readonly o: { url: string; apiKey: string | undefined; versionsDir: string | undefined; tenant: string; requestTimeoutMs: number; fetch: typeof fetch };
  private readonly logger: Logger;
  private readonly cache = new Map<string, Entry>();
  /** Names asked for whose prompt could not be loaded yet (served from a fallback meanwhile). */
  private readonly pending = new Set<string>();
  private readonly inFlight = new Map<string, Promise<Prompt>>();
  private readonly timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(options: PromptClientOptions = {}) {
    const env = readSdkEnv();
    const versionsDir = options.versionsDir ?? (options.url === undefined ? env.versionsDir : undefined);
    this.o = {
      url: (options.url ?? env.url ?? "http://127.0.0.1:8080").replace(/\/+$/, ""),
      apiKey: options.apiKey ?? env.apiKey,
      versionsDir,
      tenant: options.tenant ?? DEFAULT_TENANT,
      requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    };
    this.logger = options.logger ?? createLogger("warn");
    const every = options.refreshIntervalMs ?? 60_000;
    // unref: a refresh timer must not keep the agent's process alive.
    if (every > 0) this.timer = setInterval(() => void this.refresh(), every).unref();
  }

  /**
   * The prompt served now for `name`: from the cache when it has been loaded before (refreshed in
   * the background), else loaded now. Rejects only when it was never loaded, cannot be loaded and
   * no fallback is given.
   */
  async getPrompt(name: string, options: GetPromptOptions = {}): Promise<Prompt> {
    const cached = this.cache.get(name);
    if (cached) return cached.prompt;
    try {
      return await this.loadOnce(name);
    } catch (e) {
      if (options.fallback === undefined) throw e;
      this.pending.add(name);
      this.logger.warn({ name: "prompt-fallback", signature: name, err: (e as Error).message }, `prompt ${name} unavailable; using the agent's fallback prompt until it loads`);
      return fallbackPrompt(name, options.fallback);
    }
  }

  /** Re-loads every prompt asked for so far; what fails keeps its last good version. Never rejects. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      for (const name of new Set([...this.cache.keys(), ...this.pending])) {
        try {
          await this.loadOnce(name);
          this.pending.delete(name);
        } catch (e) {
          const last = this.cache.get(name);
          if (last && last.prompt.source !== "last-good") {
            this.cache.set(name, { ...last, prompt: new Prompt(last.prompt.served, "last-good") });
            this.logger.warn({ name: "prompt-refresh-failed", signature: name, version: last.prompt.version, err: (e as Error).message }, `could not refresh prompt ${name}; still using ${last.prompt.ref}`);
          }
        }
      }
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Stops background refreshing. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private loadOnce(name: string): Promise<Prompt> {
    let p = this.inFlight.get(name);
    if (!p) {
      p = (this.o.versionsDir ? this.loadFromDir(name) : this.loadFromService(name)).finally(() => this.inFlight.delete(name));
      this.inFlight.set(name, p);
    }
    return p;
  }

  private async loadFromService(name: string): Promise<Prompt> {
    const previous = this.cache.get(name);
    const res = await this.o.fetch(`${this.o.url}/v1/prompts/${encodeURIComponent(name)}`, {
      headers: { accept: "application/json", ...(this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {}), ...(previous?.etag ? { "if-none-match": previous.etag } : {}) },
      signal: AbortSignal.timeout(this.o.requestTimeoutMs),
    });
    if (res.status === 304 && previous) {
      const prompt = previous.prompt.source === "service" ? previous.prompt : new Prompt(previous.prompt.served, "service");
      this.cache.set(name, { ...previous, prompt });
      return prompt;
    }
    if (!res.ok) {
      const body = await res.text().catch(() => "");
      if (res.status === 404) throw new NotFoundError(`prompt ${name}: the service serves no such signature (${body.slice(0, 300)})`);
      throw new AppError("prompt_unavailable", `prompt ${name}: HTTP ${res.status} ${body.slice(0, 300)}`, { status: 502, isRetryable: res.status >= 500 || res.status === 429 });
    }
    const parsed = ServedPromptSchema.safeParse(await res.json());
    if (!parsed.success) throw new AppError("prompt_invalid", `prompt ${name}: the service answered an unexpected shape`, { status: 502 });
    return this.store(name, parsed.data, "service", res.headers.get("etag") ?? undefined);
  }

  private async loadFromDir(name: string): Promise<Prompt> {
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new NotFoundError(`prompt ${name}: not a signature name`);
    const file = path.join(this.o.versionsDir!, ...(this.o.tenant === DEFAULT_TENANT ? [] : [this.o.tenant]), `${name}.yaml`);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new NotFoundError(`prompt ${name}: ${file} does not exist`);
      throw e;
    }
    const version = parseCompiledVersion(text, file);
    return this.store(name, servedPromptOf(version, { baseline: version.provenance.optimizer === "baseline" }), "versions-dir");
  }

  private store(name: string, served: ServedPrompt, source: "service" | "versions-dir", etag?: string): Prompt {
    const previous = this.cache.get(name);
    // Same content: keep the object, so callers holding it see no change.
    if (previous && previous.prompt.served.contentHash === served.contentHash && previous.prompt.source === source) return previous.prompt;
    const prompt = new Prompt(served, source);
    this.cache.set(name, { prompt, ...(etag ? { etag } : {}) });
    if (previous && previous.prompt.version !== prompt.version) {
      this.logger.info({ name: "prompt-updated", signature: name, from: previous.prompt.version, to: prompt.version }, `prompt ${name} is now ${prompt.version}`);
    }
    return prompt;
  }
}

function fallbackPrompt(name: string, fallback: FallbackPrompt | string): Prompt {
  const system = typeof fallback === "string" ? fallback : fallback.system;
  return new Prompt(
    { name, version: "fallback", baseline: false, contentHash: "", system, demos: [], inputs: [], outputs: [], outputSchema: {}, tools: [], model: { temperature: 0, maxTokens: 1024 } },
    "fallback",
  );
}

let defaultClient: PromptClient | undefined;

/** Sets the client behind the module-level `getPrompt` (options, or a client of your own). */
export function configurePrompts(next: PromptClientOptions | PromptClient): PromptClient {
  defaultClient?.close();
  defaultClient = next instanceof PromptClient ? next : new PromptClient(next);
  return defaultClient;
}

/** `getPrompt` of the process-wide client (configurePrompts, else one built from META_AGENT_URL / META_AGENT_API_KEY / META_AGENT_VERSIONS_DIR). */
export function getPrompt(name: string, options?: GetPromptOptions): Promise<Prompt> {
  defaultClient ??= new PromptClient();
  return defaultClient.getPrompt(name, options);
}
