import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serializeCompiledVersion } from "../domain/compiled-version.js";
import { loadSignature } from "../signature/load-signatures.js";
import { baselineVersion } from "../domain/baseline-version.js";
import { createVersionsDirPromptStore } from "./versions-dir-prompt-store.js";

describe("versions-dir prompt store", () => {
  it("writes the latest version as canonical YAML and reads it back; never goes backwards", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "versions-"));
    try {
      const { signature } = await loadSignature(fileURLToPath(new URL("../../prompts", import.meta.url)), "worker");
      const store = createVersionsDirPromptStore(path.join(dir, "versions"));
      expect(await store.latest("default", "worker")).toBeUndefined();
      const v1 = baselineVersion(signature, new Date("2026-01-01T00:00:00Z"));
      const v2 = { ...v1, version: "1.0.1", parent: "1.0.0", guidelines: [{ text: "Be concise." }] };
      await store.save("default", v1, { summary: "baseline" });
      await store.save("default", v2, { summary: "guideline" });
      expect(readFileSync(path.join(dir, "versions", "worker.yaml"), "utf8")).toBe(serializeCompiledVersion(v2));
      expect(await store.latest("default", "worker")).toEqual(v2);
      expect(await store.versions("default", "worker")).toEqual(["1.0.1"]);
      await expect(store.save("default", v1, { summary: "old" })).rejects.toThrow(/holds 1\.0\.1; refusing to overwrite it with the older 1\.0\.0/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps each tenant's latest version in its own file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "versions-"));
    try {
      const { signature } = await loadSignature(fileURLToPath(new URL("../../prompts", import.meta.url)), "worker");
      const store = createVersionsDirPromptStore(path.join(dir, "versions"));
      const base = baselineVersion(signature, new Date("2026-01-01T00:00:00Z"));
      const acme = { ...base, version: "1.0.1", parent: "1.0.0", guidelines: [{ text: "Acme's guideline." }] };
      await store.save("acme", acme, { summary: "acme" });
      expect(readFileSync(path.join(dir, "versions", "acme", "worker.yaml"), "utf8")).toBe(serializeCompiledVersion(acme));
      expect(await store.latest("globex", "worker")).toBeUndefined();
      expect(await store.latest("default", "worker")).toBeUndefined();
      expect(await store.latest("acme", "worker")).toEqual(acme);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
