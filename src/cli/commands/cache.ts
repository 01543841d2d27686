// `meta-agent cache stats|prune|clear`: what the semantic cache holds, and removing entries that
// expired, belong to versions no longer served, or must go (e.g. after a bad answer was cached).
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { ValidationError } from "../../errors.js";
import { cliContext, reportCliError, withDatabase, withReadDatabase } from "../context.js";

export function registerCache(program: Command): void {
  const cache = program.command("cache").description("the semantic cache: entries per signature and version, pruning, clearing");
  cache
    .command("stats")
    .description("entries per signature and version: live, expired, hits, oldest and newest")
    .addOption(tenantOption("tenant"))
    .option("--json", "machine-readable output")
    .action(async (opts: { tenant: string; json?: boolean }) => {
      try {
        const { cacheStats } = await import("../../memory/cache-maintenance.js");
        const rows = await withReadDatabase(cliContext(), (db) => cacheStats(db, { tenant: opts.tenant }));
        if (opts.json) return void console.log(JSON.stringify(rows));
        if (rows.length === 0) return void console.log(`The semantic cache holds no entries for tenant ${opts.tenant}.`);
        const { formatTable } = await import("../format-table.js");
        console.log(formatTable(["signature", "version", "live", "expired", "hits", "oldest", "newest"], rows.map((r) => [r.signature, r.version, String(r.live), String(r.expired), String(r.hits), r.oldest, r.newest])));
      } catch (e) {
        reportCliError(e);
      }
    });
  cache
    .command("prune")
    .description("delete expired entries; with --signature and --keep-version, also that signature's entries of every other version")
    .addOption(tenantOption("tenant"))
    .option("--signature <name>", "signature whose other versions' entries are deleted (needs --keep-version)")
    .option("--keep-version <version>", "the version whose entries stay (needs --signature)")
    .option("--json", "machine-readable output")
    .action(async (opts: { tenant: string; signature?: string; keepVersion?: string; json?: boolean }) => {
      try {
        if ((opts.signature === undefined) !== (opts.keepVersion === undefined)) throw new ValidationError("--signature and --keep-version go together");
        const { pruneCache } = await import("../../memory/cache-maintenance.js");
        const result = await withDatabase(cliContext(), (db) => pruneCache(db, { tenant: opts.tenant, ...(opts.signature ? { signature: opts.signature, keepVersion: opts.keepVersion! } : {}) }));
        if (opts.json) return void console.log(JSON.stringify(result));
        console.log(`Deleted ${result.expired} expired entr${result.expired === 1 ? "y" : "ies"}${opts.signature ? ` and ${result.otherVersions} of ${opts.signature}'s versions other than ${opts.keepVersion}` : ""}.`);
      } catch (e) {
        reportCliError(e);
      }
    });
  cache
    .command("clear")
    .description("delete every entry of the tenant, or of one signature")
    .addOption(tenantOption("tenant"))
    .option("--signature <name>", "only this signature's entries")
    .option("--json", "machine-readable output")
    .action(async (opts: { tenant: string; signature?: string; json?: boolean }) => {
      try {
        const { clearCache } = await import("../../memory/cache-maintenance.js");
        const deleted = await withDatabase(cliContext(), (db) => clearCache(db, { tenant: opts.tenant, ...(opts.signature ? { signature: opts.signature } : {}) }));
        if (opts.json) return void console.log(JSON.stringify({ deleted }));
        console.log(`Deleted ${deleted} entr${deleted === 1 ? "y" : "ies"}${opts.signature ? ` of ${opts.signature}` : ""} from tenant ${opts.tenant}'s semantic cache.`);
      } catch (e) {
        reportCliError(e);
      }
    });
}
