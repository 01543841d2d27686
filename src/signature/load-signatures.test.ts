import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { listSignatureNames, loadSignature, loadSignatures } from "./load-signatures.js";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));

function withDir(files: Record<string, string>, fn: (dir: string) => Promise<void>) {
  const dir = mkdtempSync(path.join(tmpdir(), "sig-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

describe("signature loading", () => {
  it("ships valid analyst, worker, engineer, synthesizer, diagnosis, localization and mitigation signatures", async () => {
    const loaded = await loadSignatures(PROMPTS);
    expect(loaded.map((l) => l.signature.name)).toEqual(["analyst", "diagnosis", "engineer", "localization", "mitigation", "synthesizer", "worker"]);
    const analyst = loaded.find((l) => l.signature.name === "analyst")!.signature;
    expect(analyst.outputs.find((o) => o.name === "subTasks")?.type).toBe("json");
  });

  it("names the file and the field of an invalid signature", async () => {
    const bad = "name: broken\ndescription: x\ninputs:\n  - name: question\n    description: q\noutputs:\n  - name: verdict\n    description: v\n    type: enum\ninstructions: do it\n";
    await withDir({ "broken.yaml": bad }, async (dir) => {
      await expect(loadSignature(dir, "broken")).rejects.toThrow(/broken\.yaml:7: outputs\[0\]\.values: enum fields need `values`/);
    });
  });

  it("rejects a signature whose name differs from its file name", async () => {
    const text = "name: other\ndescription: x\ninputs:\n  - name: q\n    description: q\noutputs:\n  - name: a\n    description: a\ninstructions: do it\n";
    await withDir({ "mine.yaml": text }, async (dir) => {
      await expect(loadSignature(dir, "mine")).rejects.toThrow(/mine\.yaml: name: must match the file name/);
    });
  });

  it("lists the known signatures when one is missing", async () => {
    await expect(loadSignature(PROMPTS, "nope")).rejects.toThrow(/no signature "nope".*known: analyst, diagnosis/);
    expect(await listSignatureNames(path.join(PROMPTS, "missing-dir"))).toEqual([]);
  });
});
