// The PromptStore port: where compiled versions live. The git implementation (registry/git-
// prompt-store.ts) commits and tags them; the in-memory one serves unit tests.
import type { CompiledVersion } from "../domain/compiled-version.js";
import { compareVersions } from "../domain/version-bump.js";

export interface SaveMeta {
  /** One-line summary for the commit subject / tag. */
  summary: string;
  /** Free-form body (score change, patterns applied...). */
  body?: string;
  /** Marks the version as a rollback of another. */
  rollback?: boolean;
}

export interface SavedVersion {
  name: string;
  version: string;
  /** Commit sha (git stores) or a synthetic id. */
  commit: string;
  /** Branch the version was committed to (review mode: a review branch). */
  branch: string;
}

export interface PromptStore {
  /** Latest version of a signature on the serving branch, or undefined if never compiled. */
  latest(name: string): Promise<CompiledVersion | undefined>;
  /** A specific version, or undefined. */
  get(name: string, version: string): Promise<CompiledVersion | undefined>;
  /** All versions of a signature, oldest first. */
  versions(name: string): Promise<string[]>;
  save(version: CompiledVersion, meta: SaveMeta): Promise<SavedVersion>;
}

/** A PromptStore kept in memory (unit tests, dry runs). */
export function createInMemoryPromptStore(): PromptStore {
  const store = new Map<string, Map<string, CompiledVersion>>();
  let n = 0;
  return {
    async latest(name) {
      const all = store.get(name);
      if (!all || all.size === 0) return undefined;
      return all.get([...all.keys()].sort(compareVersions).at(-1)!);
    },
    async get(name, version) {
      return store.get(name)?.get(version);
    },
    async versions(name) {
      return [...(store.get(name)?.keys() ?? [])].sort(compareVersions);
    },
    async save(version) {
      let all = store.get(version.name);
      if (!all) store.set(version.name, (all = new Map()));
      all.set(version.version, structuredClone(version));
      return { name: version.name, version: version.version, commit: `mem-${++n}`, branch: "memory" };
    },
  };
}
