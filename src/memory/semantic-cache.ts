// The semantic cache ("Collective Memory"): a signature's output is reused when the same or a
// sufficiently similar input was answered before by the same tenant, signature and version.
// Keys: tenant + signature + version + embedding of the normalized inputs, with an exact-match
// fast path on the input hash. A semantic hit takes two stages: the vector search returns the
// nearest stored inputs within the cosine threshold, then a second check (cache-match.ts) decides
// whether one asks the same thing: a sentence encoder alone scores "enable" and "disable
// two-factor authentication" 0.95 alike. A cache failure is logged and reported as a miss, never thrown.
import { randomUUID } from "node:crypto";
import type { Database } from "../db/database.js";
import type { Embedder } from "../llm/embedder.js";
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import { vectorLiteral } from "../db/vector-index.js";
import { searchNearest } from "../db/vector-search.js";
import { fieldValues, normalizeInputs } from "./normalize-inputs.js";
import { pruneCache } from "./cache-maintenance.js";
import { createCacheMatcher, type MatchVerdict } from "./cache-match.js";
import { CALIBRATED_MATCH_MODELS } from "./cache-match-calibration.js";

/** Conservative default for embedders without a calibrated threshold: only near-identical rewordings hit. */
export const DEFAULT_CACHE_SIMILARITY_THRESHOLD = 0.95;

/**
 * Cosine-only thresholds (the second check switched off), chosen from the labelled-pair benchmark
 * (bench/embeddings.bench.ts), per model id. use-lite-512: 0.97. On the 321 labelled pairs the
 * lowest threshold with false hits ≤ 2 % is 0.92, but no reworded paraphrase reaches it there either, and on the 45 minimal-edit pairs of
 * bench/fixtures/paraphrase-pairs.json ("... in staging" vs "... in production") 0.92 serves 48 %
 * of the different questions, 0.97 24 %: a wrong answer costs more than a miss, so the higher one.
 */
export const CALIBRATED_CACHE_THRESHOLDS: Readonly<Record<string, number>> = { "use-lite-512": 0.97 };

/**
 * The default threshold for vectors of `model`. With the second check (default) and a model
 * fitted for these vectors: its lower bound (use-lite-512: see cache-match-calibration.ts).
 * Otherwise the cosine-only one: calibrated (use-lite-512 0.97), else 0.95.
 */
export function defaultCacheThreshold(model: string, matchCheck = true): number {
  const fitted = matchCheck ? CALIBRATED_MATCH_MODELS[model] : undefined;
  return fitted?.lowerBound ?? CALIBRATED_CACHE_THRESHOLDS[model] ?? DEFAULT_CACHE_SIMILARITY_THRESHOLD;
}

/** Stored inputs the second check looks at per lookup (the nearest within the threshold). */
export const DEFAULT_CACHE_CANDIDATES = 5;
/** Default time to live of an entry: 7 days. */
export const DEFAULT_CACHE_TTL_SECONDS = 7 * 24 * 3600;

export interface SemanticCacheOptions {
  /** Minimum cosine similarity (0–1) for a semantic hit (with the check: for a candidate). Default: `defaultCacheThreshold(embedder.model, matchCheck)`. */
  threshold?: number;
  /**
   * Second check on the candidates the vector search returns (cache-match.ts): refuses inputs that
   * differ in decisive words or numbers and, for embedders with fitted coefficients, judges
   * reworded ones. false: the cosine threshold alone decides. Default true.
   */
  matchCheck?: boolean;
  /** Candidates the second check looks at per lookup. Default 5. */
  candidates?: number;
  /** Per-signature thresholds that override `threshold`. Default none. */
  thresholds?: Readonly<Record<string, number>>;
  /** Seconds an entry is served after it is stored; 0 keeps entries forever. Default 604800 (7 days). */
  ttlSeconds?: number;
  /** HNSW `ef_search` of the similarity query. Default 40. */
  efSearch?: number;
  logger?: Logger;
  /** Clock (tests). Default `() => new Date()`. */
  now?: () => Date;
}

export interface CacheKeyInput {
  tenant: string;
  signature: string;
  /** The signature version that produced (or would produce) the output. */
  version: string;
  /** The signature's input fields (or one text). */
  inputs: Record<string, unknown> | string;
}

/** What a lookup computed, so that `store` after a miss does not embed the inputs again. */
export interface PreparedKey {
  readonly text: string;
  readonly hash: string;
  readonly embedding?: readonly number[];
}

