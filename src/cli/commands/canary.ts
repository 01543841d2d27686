// `meta-agent canary list | check`: the tenant's canary releases with their evidence, and a check
// that decides the ones whose test, guardrails or limits call it (the service checks every
// canary_check_interval seconds by itself).
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withDatabase } from "../context.js";
import { formatTable } from "../format-table.js";
import type { Canary, CanaryEvidence } from "../../domain/canary.js";

const pct = (x: number | null | undefined) => (x === null || x === undefined ? "–" : `${(100 * x).toFixed(1)}%`);

function row(c: Canary & { evidence: CanaryEvidence | null }): string[] {
  const e = c.evidence;
  return [
    c.id.slice(0, 8),
    c.signature,
    `${c.incumbentVersion} → ${c.candidateVersion}`,
    c.status,
    e ? `${pct(e.incumbent.successRate)} (${e.incumbent.labelled}) vs ${pct(e.candidate.successRate)} (${e.candidate.labelled})` : "–",
    e?.interval ? `[${e.interval[0].toFixed(3)}, ${e.interval[1].toFixed(3)}]` : "–",
    e?.statistic !== null && e?.statistic !== undefined ? `${e.statistic.toPrecision(3)}/${e.threshold.toFixed(0)}` : "–",
    c.decision ? `${c.decision.rule}${c.commitSha ? ` ${c.commitSha.slice(0, 10)}` : ""}` : "",
  ];
}
const HEADERS = ["ID", "SIGNATURE", "VERSIONS", "STATUS", "SUCCESS (RUNS) INC vs CAND", "INTERVAL", "Λ/THRESHOLD", "DECISION"];

export function registerCanary(program: Command): void {
  const canary = program.command("canary").description("canary releases: a promoted candidate serves a share of traffic until a sequential test promotes or rolls it back");
  canary
    .command("list")
    .description("the tenant's canaries with their runs, success per arm, interval and decision")
    .addOption(tenantOption())
    .option("--json", "print JSON")
    .action(async (opts: { tenant: string; json?: boolean }) => {
      try {
        const canaries = await withDatabase(cliContext(), async (db) => {
          const { listCanaryStatus } = await import("../../learning/canary/check-canaries.js");
          return listCanaryStatus({ db }, opts.tenant);
        });
        if (opts.json) return void console.log(JSON.stringify(canaries, null, 2));
        if (canaries.length === 0) return void console.log("No canaries (rollout: canary starts one when a candidate passes the gate).");
        console.log(formatTable(HEADERS, canaries.map(row)));
      } catch (e) {
        reportCliError(e);
      }
    });
  canary
    .command("check")
    .description("check the tenant's running canaries now and carry out any decision (a git commit with its evidence)")
    .addOption(tenantOption())
    .option("--json", "print JSON")
    .action(async (opts: { tenant: string; json?: boolean }) => {
      try {
        const ctx = cliContext();
        const checks = await withDatabase(ctx, async (db) => {
          const { createRegistryDeps } = await import("../../registry/registry-deps.js");
          const { checkCanaries } = await import("../../learning/canary/check-canaries.js");
          return checkCanaries({ db, registry: await createRegistryDeps(ctx.config, db, ctx.logger), logger: ctx.logger }, { tenant: opts.tenant });
        });
        if (opts.json) return void console.log(JSON.stringify(checks, null, 2));
        if (checks.length === 0) return void console.log("No canary is running.");
        console.log(formatTable(HEADERS, checks.map((c) => row({ ...c.canary, evidence: c.evidence }))));
        for (const c of checks) if (c.action === "decided" && c.canary.decision) console.log(`${c.canary.signature} ${c.canary.candidateVersion}: ${c.canary.decision.outcome} — ${c.canary.decision.reason}`);
      } catch (e) {
        reportCliError(e);
      }
    });
}
