// The compiled signatures the orchestrator serves: `versions/<name>.yaml`, always the latest.
// The directory is watched and each file re-validated on change; a valid file replaces the served
// version in one Map write (readers never see half a version), an invalid one is logged and the
// last good version keeps serving. Pinned versions come from a loader (git history, database).
import { mkdir, readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { parseCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import { NotFoundError } from "../errors.js";
import type { Logger } from "../log/logger.js";

/** Loads one exact version of a signature (git tag, database mirror...), or undefined. */
export type PinnedVersionLoader = (request: { tenant: string; name: string; version: string }) => Promise<CompiledVersion | undefined>;

export interface VersionRegistryOptions {
  /** Directory holding `<name>.yaml` compiled versions. */
  dir: string;
  logger: Logger;
  /** Where pinned versions other than the served one come from. Default: none (only the served version can be pinned). */
  loadPinned?: PinnedVersionLoader;
  /** Watch the directory for changes. Default true; the one-shot CLI turns it off. */
  watch?: boolean;
  /**
   * The hand-written baseline (version 1.0.0 from `prompts/<name>.yaml`) served while a signature
   * has never been compiled, so a fresh install runs its signatures at once. Default: none.
   */
  loadBaseline?: (name: string) => Promise<CompiledVersion | undefined>;
  /** Names of the signatures that have a hand-written source (candidates for `loadBaseline`). */
  listBaselines?: () => Promise<string[]>;
}

export interface VersionRegistry {
  /** Resolves once the directory has been read (and the watcher is armed). */
  readonly ready: Promise<void>;
  /** The version served now for `name`, or undefined. Synchronous: the hot path reads a Map. */
  latest(name: string): CompiledVersion | undefined;
  /** The latest version, or exactly `version` when pinned. Throws NotFoundError naming what exists. */
  resolve(name: string, options?: { version?: string; tenant?: string }): Promise<CompiledVersion>;
  /** Names of the signatures served, sorted. */
  names(): string[];
  /** Every signature that can run now with the version it would run: compiled ones and baselines. */
  list(): Promise<{ name: string; version: string; baseline: boolean }[]>;
  close(): Promise<void>;
}

const FILE_RE = /^([a-z][a-z0-9_-]*)\.ya?ml$/;

/** Creates the registry and starts loading `dir`; await `ready` before serving. */
export function createVersionRegistry(options: VersionRegistryOptions): VersionRegistry {
  const { dir, logger } = options;
  const served = new Map<string, CompiledVersion>();
  const pinned = new Map<string, CompiledVersion>();
  // A change event can arrive while the previous read of the same file is still in flight;
  // only the newest read may win.
  const generation = new Map<string, number>();
  let watcher: FSWatcher | undefined;

  async function loadFile(file: string): Promise<void> {
    const base = path.basename(file);
    const match = FILE_RE.exec(base);
    if (!match) return;
    const name = match[1]!;
    const gen = (generation.get(name) ?? 0) + 1;
    generation.set(name, gen);
    let compiled: CompiledVersion;
    try {
      const text = await readFile(file, "utf8");
      compiled = parseCompiledVersion(text, path.relative(process.cwd(), file) || base);
      if (compiled.name !== name) throw new Error(`${base}: declares name "${compiled.name}", expected "${name}"`);
    } catch (e) {
      if (generation.get(name) !== gen) return;
      const current = served.get(name);
      logger.error(
        { name: "version-invalid", signature: name, file, err: (e as Error).message, serving: current?.version ?? null },
        current ? `invalid ${base}; still serving ${name}@${current.version}` : `invalid ${base}; ${name} is not served`,
      );
      return;
    }
    if (generation.get(name) !== gen) return;
    const previous = served.get(name);
    served.set(name, compiled);
    if (previous?.version !== compiled.version || previous === undefined) {
      logger.info({ name: "version-loaded", signature: name, version: compiled.version, previous: previous?.version ?? null }, `serving ${name}@${compiled.version}`);
    }
  }

  async function initialLoad(): Promise<void> {
    let entries: string[] = [];
    try {
      // The directory may not exist before the first compilation; create it so it can be watched.
      if (options.watch !== false) await mkdir(dir, { recursive: true });
      entries = await readdir(dir);
    } catch (e) {
      logger.warn({ name: "versions-dir-missing", dir, err: (e as Error).message }, `versions directory ${dir} cannot be read; nothing is served until it exists`);
    }
    await Promise.all(entries.filter((f) => FILE_RE.test(f)).map((f) => loadFile(path.join(dir, f))));
    if (options.watch === false) return;
    watcher = watch(dir, {
      ignoreInitial: true,
      depth: 0,
      // Writers (git checkout, editors) may leave a file half-written for a moment; wait until its
      // size is stable so a valid promotion is not first seen as an invalid file.
      awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 20 },
    });
    const onChange = (file: string) => void loadFile(file);
    watcher.on("add", onChange).on("change", onChange);
    watcher.on("unlink", (file) => {
      const m = FILE_RE.exec(path.basename(file));
      if (m && served.has(m[1]!)) logger.warn({ name: "version-file-removed", signature: m[1], file }, `${path.basename(file)} was removed; still serving the last good version`);
    });
    watcher.on("error", (e) => logger.error({ name: "versions-watch-error", dir, err: e }, "watching the versions directory failed"));
    await new Promise<void>((resolve) => watcher!.once("ready", () => resolve()));
  }

  const ready = initialLoad();

  async function baseline(name: string): Promise<CompiledVersion | undefined> {
    if (!options.loadBaseline || !FILE_RE.test(`${name}.yaml`)) return undefined;
    try {
      return await options.loadBaseline(name);
    } catch (e) {
      if (!(e instanceof NotFoundError)) logger.warn({ name: "baseline-unavailable", signature: name, err: e }, "the signature source could not be loaded as a baseline");
      return undefined;
    }
  }

  return {
    ready,
    latest: (name) => served.get(name),
    names: () => [...served.keys()].sort(),
    async list() {
      const names = new Set([...served.keys(), ...((await options.listBaselines?.().catch(() => [])) ?? [])]);
      const out: { name: string; version: string; baseline: boolean }[] = [];
      for (const name of [...names].sort()) {
        const compiled = served.get(name);
        const version = compiled ?? (await baseline(name));
        if (version) out.push({ name, version: version.version, baseline: !compiled });
      }
      return out;
    },
    async resolve(name, opts = {}) {
      const current = served.get(name) ?? (await baseline(name));
      if (opts.version === undefined) {
        if (!current) throw new NotFoundError(`No compiled version of signature "${name}" is served (known: ${[...served.keys()].sort().join(", ") || "none"})`);
        return current;
      }
      if (current?.version === opts.version) return current;
      const key = `${opts.tenant ?? ""}\0${name}@${opts.version}`;
      const cached = pinned.get(key);
      if (cached) return cached;
      const loaded = await options.loadPinned?.({ tenant: opts.tenant ?? "default", name, version: opts.version });
      if (!loaded) throw new NotFoundError(`Version ${opts.version} of signature "${name}" was not found${current ? ` (serving ${current.version})` : ""}`);
      // Versions are immutable once tagged, so a pinned version can be cached for good.
      pinned.set(key, loaded);
      return loaded;
    },
    async close() {
      await ready.catch(() => undefined);
      await watcher?.close();
    },
  };
}