export type CacheLookup =
  | {
      hit: true;
      entryId: string;
      /** The stored output, to return instead of calling the model (zero tokens). */
      output: unknown;
      /** 1 for the exact-match path, else the cosine similarity of the matched entry. */
      similarity: number;
      exact: boolean;
      /** Times this entry has been served, this hit included. */
      hits: number;
      /** The input text the entry was stored for (to record in the cache-hit trace). */
      matchedInput: string;
    }
  | {
      hit: false;
      /** `rejected`: entries were within the threshold, but the second check refused each. */
      reason: "no_entry" | "below_threshold" | "rejected" | "error";
      /** Similarity of the nearest live entry, when there was one. */
      nearestSimilarity?: number;
      threshold: number;
      key: PreparedKey;
      /** The second check's verdict on the nearest candidate (reason `rejected`). */
      verdict?: MatchVerdict;
    };

export interface CacheStoreInput extends CacheKeyInput {
  output: unknown;
  /** The key returned by a missed lookup of the same inputs (saves an embedding call). */
  key?: PreparedKey;
  /** Overrides the cache's TTL for this entry; 0 keeps it forever. */
  ttlSeconds?: number;
}

export interface SemanticCache {
  /** Finds a live entry of the same tenant, signature and version: exact hash first, then nearest by cosine. */
  lookup(input: CacheKeyInput & { threshold?: number }): Promise<CacheLookup>;
  /** Stores (or refreshes) the output for these inputs; returns the entry id, or null if storing failed. */
  store(input: CacheStoreInput): Promise<string | null>;
  /** The threshold in force for a signature. */
  thresholdFor(signature: string): number;
  /** Deletes expired entries and, when `keepVersion` is given, every other version of `signature`. */
  prune(input?: { tenant: string; signature: string; keepVersion: string }): Promise<number>;
}

