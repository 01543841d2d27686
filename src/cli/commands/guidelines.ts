// `meta-agent guidelines <name>`: which guideline was added or removed when, from which pattern.
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withDatabase, withReadDatabase } from "../context.js";

export function registerGuidelines(program: Command): void {
  program
    .command("guidelines <signature>")
    .description("guideline history of a signature: added/removed, version, pattern")
    .addOption(tenantOption("tenant"))
    .option("--json", "machine-readable output")
    .action(async (signature: string, opts: { tenant: string; json?: boolean }) => {
      try {
        const { listGuidelineEvents } = await import("../../learning/list-guideline-events.js");
        const events = await withReadDatabase(cliContext(), (db) => listGuidelineEvents(db, { tenant: opts.tenant, signature }));
        if (opts.json) return void console.log(JSON.stringify(events));
        if (events.length === 0) return void console.log(`No guideline changes recorded for ${signature}.`);
        for (const e of events) {
          const from = e.patternKey ? ` — from pattern ${e.patternKey}${e.confidence != null ? ` (confidence ${e.confidence.toFixed(2)})` : ""}` : e.patternId ? ` — from pattern ${e.patternId}` : "";
          console.log(`${e.at}  ${e.version.padEnd(8)} ${e.action === "added" ? "+" : "-"} ${e.guideline}${from}`);
        }
      } catch (e) {
        reportCliError(e);
      }
    });
}
