// A PromptStore over a plain versions directory: each tenant's `<name>.yaml` (registry/version-
// scope.ts: `versions/<name>.yaml` for default, `versions/<tenant>/<name>.yaml` otherwise) holds
// its latest version, written atomically. It keeps no history (that is what the git store adds);
// it lets `meta-agent compile` work in a directory that is not a git repository.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseCompiledVersion, serializeCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import { compareVersions } from "../domain/version-bump.js";
import { ValidationError } from "../errors.js";
import type { PromptStore, SavedVersion } from "./prompt-store.js";
import { VERSIONS_DIR, versionScope } from "./version-scope.js";

/** @param dir the versions directory (created on first save). */
export function createVersionsDirPromptStore(dir: string): PromptStore {
  // The scope's paths start with `versions/`; here they are relative to `dir` itself.
  const fileOf = (tenant: string, name: string) => path.join(dir, path.relative(VERSIONS_DIR, versionScope(tenant).file(name)));
  const read = async (tenant: string, name: string): Promise<CompiledVersion | undefined> => {
    const file = fileOf(tenant, name);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
    return parseCompiledVersion(text, file);
  };
  return {
    review: false,
    latest: read,
    async get(tenant, name, version) {
      const v = await read(tenant, name);
      return v?.version === version ? v : undefined;
    },
    async versions(tenant, name) {
      const v = await read(tenant, name);
      return v ? [v.version] : [];
    },
    async save(tenant, version): Promise<SavedVersion> {
      const file = fileOf(tenant, version.name);
      const current = await read(tenant, version.name);
      if (current && compareVersions(version.version, current.version) < 0) {
        throw new ValidationError(`${file} holds ${current.version}; refusing to overwrite it with the older ${version.version}`);
      }
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, serializeCompiledVersion(version));
      await rename(tmp, file);
      return { name: version.name, version: version.version, commit: "", branch: "", tag: versionScope(tenant).tag(version.name, version.version), created: true };
    },
  };
}