/** Builds the semantic cache over `cache_entries`. */
export function createSemanticCache(db: Pick<Database, "pool" | "forTenant" | "upkeep">, embedder: Embedder, options: SemanticCacheOptions = {}): SemanticCache {
  // Every lookup and store runs in its tenant's scope (row-level security); index upkeep on the owner's connection.
  const poolOf = (tenant: string) => db.forTenant(tenant).pool;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const ttl = options.ttlSeconds ?? DEFAULT_CACHE_TTL_SECONDS;
  // The dimension is read from each vector: a remote embedder may learn it from its first answer.
  const spaceOf = (vector: readonly number[]) => ({ model: embedder.model, dim: vector.length });
  const matchCheck = options.matchCheck ?? true;
  const matcher = matchCheck ? createCacheMatcher(embedder) : undefined;
  const k = matchCheck ? Math.max(1, options.candidates ?? DEFAULT_CACHE_CANDIDATES) : 1;
  // The embedder's model is read per call: the local encoder's fallback may replace it once.
  const thresholdFor = (signature: string) => options.thresholds?.[signature] ?? options.threshold ?? defaultCacheThreshold(embedder.model, matchCheck);

  async function embed(text: string): Promise<number[]> {
    const [vector] = await embedder.embed([text]);
    if (!vector) throw new Error("embedder returned no vector");
    return vector;
  }

  // Statistics are refreshed every ANALYZE_EVERY stores (see analyzeVectorTable), in the background.
  const ANALYZE_EVERY = 500;
  let storesSinceAnalyze = ANALYZE_EVERY - 50;
  function maybeAnalyze(): void {
    if (++storesSinceAnalyze < ANALYZE_EVERY) return;
    storesSinceAnalyze = 0;
    db.upkeep.analyzeVectorTable("cache_entries").catch((e: unknown) => logger.warn({ name: "cache-analyze-failed", err: e }, "could not refresh cache statistics"));
  }

  async function countHit(tenant: string, id: string): Promise<number> {
    const r = await poolOf(tenant).query<{ hits: number }>(`UPDATE "cache_entries" SET "hits" = "hits" + 1 WHERE "id" = $1 RETURNING "hits"`, [id]);
    return r.rows[0]?.hits ?? 0;
  }

  return {
    thresholdFor,

    async lookup(input) {
      let threshold = input.threshold ?? thresholdFor(input.signature);
      const { text, hash } = normalizeInputs(input.inputs);
      let key: PreparedKey = { text, hash };
      try {
        const at = now();
        const exact = await poolOf(input.tenant).query<{ id: string; output: unknown; hits: number; input_text: string }>(
          `UPDATE "cache_entries" SET "hits" = "hits" + 1
           WHERE "tenant_id" = $1 AND "signature" = $2 AND "version" = $3 AND "input_hash" = $4 AND ("expires_at" IS NULL OR "expires_at" > $5)
           RETURNING "id", "output", "hits", "input_text"`,
          [input.tenant, input.signature, input.version, hash, at],
        );
        const row = exact.rows[0];
        if (row) {
          logger.debug({ name: "cache-hit", signature: input.signature, version: input.version, exact: true }, "semantic cache hit");
          return { hit: true, entryId: row.id, output: row.output, similarity: 1, exact: true, hits: row.hits, matchedInput: row.input_text };
        }
        const embedding = await embed(text);
        key = { text, hash, embedding };
        threshold = input.threshold ?? thresholdFor(input.signature);
        const space = spaceOf(embedding);
        await db.upkeep.ensureVectorIndex("cache_entries", space);
        const found = await searchNearest<{ id: string; output: unknown; input_text: string }>(poolOf(input.tenant), {
          table: "cache_entries",
          space,
          vector: embedding,
          k,
          efSearch: options.efSearch,
          select: `v."id", v."output", v."input_text"`,
          where: (p) =>
            `v."tenant_id" = ${p(input.tenant)} AND v."signature" = ${p(input.signature)} AND v."version" = ${p(input.version)} AND (v."expires_at" IS NULL OR v."expires_at" > ${p(at)})`,
        });
        const nearest = found[0];
        if (!nearest) return { hit: false, reason: "no_entry", threshold, key };
        const nearestSimilarity = 1 - nearest.distance;
        const within = found.map((row) => ({ row, similarity: 1 - row.distance })).filter((c) => c.similarity >= threshold);
        if (within.length === 0) {
          logger.debug({ name: "cache-miss", signature: input.signature, similarity: nearestSimilarity, threshold }, "nearest cached input is below the threshold");
          return { hit: false, reason: "below_threshold", nearestSimilarity, threshold, key };
        }
        // The nearest candidate the second check accepts (without the check: the nearest one).
        let chosen = within[0]!;
        if (matcher) {
          // Word by word, the field values count; the field names are the same for every entry.
          const values = typeof input.inputs === "string" ? (t: string) => t : fieldValues;
          const verdicts = await matcher.judge(values(text), within.map((c) => ({ text: values(c.row.input_text), similarity: c.similarity })));
          const accepted = verdicts.findIndex((v) => v.accept);
          if (accepted < 0) {
            const verdict = verdicts[0]!;
            logger.debug({ name: "cache-match-rejected", signature: input.signature, similarity: nearestSimilarity, threshold, basis: verdict.basis, differing: verdict.differing }, "cached inputs within the threshold ask something else");
            return { hit: false, reason: "rejected", nearestSimilarity, threshold, key, verdict };
          }
          chosen = within[accepted]!;
        }
        const hits = await countHit(input.tenant, chosen.row.id);
        logger.debug({ name: "cache-hit", signature: input.signature, version: input.version, similarity: chosen.similarity }, "semantic cache hit");
        return { hit: true, entryId: chosen.row.id, output: chosen.row.output, similarity: chosen.similarity, exact: false, hits, matchedInput: chosen.row.input_text };
      } catch (e) {
        logger.warn({ name: "cache-lookup-failed", err: e, signature: input.signature }, "semantic cache lookup failed; treating as a miss");
        return { hit: false, reason: "error", threshold, key };
      }
    },

    async store(input) {
      try {
        const prepared = input.key ?? normalizeInputs(input.inputs);
        const embedding = input.key?.embedding ?? (await embed(prepared.text));
        const space = spaceOf(embedding);
        await db.upkeep.ensureVectorIndex("cache_entries", space);
        const seconds = input.ttlSeconds ?? ttl;
        const at = now();
        const expiresAt = seconds > 0 ? new Date(at.getTime() + seconds * 1000) : null;
        const r = await poolOf(input.tenant).query<{ id: string }>(
          `INSERT INTO "cache_entries" ("id", "tenant_id", "signature", "version", "input_hash", "input_text", "output", "model", "dim", "embedding", "created_at", "expires_at")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::vector, $11, $12)
           ON CONFLICT ("tenant_id", "signature", "version", "input_hash") DO UPDATE SET
             "input_text" = EXCLUDED."input_text", "output" = EXCLUDED."output", "model" = EXCLUDED."model", "dim" = EXCLUDED."dim",
             "embedding" = EXCLUDED."embedding", "created_at" = EXCLUDED."created_at", "expires_at" = EXCLUDED."expires_at"
           RETURNING "id"`,
          [
            randomUUID(),
            input.tenant,
            input.signature,
            input.version,
            prepared.hash,
            prepared.text,
            JSON.stringify(input.output ?? null),
            space.model,
            space.dim,
            vectorLiteral(embedding, space.dim),
            at,
            expiresAt,
          ],
        );
        maybeAnalyze();
        return r.rows[0]?.id ?? null;
      } catch (e) {
        logger.warn({ name: "cache-store-failed", err: e, signature: input.signature }, "could not store a semantic cache entry");
        return null;
      }
    },

    async prune(input) {
      const r = await pruneCache(db, { now: now(), ...(input ? { tenant: input.tenant, signature: input.signature, keepVersion: input.keepVersion } : {}) });
      const removed = r.expired + r.otherVersions;
      logger.info({ name: "cache-pruned", removed }, "pruned semantic cache entries");
      return removed;
    },
  };
}
