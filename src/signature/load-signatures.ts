// Loads signature sources (`prompts/<name>.yaml`). Errors name the file and the field.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { parseSignature, type Signature } from "../domain/signature.js";
import { NotFoundError, ValidationError } from "../errors.js";

const EXTENSIONS = [".yaml", ".yml"];

/** A signature together with the file it came from (custom metric modules resolve against it). */
export interface LoadedSignature {
  signature: Signature;
  file: string;
}

/** Names of the signatures in `promptsDir` (file stems), sorted. Missing directory: none. */
export async function listSignatureNames(promptsDir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(promptsDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return entries
    .filter((f) => EXTENSIONS.includes(path.extname(f)))
    .map((f) => path.basename(f, path.extname(f)))
    .sort();
}

/** Loads and validates `<promptsDir>/<name>.yaml`; throws NotFoundError or ValidationError. */
export async function loadSignature(promptsDir: string, name: string): Promise<LoadedSignature> {
  for (const ext of EXTENSIONS) {
    const file = path.join(promptsDir, `${name}${ext}`);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw e;
    }
    const shown = path.relative(process.cwd(), file) || file;
    const signature = parseSignature(text, shown);
    // The file name is the signature's identity in versions/ and traces; a mismatch would
    // silently compile one signature under another's name.
    if (signature.name !== name) throw new ValidationError(`${shown}: name: must match the file name ("${name}"), got "${signature.name}"`);
    return { signature, file };
  }
  const known = await listSignatureNames(promptsDir);
  throw new NotFoundError(`no signature "${name}" in ${promptsDir} (known: ${known.join(", ") || "none"})`);
}

/** Loads every signature in the directory; a bad file fails the whole load with its errors. */
export async function loadSignatures(promptsDir: string): Promise<LoadedSignature[]> {
  const names = await listSignatureNames(promptsDir);
  const loaded: LoadedSignature[] = [];
  const problems: string[] = [];
  for (const name of names) {
    try {
      loaded.push(await loadSignature(promptsDir, name));
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length > 0) throw new ValidationError(problems.join("\n"), { problems });
  return loaded;
}
