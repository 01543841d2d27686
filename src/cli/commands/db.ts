// `meta-agent db migrate`: apply pending migrations.
import type { Command } from "commander";
import { cliContext, reportCliError, withDatabase } from "../context.js";

export function registerDb(program: Command): void {
  const db = program.command("db").description("database maintenance");
  db.command("migrate")
    .description("apply pending migrations (also done automatically at start)")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      try {
        const ctx = cliContext();
        const result = await withDatabase(ctx, async (d) => ({ mode: d.mode, ...d.migrations }));
        if (opts.json) console.log(JSON.stringify(result));
        else if (result.applied.length === 0) console.log(`Database is up to date (${result.alreadyApplied.length} migrations applied).`);
        else console.log(`Applied ${result.applied.length} migration(s):\n${result.applied.map((m) => `  ${m}`).join("\n")}`);
      } catch (e) {
        reportCliError(e);
      }
    });
}
