// Where learned routing policies live, per tenant: `versions/_routing/<tenant>.json` in the prompts
// repository, one commit and annotated tag (`_routing/<tenant>@<n>`) per version on the serving
// branch — committed, diffable and rolled back like prompts. Tenant ids never start with `_`, so
// neither the folder nor the tags can meet a tenant's own. Without a git repository the file is
// kept in the versions directory alone (latest version only, no history).
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseRoutingPolicy, serializeRoutingPolicy, type RoutingPolicy } from "../domain/routing-policy.js";
import { TenantIdSchema } from "../domain/tenant-id.js";
import { AppError, ValidationError } from "../errors.js";
import type { Logger } from "../log/logger.js";
import { gitQueueFor } from "./git-queue.js";
import { openGitRepo } from "./git-repo.js";
import { VERSIONS_DIR } from "./version-scope.js";

export const ROUTING_DIR = "_routing";

function checkTenant(tenant: string): void {
  const parsed = TenantIdSchema.safeParse(tenant);
  if (!parsed.success || parsed.data !== tenant) throw new ValidationError(`tenant: "${tenant}" is not a tenant id`);
}

/** Repository-relative path of a tenant's policy file. */
export function routingPolicyPath(tenant: string): string {
  checkTenant(tenant);
  return `${VERSIONS_DIR}/${ROUTING_DIR}/${tenant}.json`;
}

/** The policy file inside a versions directory (what the router reads). */
export const routingPolicyFile = (versionsDir: string, tenant: string) => path.join(versionsDir, path.relative(VERSIONS_DIR, routingPolicyPath(tenant)));

/** Tag of one version of a tenant's policy. */
export const routingPolicyTag = (tenant: string, version: number) => `${ROUTING_DIR}/${tenant}@${version}`;

export interface StoredPolicyVersion {
  version: number;
  /** Commit sha ("" without git). */
  commit: string;
  tag: string;
  /** Tagger date, ISO 8601. */
  date: string;
  /** First line of the tag message. */
  summary: string;
}

export interface RoutingPolicyStore {
  /** True when versions are kept in git (history, tags, rollback to any version). */
  readonly git: boolean;
  latest(tenant: string): Promise<RoutingPolicy | undefined>;
  get(tenant: string, version: number): Promise<RoutingPolicy | undefined>;
  /** The exact file text of a version (latest when omitted). */
  readText(tenant: string, version?: number): Promise<string | undefined>;
  /** Every stored version, oldest first. */
  list(tenant: string): Promise<StoredPolicyVersion[]>;
  /** Stores the next version; its number must be latest + 1. */
  save(tenant: string, policy: RoutingPolicy, summary: string): Promise<StoredPolicyVersion>;
}

