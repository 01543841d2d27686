// The `--tenant <id>` option every command that reads or writes a tenant's data takes: the CLI
// is the operator's door (it opens the database directly), so it names the tenant explicitly
// instead of being hard-wired to `default`. Validated as a tenant id before anything runs.
import { InvalidArgumentError, Option } from "commander";
import { DEFAULT_TENANT, TenantIdSchema } from "../domain/tenant-id.js";

function parseTenant(value: string): string {
  const parsed = TenantIdSchema.safeParse(value);
  if (!parsed.success || parsed.data !== value) throw new InvalidArgumentError(`"${value}" is not a tenant id (1-63 lower-case letters, digits, - or _, starting with a letter or digit)`);
  return value;
}

/** `--tenant <id>` (default `default`), validated. */
export function tenantOption(description = "tenant whose data the command uses"): Option {
  return new Option("--tenant <id>", description).default(DEFAULT_TENANT).argParser(parseTenant);
}
