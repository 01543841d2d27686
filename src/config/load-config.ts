// Loads configuration once: defaults < meta-agent.config.yaml < environment. Nothing else
// in the code base reads process.env.
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { tmpdir, userInfo } from "node:os";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { CONFIG_KEYS, type ConfigKey } from "./keys.js";
import { ConfigError } from "../errors.js";

type Infer<K extends ConfigKey> = z.output<(typeof CONFIG_KEYS)[K]["schema"]>;
type HasDefault<K extends ConfigKey> = (typeof CONFIG_KEYS)[K] extends { default: unknown } ? K : never;
type DefaultedKeys = { [K in ConfigKey]: HasDefault<K> }[ConfigKey];

/** Validated configuration. Keys without a default are optional. */
export type Config = { [K in DefaultedKeys]: Infer<K> } & { [K in Exclude<ConfigKey, DefaultedKeys>]?: Infer<K> } & {
  /** Absolute path of the data directory. */
  dataDir: string;
  /** Absolute path of the state file. */
  stateFile: string;
  /** Absolute path of the directory running services announce themselves in. */
  servicesDir: string;
  /** Whether data_dir was set (file or environment) rather than left at its default. */
  dataDirConfigured: boolean;
  /**
   * Keys set by the file, the environment or an override rather than left at their default
   * (prompts_repo_dir, prompts_dir and versions_dir count for the derived promptsDir/versionsDir).
   */
  configuredKeys: string[];
  /** Absolute paths of the signature sources and compiled versions (inside the prompts repository by default). */
  promptsDir: string;
  versionsDir: string;
  /** Path of the config file that was read, if any. */
  configFile?: string;
};

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Values that win over everything (CLI flags). */
  overrides?: Partial<Record<ConfigKey, unknown>>;
}

const DEFAULT_CONFIG_FILE = "meta-agent.config.yaml";

/** The user's name for a per-user directory (uid where the name cannot be read). */
function userName(): string {
  try {
    return userInfo().username.replace(/[^A-Za-z0-9_.-]/g, "_") || String(process.getuid?.() ?? "user");
  } catch {
    return String(process.getuid?.() ?? "user");
  }
}

/** Reads and validates configuration; throws ConfigError naming each bad key and what is allowed. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const { values: fileValues, file } = readConfigFile(env, cwd);
  const out: Record<string, unknown> = {};
  const problems: string[] = [];

  for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKey, (typeof CONFIG_KEYS)[ConfigKey]][]) {
    let raw: unknown;
    let source: string | undefined;
    if (options.overrides && options.overrides[key] !== undefined) {
      raw = options.overrides[key];
      source = `option ${key}`;
    } else {
      const envName = spec.env.find((name) => env[name] !== undefined && env[name] !== "");
      if (envName) {
        raw = env[envName];
        source = envName;
      } else if (fileValues[spec.file] !== undefined && fileValues[spec.file] !== null) {
        raw = fileValues[spec.file];
        source = `${spec.file} in ${file}`;
      }
    }
    if (source === undefined) {
      if ("default" in spec) out[key] = spec.default;
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) out[key] = parsed.data;
    else problems.push(`${source}: ${parsed.error.issues.map((i) => i.message).join("; ")} (got ${JSON.stringify(raw)})`);
  }

  const known = new Set<string>(Object.values(CONFIG_KEYS).map((s) => s.file));
  for (const k of Object.keys(fileValues)) {
    if (!known.has(k)) problems.push(`${k} in ${file}: unknown key (allowed: ${[...known].sort().join(", ")})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(cwd, String(out.dataDir));
  const stateFile = out.stateFile ? path.resolve(cwd, String(out.stateFile)) : path.join(dataDir, "state.json");
  const servicesDir = out.servicesDir ? path.resolve(cwd, String(out.servicesDir)) : path.join(tmpdir(), `meta-agent-${userName()}`, "services");
  const configuredKeys = (Object.keys(CONFIG_KEYS) as ConfigKey[]).filter(
    (k) => CONFIG_KEYS[k].env.some((e) => env[e] !== undefined && env[e] !== "") || fileValues[CONFIG_KEYS[k].file] !== undefined || options.overrides?.[k] !== undefined,
  ) as string[];
  if (configuredKeys.includes("promptsRepoDir")) configuredKeys.push("promptsDir", "versionsDir");
  const dataDirConfigured = configuredKeys.includes("dataDir");
  // prompts/ and versions/ live in the prompts repository, which the registry commits to and the
  // orchestrator serves from; relative overrides are taken from the working directory.
  const repoDir = out.promptsRepoDir ? path.resolve(cwd, String(out.promptsRepoDir)) : cwd;
  const promptsDir = out.promptsDir ? path.resolve(cwd, String(out.promptsDir)) : path.join(repoDir, "prompts");
  const versionsDir = out.versionsDir ? path.resolve(cwd, String(out.versionsDir)) : path.join(repoDir, "versions");
  return { ...out, dataDir, stateFile, servicesDir, dataDirConfigured, configuredKeys, promptsDir, versionsDir, ...(file ? { configFile: file } : {}) } as Config;
}

function readConfigFile(env: NodeJS.ProcessEnv, cwd: string): { values: Record<string, unknown>; file?: string } {
  const explicit = env["META_AGENT_CONFIG_FILE"];
  const file = path.resolve(cwd, explicit || DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (explicit) throw new ConfigError([`META_AGENT_CONFIG_FILE: file not found: ${file}`]);
    return { values: {} };
  }
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, "utf8"));
  } catch (err) {
    throw new ConfigError([`${file}: not valid YAML: ${(err as Error).message}`]);
  }
  if (doc === null || doc === undefined) return { values: {}, file };
  if (typeof doc !== "object" || Array.isArray(doc)) throw new ConfigError([`${file}: expected a mapping of keys to values`]);
  return { values: doc as Record<string, unknown>, file };
}
