// Where a tenant's versions live in the prompts repository. Each tenant has its own served file,
// tags and review branches; the hand-written baselines in prompts/ are shared. The `default`
// tenant keeps the layout repositories had before tenants were separated, so they keep working:
//
//   tenant    served file                   tag                        review branch
//   default   versions/<name>.yaml          <name>@<version>           meta-agent/<name>-v<version>
//   acme      versions/acme/<name>.yaml     acme/<name>@<version>      meta-agent/acme/<name>-v<version>
//
// Tenant ids are slugs ([a-z0-9][a-z0-9_-]*), so they are valid path segments and ref components,
// and a default tag (no "/") can never be confused with a tenant's.
import { DEFAULT_TENANT, TenantIdSchema } from "../domain/tenant-id.js";
import { ValidationError } from "../errors.js";

export const VERSIONS_DIR = "versions";

export interface VersionScope {
  readonly tenant: string;
  /** Repository-relative path of the served file, e.g. `versions/acme/triage.yaml`. */
  file(name: string): string;
  /** Tag of one version, e.g. `acme/triage@1.2.0`. */
  tag(name: string, version: string): string;
  /** `git for-each-ref` pattern of every tag of a signature. */
  tagPattern(name: string): string;
  /** Review branch of one version (review mode). */
  reviewBranch(name: string, version: string): string;
}

const SIGNATURE_NAME = /^[a-z][a-z0-9_-]*$/;

function checkName(name: string): void {
  if (!SIGNATURE_NAME.test(name)) throw new ValidationError(`name: "${name}" is not a signature name (lower-case letters, digits, - or _, starting with a letter)`);
}

/** The paths, tags and branches of `tenant`'s versions. */
export function versionScope(tenant: string): VersionScope {
  const parsed = TenantIdSchema.safeParse(tenant);
  if (!parsed.success || parsed.data !== tenant) throw new ValidationError(`tenant: "${tenant}" is not a tenant id`);
  const prefix = tenant === DEFAULT_TENANT ? "" : `${tenant}/`;
  return {
    tenant,
    file(name) {
      checkName(name);
      return `${VERSIONS_DIR}/${prefix}${name}.yaml`;
    },
    tag(name, version) {
      checkName(name);
      return `${prefix}${name}@${version}`;
    },
    tagPattern(name) {
      checkName(name);
      return `refs/tags/${prefix}${name}@*`;
    },
    reviewBranch(name, version) {
      checkName(name);
      return `meta-agent/${prefix}${name}-v${version}`;
    },
  };
}

/**
 * The tenant and signature a path under the versions directory belongs to (`triage.yaml` →
 * default, `acme/triage.yaml` → acme), or undefined for anything else. Folders whose name is not
 * a tenant id (e.g. starting with `_`) are free for other files.
 */
export function versionFileOwner(relativePath: string): { tenant: string; name: string } | undefined {
  const parts = relativePath.split(/[\\/]/);
  const file = /^([a-z][a-z0-9_-]*)\.ya?ml$/.exec(parts.at(-1) ?? "");
  if (!file) return undefined;
  if (parts.length === 1) return { tenant: DEFAULT_TENANT, name: file[1]! };
  if (parts.length === 2 && TenantIdSchema.safeParse(parts[0]).success && parts[0] !== DEFAULT_TENANT) return { tenant: parts[0]!, name: file[1]! };
  return undefined;
}
