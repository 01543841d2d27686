// What each tenant is served now: the tenant's compiled file under the versions directory
// (registry/version-scope.ts), else the shared hand-written baseline from prompts/. The directory
// is watched (the tenants' sub-folders too) and each file re-validated on change; a valid file
// replaces the served version in one Map write (readers never see half a version), an invalid one
// is logged and the last good version keeps serving. Other versions of a tenant are read by
// `loadTagged` (git tags, then the database mirror).
import { mkdir, readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { parseCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import { NotFoundError } from "../errors.js";
import type { Logger } from "../log/logger.js";
import { versionFileOwner } from "./version-scope.js";

/** Loads one exact version of a tenant's signature (git tag, database mirror...), or undefined. */
export type TaggedVersionLoader = (request: { tenant: string; name: string; version: string }) => Promise<CompiledVersion | undefined>;

export interface ServedVersionsOptions {
  /** The versions directory: `<name>.yaml` for the default tenant, `<tenant>/<name>.yaml` for the others. */
  dir: string;
  logger: Logger;
  /** Where versions other than the served one come from. Default: none (only the served version can be pinned). */
  loadTagged?: TaggedVersionLoader;
  /** Watch the directory for changes. Default true; the one-shot CLI turns it off. */
  watch?: boolean;
  /**
   * The hand-written baseline (version 1.0.0 from `prompts/<name>.yaml`, shared by every tenant)
   * served while a tenant has never compiled a signature, so a fresh install runs its signatures
   * at once. Default: none.
   */
  loadBaseline?: (name: string) => Promise<CompiledVersion | undefined>;
  /** Names of the signatures that have a hand-written source (candidates for `loadBaseline`). */
  listBaselines?: () => Promise<string[]>;
}

export interface ServedVersions {
  /** Resolves once the directory has been read (and the watcher is armed). */
  readonly ready: Promise<void>;
  /** The compiled version served now to `tenant` for `name`, or undefined. Synchronous: the hot path reads a Map. */
  latest(tenant: string, name: string): CompiledVersion | undefined;
  /** The tenant's served version (compiled, else the baseline), or exactly `version` when pinned. Throws NotFoundError naming what exists. */
  resolve(tenant: string, name: string, options?: { version?: string }): Promise<CompiledVersion>;
  /**
   * Every signature the tenant can run now with the version it would run: its compiled ones and
   * the baselines. `problem` says why a newer file is not served (invalid; the last good version is).
   */
  list(tenant: string): Promise<{ name: string; version: string; baseline: boolean; problem?: string }[]>;
  close(): Promise<void>;
}

const key = (tenant: string, name: string) => `${tenant}\0${name}`;

/** Creates the served-version table and starts loading `dir`; await `ready` before serving. */
export function createServedVersions(options: ServedVersionsOptions): ServedVersions {
  const { dir, logger } = options;
  const served = new Map<string, CompiledVersion>();
  const tagged = new Map<string, CompiledVersion>();
  // Last good hand-written baseline per signature, and why a file is not served now.
  const baselines = new Map<string, CompiledVersion>();
  const problems = new Map<string, string>();
  // A change event can arrive while the previous read of the same file is still in flight;
  // only the newest read may win.
  const generation = new Map<string, number>();
  let watcher: FSWatcher | undefined;

  async function loadFile(file: string): Promise<void> {
    const owner = versionFileOwner(path.relative(dir, file));
    if (!owner) return;
    const { tenant, name } = owner;
    const k = key(tenant, name);
    const gen = (generation.get(k) ?? 0) + 1;
    generation.set(k, gen);
    const shown = path.relative(process.cwd(), file) || path.basename(file);
    let compiled: CompiledVersion;
    try {
      const text = await readFile(file, "utf8");
      compiled = parseCompiledVersion(text, shown);
      if (compiled.name !== name) throw new Error(`${shown}: declares name "${compiled.name}", expected "${name}"`);
    } catch (e) {
      if (generation.get(k) !== gen) return;
      problems.set(k, (e as Error).message);
      const current = served.get(k);
      logger.error(
        { name: "version-invalid", tenant, signature: name, file, err: (e as Error).message, serving: current?.version ?? null },
        current ? `invalid ${shown}; still serving ${name}@${current.version} to ${tenant}` : `invalid ${shown}; ${name} is not served to ${tenant}`,
      );
      return;
    }
    if (generation.get(k) !== gen) return;
    problems.delete(k);
    const previous = served.get(k);
    served.set(k, compiled);
    if (previous?.version !== compiled.version || previous === undefined) {
      logger.info({ name: "version-loaded", tenant, signature: name, version: compiled.version, previous: previous?.version ?? null }, `serving ${name}@${compiled.version} to ${tenant}`);
    }
  }

  async function listFiles(): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isFile()) out.push(path.join(dir, entry.name));
      else if (entry.isDirectory() && versionFileOwner(`${entry.name}/x.yaml`)) {
        for (const f of await readdir(path.join(dir, entry.name)).catch(() => [])) out.push(path.join(dir, entry.name, f));
      }
    }
    return out.filter((f) => versionFileOwner(path.relative(dir, f)));
  }

  async function initialLoad(): Promise<void> {
    let files: string[] = [];
    try {
      // The directory may not exist before the first compilation; create it so it can be watched.
      if (options.watch !== false) await mkdir(dir, { recursive: true });
      files = await listFiles();
    } catch (e) {
      logger.warn({ name: "versions-dir-missing", dir, err: (e as Error).message }, `versions directory ${dir} cannot be read; nothing is served until it exists`);
    }
    await Promise.all(files.map((f) => loadFile(f)));
    if (options.watch === false) return;
    watcher = watch(dir, {
      ignoreInitial: true,
      // The default tenant's files and one level of tenant folders.
      depth: 1,
      // Writers (git checkout, editors) may leave a file half-written for a moment; wait until its
      // size is stable so a valid promotion is not first seen as an invalid file.
      awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 20 },
    });
    const onChange = (file: string) => void loadFile(file);
    watcher.on("add", onChange).on("change", onChange);
    watcher.on("unlink", (file) => {
      const owner = versionFileOwner(path.relative(dir, file));
      if (owner && served.has(key(owner.tenant, owner.name))) {
        logger.warn({ name: "version-file-removed", tenant: owner.tenant, signature: owner.name, file }, `${path.relative(dir, file)} was removed; still serving the last good version`);
      }
    });
    watcher.on("error", (e) => logger.error({ name: "versions-watch-error", dir, err: e }, "watching the versions directory failed"));
    await new Promise<void>((resolve) => watcher!.once("ready", () => resolve()));
  }

  const ready = initialLoad();

  async function baseline(name: string): Promise<CompiledVersion | undefined> {
    if (!options.loadBaseline || !/^[a-z][a-z0-9_-]*$/.test(name)) return undefined;
    const k = key("", name);
    try {
      const loaded = await options.loadBaseline(name);
      if (loaded) baselines.set(name, loaded);
      problems.delete(k);
      return loaded;
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      const last = baselines.get(name);
      const message = (e as Error).message;
      if (problems.get(k) !== message) {
        logger.error(
          { name: "baseline-invalid", signature: name, err: message, serving: last?.version ?? null },
          last ? `invalid signature source for ${name}; still serving its last good baseline: ${message}` : `invalid signature source for ${name}; it is not served: ${message}`,
        );
      }
      problems.set(k, message);
      return last;
    }
  }

  const compiledNames = (tenant: string) => [...served.keys()].filter((k) => k.startsWith(`${tenant}\0`)).map((k) => k.slice(tenant.length + 1));

  return {
    ready,
    latest: (tenant, name) => served.get(key(tenant, name)),
    async list(tenant) {
      const names = new Set([...compiledNames(tenant), ...((await options.listBaselines?.().catch(() => [])) ?? [])]);
      const out: { name: string; version: string; baseline: boolean; problem?: string }[] = [];
      for (const name of [...names].sort()) {
        const compiled = served.get(key(tenant, name));
        const version = compiled ?? (await baseline(name));
        const problem = problems.get(key(tenant, name)) ?? (compiled ? undefined : problems.get(key("", name)));
        if (version) out.push({ name, version: version.version, baseline: !compiled, ...(problem ? { problem } : {}) });
      }
      return out;
    },
    async resolve(tenant, name, opts = {}) {
      const current = served.get(key(tenant, name)) ?? (await baseline(name));
      if (opts.version === undefined) {
        if (!current) throw new NotFoundError(`No version of signature "${name}" is served (known: ${compiledNames(tenant).sort().join(", ") || "none"})`);
        return current;
      }
      if (current?.version === opts.version) return current;
      const k = `${key(tenant, name)}@${opts.version}`;
      const cached = tagged.get(k);
      if (cached) return cached;
      const loaded = await options.loadTagged?.({ tenant, name, version: opts.version });
      if (!loaded) throw new NotFoundError(`Version ${opts.version} of signature "${name}" was not found${current ? ` (serving ${current.version})` : ""}`);
      // Versions are immutable once tagged, so a pinned version can be cached for good.
      tagged.set(k, loaded);
      return loaded;
    },
    async close() {
      await ready.catch(() => undefined);
      await watcher?.close();
    },
  };
}
