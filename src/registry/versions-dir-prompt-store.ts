// A PromptStore over a plain `versions/` directory: `versions/<name>.yaml` holds the latest
// version, written atomically. It keeps no history (that is what the git store adds); it lets
// `meta-agent compile` work in a directory that is not a git repository.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseCompiledVersion, serializeCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import { compareVersions } from "../domain/version-bump.js";
import { ValidationError } from "../errors.js";
import type { PromptStore, SavedVersion } from "./prompt-store.js";

/** @param dir the versions directory (created on first save). */
export function createVersionsDirPromptStore(dir: string): PromptStore {
  const fileOf = (name: string) => path.join(dir, `${name}.yaml`);
  const read = async (name: string): Promise<CompiledVersion | undefined> => {
    let text: string;
    try {
      text = await readFile(fileOf(name), "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
    return parseCompiledVersion(text, fileOf(name));
  };
  return {
    latest: read,
    async get(name, version) {
      const v = await read(name);
      return v?.version === version ? v : undefined;
    },
    async versions(name) {
      const v = await read(name);
      return v ? [v.version] : [];
    },
    async save(version): Promise<SavedVersion> {
      const current = await read(version.name);
      if (current && compareVersions(version.version, current.version) < 0) {
        throw new ValidationError(`${fileOf(version.name)} holds ${current.version}; refusing to overwrite it with the older ${version.version}`);
      }
      await mkdir(dir, { recursive: true });
      const tmp = `${fileOf(version.name)}.${process.pid}.tmp`;
      await writeFile(tmp, serializeCompiledVersion(version));
      await rename(tmp, fileOf(version.name));
      return { name: version.name, version: version.version, commit: "", branch: "", tag: `${version.name}@${version.version}`, created: true } as SavedVersion;
    },
  };
}
