// The PromptStore port: where compiled versions live, per tenant. The git implementation
// (registry/git-prompt-store.ts) commits and tags them; the versions-directory one keeps only the
// latest file; the in-memory one serves unit tests. Every method takes the tenant, so no caller
// can read or write a version without saying whose it is.
import type { CompiledVersion } from "../domain/compiled-version.js";
import { serializeCompiledVersion } from "../domain/compiled-version.js";
import { compareVersions } from "../domain/version-bump.js";
import { AppError } from "../errors.js";
import type { AppliedPattern } from "./applied-patterns.js";
import { versionScope } from "./version-scope.js";

export interface SaveMeta {
  /** One-line summary for the commit subject / tag (further lines become the body). */
  summary: string;
  /** Free-form body (score change, patterns applied...). */
  body?: string;
  /** Marks the version as a rollback of another. */
  rollback?: boolean;
  /**
   * `serving`: commit on the serving branch; `review`: on the version's review branch cut from
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
  /** Tag naming the version (`<name>@<version>`, `<tenant>/<name>@<version>` for other tenants). */
  tag: string;
  /** False when exactly this version was already stored (saving is idempotent). */
  created: boolean;
  /** Review branches pushed to the configured remote: where, and whether it worked. */
  push?: { remote: string; ok: boolean; error?: string };
}

export interface PromptStore {
  /** True when saves go to review branches by default (review mode). */
  readonly review: boolean;
  /** Latest version of the tenant's signature on the serving branch, or undefined if never compiled. */
  latest(tenant: string, name: string): Promise<CompiledVersion | undefined>;
  /** A specific version of the tenant's signature, or undefined. */
  get(tenant: string, name: string, version: string): Promise<CompiledVersion | undefined>;
  /** All stored versions of the tenant's signature, oldest first. */
  versions(tenant: string, name: string): Promise<string[]>;
  /** Stores a version for the tenant; saving identical content again is a no-op, different content is refused. */
  save(tenant: string, version: CompiledVersion, meta: SaveMeta): Promise<SavedVersion>;
}

/** Thrown when a version number is already taken by different content. */
export class VersionExistsError extends AppError {
  constructor(name: string, version: string) {
    super("version_exists", `${name} ${version} already exists with different content`, { status: 409 });
  }
}

/** A PromptStore kept in memory (unit tests, dry runs). `review: true` mimics review mode. */
export function createInMemoryPromptStore(options: { review?: boolean } = {}): PromptStore {
  const store = new Map<string, Map<string, CompiledVersion>>();
  const serving = new Map<string, string>();
  const key = (tenant: string, name: string) => versionScope(tenant).file(name);
  let n = 0;
  return {
    review: options.review ?? false,
    async latest(tenant, name) {
      const v = serving.get(key(tenant, name));
      return v === undefined ? undefined : structuredClone(store.get(key(tenant, name))?.get(v));
    },
    async get(tenant, name, version) {
      const v = store.get(key(tenant, name))?.get(version);
      return v && structuredClone(v);
    },
    async versions(tenant, name) {
      return [...(store.get(key(tenant, name))?.keys() ?? [])].sort(compareVersions);
    },
    async save(tenant, version, meta) {
      const scope = versionScope(tenant);
      const k = key(tenant, version.name);
      let all = store.get(k);
      if (!all) store.set(k, (all = new Map()));
      const target = meta.target ?? (options.review ? "review" : "serving");
      const branch = target === "serving" ? "memory" : scope.reviewBranch(version.name, version.version);
      const tag = scope.tag(version.name, version.version);
      const existing = all.get(version.version);
      if (existing) {
        if (serializeCompiledVersion(existing) !== serializeCompiledVersion(version)) throw new VersionExistsError(version.name, version.version);
        return { name: version.name, version: version.version, commit: `mem-existing`, branch, tag, created: false };
      }
      all.set(version.version, structuredClone(version));
      if (target === "serving") serving.set(k, version.version);
      return { name: version.name, version: version.version, commit: `mem-${++n}`, branch, tag, created: true };
    },
  };
}