/** The policy store on the prompts repository (`repoDir`), committing to `servingBranch`. */
export async function createGitRoutingPolicyStore(options: { repoDir: string; servingBranch: string; logger: Logger }): Promise<RoutingPolicyStore> {
  const repo = await openGitRepo(options.repoDir);
  const queue = gitQueueFor(repo.dir);
  const servingRef = `refs/heads/${options.servingBranch}`;
  const readText = (tenant: string, version?: number) =>
    queue.run(() => repo.readFile(version === undefined ? servingRef : `refs/tags/${routingPolicyTag(tenant, version)}`, routingPolicyPath(tenant)));
  const parse = (text: string | undefined, source: string) => (text === undefined ? undefined : parseRoutingPolicy(text, source));
  const list = async (tenant: string): Promise<StoredPolicyVersion[]> => {
    checkTenant(tenant);
    const out = await queue.run(() =>
      repo.git.raw(["for-each-ref", "--format=%(refname:strip=2)%09%(*objectname)%09%(objectname)%09%(taggerdate:iso-strict)%09%(contents:subject)", `refs/tags/${ROUTING_DIR}/${tenant}@*`]),
    );
    return out
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [tag = "", peeled = "", object = "", date = "", summary = ""] = line.split("\t");
        return { tag, version: Number(tag.slice(tag.lastIndexOf("@") + 1)), commit: peeled || object, date, summary };
      })
      .filter((v) => Number.isInteger(v.version) && v.version > 0)
      .sort((a, b) => a.version - b.version);
  };
  return {
    git: true,
    readText,
    list,
    async latest(tenant) {
      return parse(await readText(tenant), `${options.servingBranch}:${routingPolicyPath(tenant)}`);
    },
    async get(tenant, version) {
      return parse(await readText(tenant, version), `${routingPolicyTag(tenant, version)}:${routingPolicyPath(tenant)}`);
    },
    async save(tenant, policy, summary) {
      const file = routingPolicyPath(tenant);
      const tag = routingPolicyTag(tenant, policy.version);
      return queue.run(async () => {
        const current = await repo.readFile(servingRef, file);
        const latest = current === undefined ? 0 : parseRoutingPolicy(current, file).version;
        if (policy.version !== latest + 1) throw new AppError("version_conflict", `${file} is at version ${latest}; version ${policy.version} cannot follow it (another training saved meanwhile?)`, { status: 409, isRetryable: true });
        const base = await repo.resolve(servingRef);
        const message = `${summary}\n\nMeta-Agent-Routing-Policy: ${tenant}@${policy.version}`;
        const commit = await repo.commitFile({ branch: options.servingBranch, ...(base ? { base } : {}), file, content: serializeRoutingPolicy(policy), message, tag: { name: tag, message } });
        options.logger.info({ name: "routing-policy-committed", tenant, version: policy.version, commit, tag }, `committed ${tag}`);
        return { version: policy.version, commit, tag, date: new Date().toISOString(), summary: summary.split("\n")[0]! };
      });
    },
  };
}

/** The policy store over the versions directory alone: the latest version, written atomically. */
export function createDirRoutingPolicyStore(versionsDir: string): RoutingPolicyStore {
  const readText = async (tenant: string) => {
    try {
      return await readFile(routingPolicyFile(versionsDir, tenant), "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
  };
  const latest = async (tenant: string) => {
    const text = await readText(tenant);
    return text === undefined ? undefined : parseRoutingPolicy(text, routingPolicyFile(versionsDir, tenant));
  };
  return {
    git: false,
    latest,
    async get(tenant, version) {
      const p = await latest(tenant);
      return p?.version === version ? p : undefined;
    },
    async readText(tenant, version) {
      if (version === undefined) return readText(tenant);
      return (await latest(tenant))?.version === version ? readText(tenant) : undefined;
    },
    async list(tenant) {
      const p = await latest(tenant);
      return p ? [{ version: p.version, commit: "", tag: routingPolicyTag(tenant, p.version), date: p.trainedAt, summary: "" }] : [];
    },
    async save(tenant, policy, summary) {
      const file = routingPolicyFile(versionsDir, tenant);
      const current = await latest(tenant);
      if (policy.version !== (current?.version ?? 0) + 1) throw new AppError("version_conflict", `${file} is at version ${current?.version ?? 0}; version ${policy.version} cannot follow it`, { status: 409, isRetryable: true });
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, serializeRoutingPolicy(policy));
      await rename(tmp, file);
      return { version: policy.version, commit: "", tag: routingPolicyTag(tenant, policy.version), date: new Date().toISOString(), summary };
    },
  };
}

/** The tenant policies' store for the registry's repository: git when it opened, else the versions directory. */
export async function createRoutingPolicyStore(registry: { git?: { repoDir: string; servingBranch: string }; logger: Logger }, versionsDir: string): Promise<RoutingPolicyStore> {
  if (!registry.git) return createDirRoutingPolicyStore(versionsDir);
  return createGitRoutingPolicyStore({ repoDir: registry.git.repoDir, servingBranch: registry.git.servingBranch, logger: registry.logger });
}
