// `meta-agent keys create|list|revoke`: API keys for tenants.
import type { Command } from "commander";
import { cliContext, reportCliError, withDatabase, withReadDatabase } from "../context.js";

export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("API keys: each key acts for one tenant");
  keys
    .command("create")
    .description("create an API key for a tenant (the key is shown once)")
    .requiredOption("--tenant <name>", "tenant the key acts for (created if new)")
    .option("--name <label>", "label shown by `keys list`")
    .option("--json", "machine-readable output")
    .action(async (opts: { tenant: string; name?: string; json?: boolean }) => {
      try {
        const { createApiKey } = await import("../../tenancy/create-api-key.js");
        const created = await withDatabase(cliContext(), (db) => createApiKey(db, { tenant: opts.tenant, name: opts.name }));
        if (opts.json) return void console.log(JSON.stringify(created));
        console.log(`Created API key ${created.id} for tenant ${created.tenant}:\n\n  ${created.key}\n`);
        console.log("Store it now: it is not saved and cannot be shown again. Send it as `Authorization: Bearer <key>`.");
      } catch (e) {
        reportCliError(e);
      }
    });
  keys
    .command("generate")
    .description("print a new random API key without storing it (for bootstrap_api_key / a deployment secret)")
    .action(async () => {
      const { generateApiKey } = await import("../../tenancy/api-key.js");
      console.log(generateApiKey().key);
    });
  keys
    .command("list")
    .description("list API keys (prefix, tenant, state; never the key)")
    .option("--tenant <name>", "only this tenant's keys")
    .option("--json", "machine-readable output")
    .action(async (opts: { tenant?: string; json?: boolean }) => {
      try {
        const { listApiKeys } = await import("../../tenancy/list-api-keys.js");
        const rows = await withReadDatabase(cliContext(), (db) => listApiKeys(db, { tenant: opts.tenant }));
        if (opts.json) return void console.log(JSON.stringify(rows));
        if (rows.length === 0) return void console.log("No API keys: the service serves the `default` tenant on loopback only.");
        const { formatTable } = await import("../format-table.js");
        console.log(
          formatTable(
            ["id", "tenant", "name", "prefix", "created", "last used", "state"],
            rows.map((r) => [r.id, r.tenant, r.name, `${r.prefix}…`, r.createdAt, r.lastUsedAt ?? "never", r.revokedAt ? `revoked ${r.revokedAt}` : "active"]),
          ),
        );
      } catch (e) {
        reportCliError(e);
      }
    });
  keys
    .command("revoke <id>")
    .description("revoke an API key by id (or unique prefix)")
    .option("--json", "machine-readable output")
    .action(async (id: string, opts: { json?: boolean }) => {
      try {
        const { revokeApiKey } = await import("../../tenancy/revoke-api-key.js");
        const key = await withDatabase(cliContext(), (db) => revokeApiKey(db, id));
        if (opts.json) return void console.log(JSON.stringify(key));
        console.log(`Revoked API key ${key.id} (${key.prefix}…, tenant ${key.tenant}).`);
      } catch (e) {
        reportCliError(e);
      }
    });
}
