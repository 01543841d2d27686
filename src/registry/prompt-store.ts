// The PromptStore port: where compiled versions live. The git implementation (registry/git-
// prompt-store.ts) commits and tags them; the in-memory one serves unit tests.
import type { CompiledVersion } from "../domain/compiled-version.js";
import { serializeCompiledVersion } from "../domain/compiled-version.js";
import { compareVersions } from "../domain/version-bump.js";
import { AppError } from "../errors.js";
import type { AppliedPattern } from "./applied-patterns.js";

export interface SaveMeta {
  /** One-line summary for the commit subject / tag (further lines become the body). */
  summary: string;
  /** Free-form body (score change, patterns applied...). */
  body?: string;
  /** Marks the version as a rollback of another. */
  rollback?: boolean;
  /**
   * `serving`: commit on the serving branch; `review`: on `meta-agent/<name>-v<version>` cut from
   * it. Default: the store's mode (`enable_auto_updates` true → serving).
   */
  target?: "serving" | "review";
  /** Patterns applied, for the commit trailers. Default: the version's pattern guidelines. */
  patterns?: AppliedPattern[];
}

export interface SavedVersion {
  name: string;
  version: string;
  /** Commit sha (git stores) or a synthetic id. */
  commit: string;
  /** Branch the version was committed to (review mode: a review branch). */
  branch: string;
  /** Tag naming the version, `<name>@<version>`. */
  tag: string;
  /** False when exactly this version was already stored (saving is idempotent). */
  created: boolean;
  /** Review branches pushed to the configured remote: where, and whether it worked. */
  push?: { remote: string; ok: boolean; error?: string };
}

export interface PromptStore {
  /** Latest version of a signature on the serving branch, or undefined if never compiled. */
  latest(name: string): Promise<CompiledVersion | undefined>;
  /** A specific version, or undefined. */
  get(name: string, version: string): Promise<CompiledVersion | undefined>;
  /** All versions of a signature, oldest first. */
  versions(name: string): Promise<string[]>;
  /** Stores a version; saving identical content again is a no-op, different content is refused. */
  save(version: CompiledVersion, meta: SaveMeta): Promise<SavedVersion>;
}

/** Thrown when a version number is already taken by different content. */
export class VersionExistsError extends AppError {
  constructor(name: string, version: string) {
    super("version_exists", `${name} ${version} already exists with different content`, { status: 409 });
  }
}

export const tagOf = (name: string, version: string) => `${name}@${version}`;

/** A PromptStore kept in memory (unit tests, dry runs). `review: true` mimics review mode. */
export function createInMemoryPromptStore(options: { review?: boolean } = {}): PromptStore {
  const store = new Map<string, Map<string, CompiledVersion>>();
  const serving = new Map<string, string>();
  let n = 0;
  return {
    async latest(name) {
      const v = serving.get(name);
      return v === undefined ? undefined : structuredClone(store.get(name)?.get(v));
    },
    async get(name, version) {
      const v = store.get(name)?.get(version);
      return v && structuredClone(v);
    },
    async versions(name) {
      return [...(store.get(name)?.keys() ?? [])].sort(compareVersions);
    },
    async save(version, meta) {
      let all = store.get(version.name);
      if (!all) store.set(version.name, (all = new Map()));
      const target = meta.target ?? (options.review ? "review" : "serving");
      const branch = target === "serving" ? "memory" : `meta-agent/${version.name}-v${version.version}`;
      const existing = all.get(version.version);
      if (existing) {
        if (serializeCompiledVersion(existing) !== serializeCompiledVersion(version)) throw new VersionExistsError(version.name, version.version);
        return { name: version.name, version: version.version, commit: `mem-existing`, branch, tag: tagOf(version.name, version.version), created: false };
      }
      all.set(version.version, structuredClone(version));
      if (target === "serving") serving.set(version.name, version.version);
      return { name: version.name, version: version.version, commit: `mem-${++n}`, branch, tag: tagOf(version.name, version.version), created: true };
    },
  };
}
