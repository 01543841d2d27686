// `meta-agent verify <signature> [version]`: recomputes a version's provenance (Merkle root over
// what it was built from) from the database and says whether anything changed or is gone.
// Exit code 0: intact; 1: something differs (or an error); 3: the version has no provenance.
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withReadDatabase } from "../context.js";
import type { VerifyReport } from "../../compiler/verify-version.js";

export function registerVerify(program: Command): void {
  program
    .command("verify <signature> [version]")
    .description("check that what a version was built from (traces, patterns, heuristics, demos) is unchanged: Merkle root recomputed from the database (default: the served version)")
    .addOption(tenantOption("tenant"))
    .option("--trace <id>", "also print the inclusion proof of this trace under the version's root")
    .option("--json", "machine-readable output")
    .action(async (signature: string, version: string | undefined, opts: { tenant: string; trace?: string; json?: boolean }) => {
      try {
        const ctx = cliContext();
        const report = await withReadDatabase(ctx, async (db) => {
          const { createRegistryDeps } = await import("../../registry/registry-deps.js");
          const { syncMirror } = await import("../../registry/sync-mirror.js");
          const { verifyVersion } = await import("../../compiler/verify-version.js");
          const deps = await createRegistryDeps(ctx.config, db, ctx.logger);
          await syncMirror(deps, opts.tenant, signature);
          return verifyVersion(deps, { tenant: opts.tenant, name: signature, ...(version ? { version } : {}), ...(opts.trace ? { proveTrace: opts.trace } : {}) });
        });
        console.log(opts.json ? JSON.stringify(report, null, 2) : formatVerifyReport(report));
        process.exitCode = report.status === "intact" ? 0 : report.status === "unrecorded" ? 3 : 1;
      } catch (e) {
        reportCliError(e);
      }
    });
}

/** The report as a terminal shows it. */
export function formatVerifyReport(r: VerifyReport): string {
  const c = r.counts;
  const lines = [`${r.name} ${r.version}${r.tenant !== "default" ? ` (tenant ${r.tenant})` : ""}: ${r.status.toUpperCase()}`];
  lines.push(`  version hash  sha256:${r.versionHash.recorded} — database copy ${r.versionHash.matches ? "matches" : "DIFFERS"}, git tag ${r.versionHash.git}`);
  if (r.unrecordedReason) {
    lines.push(`  ${r.unrecordedReason}`);
  } else {
    lines.push(`  sources root  ${r.root.recorded} over ${c.traces} traces, ${c.patterns} patterns, ${c.heuristics} heuristics, ${c.demos} demos`);
    lines.push(`  recomputed    ${r.root.current}${r.root.matches ? " (matches)" : " (DIFFERS)"}`);
  }
  for (const p of r.problems) lines.push(`  ! ${p}`);
  for (const i of r.changed) lines.push(`  changed  ${i.kind} ${i.id}: ${i.recorded.slice(0, 16)}… → ${i.current!.slice(0, 16)}…`);
  for (const i of r.missing) lines.push(`  missing  ${i.kind} ${i.id} (was ${i.recorded.slice(0, 16)}…)`);
  if (r.proof) {
    const p = r.proof;
    lines.push(`  inclusion proof of trace ${p.traceId}: leaf ${p.index + 1} of ${p.treeSize}, ${p.valid ? "valid" : "INVALID"} against the recorded root; the trace is ${p.current} now`);
    lines.push(`    leaf  ${p.leaf}`);
    for (const [i, h] of p.path.entries()) lines.push(`    ${String(i + 1).padStart(4)}  ${h}`);
    lines.push(`    root  ${p.root}`);
  }
  return lines.join("\n");
}
