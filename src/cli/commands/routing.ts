// `meta-agent routing show | history | diff | train | rollback | route`: the tenant's learned
// routing policy (docs/routing.md). Each command calls one use case.
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withBatchDatabase, withDatabase, type CliContext } from "../context.js";
import type { RoutingDeps } from "../../learning/create-routing-deps.js";
import type { RewardEstimate } from "../../domain/routing-policy.js";

/** Opens the database, the registry's repository and the embedder, and runs `fn` with the routing deps. */
async function withRouting<T>(ctx: CliContext, fn: (deps: RoutingDeps) => Promise<T>, batch = false): Promise<T> {
  return (batch ? withBatchDatabase : withDatabase)(ctx, async (db) => {
    const [{ createRegistryDeps }, { createRoutingDeps }, { createEmbedder }] = await Promise.all([
      import("../../registry/registry-deps.js"),
      import("../../learning/create-routing-deps.js"),
      import("../../llm/create-embedder.js"),
    ]);
    const registry = await createRegistryDeps(ctx.config, db, ctx.logger);
    return fn(await createRoutingDeps(ctx.config, { db, logger: ctx.logger, registry, embedder: createEmbedder(ctx.config, { logger: ctx.logger }) }));
  });
}

const version = (v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw Object.assign(new Error(`"${v}" is not a policy version (a positive integer)`), { code: "invalid_request", status: 400 });
  return n;
};
const est = (e: RewardEstimate) => (Number.isFinite(e.mean) ? `${e.mean.toFixed(3)} [${e.low.toFixed(3)}, ${e.high.toFixed(3)}]` : "-");
const pct = (shares: Record<string, number>) => Object.entries(shares).map(([arm, s]) => `${arm} ${(s * 100).toFixed(0)}%`).join(", ");

export function registerRouting(program: Command): void {
  const routing = program.command("routing").description("the learned routing policy of sub-tasks (docs/routing.md)");

  routing
    .command("show [version]")
    .description("the served routing policy (or one version): routes, estimated rewards, utilization; --file prints the committed file")
    .addOption(tenantOption("tenant"))
    .option("--file", "print the policy file exactly as committed")
    .option("--json", "machine-readable output")
    .action(async (v: string | undefined, opts: { tenant: string; file?: boolean; json?: boolean }) => {
      try {
        const n = version(v);
        const { text, policy } = await withRouting(cliContext(), async (deps) => ({ text: await deps.store.readText(opts.tenant, n), policy: n === undefined ? await deps.store.latest(opts.tenant) : await deps.store.get(opts.tenant, n) }));
        if (!policy || text === undefined) {
          console.log(n === undefined ? `No routing policy for tenant ${opts.tenant} yet: the fixed rule routes (compute → engineer, everything else → worker).` : `Routing policy version ${n} of tenant ${opts.tenant} not found.`);
          if (n !== undefined) process.exitCode = 1;
          return;
        }
        if (opts.file) return void process.stdout.write(text);
        if (opts.json) return void console.log(JSON.stringify(policy, null, 2));
        const t = policy.training;
        console.log(
          [
            `Routing policy ${policy.version} of ${policy.tenant}${policy.rollbackOf ? ` (rollback of ${policy.rollbackOf})` : ""}, trained ${policy.trainedAt} on ${t.traces} traces, λ ${policy.lambda}`,
            `Routes: ${policy.arms.map((a) => a.id).join(", ")}`,
            `Features: bias, ${policy.features.embeddingDims} embedding projections, intents ${policy.features.intents.join("/")}/other, length`,
            `Estimated mean reward (95% interval) on the recorded tasks:`,
            `  learned policy  ${est(t.estimatedReward.policy)}`,
            `  fixed rule      ${est(t.estimatedReward.fixedRule)}`,
            `  uniform random  ${est(t.estimatedReward.uniform)}`,
            `  as logged       ${est(t.estimatedReward.logged)}`,
            `Utilization — logged: ${pct(t.loggedUtilization)}; learned (greedy): ${pct(t.utilization)}`,
          ].join("\n"),
        );
      } catch (e) {
        reportCliError(e);
      }
    });

  routing
    .command("history")
    .description("versions of the routing policy with date, commit and summary (* = served now)")
    .addOption(tenantOption("tenant"))
    .option("--json", "machine-readable output")
    .action(async (opts: { tenant: string; json?: boolean }) => {
      try {
        const rows = await withRouting(cliContext(), async (deps) => {
          const served = await deps.store.latest(opts.tenant);
          return (await deps.store.list(opts.tenant)).map((v) => ({ ...v, current: v.version === served?.version }));
        });
        if (opts.json) return void console.log(JSON.stringify(rows, null, 2));
        if (rows.length === 0) return void console.log(`No routing policy for tenant ${opts.tenant} yet.`);
        for (const r of rows) console.log(`${r.current ? "*" : " "} ${String(r.version).padEnd(4)} ${r.date.replace(/\.\d+Z$/, "Z").padEnd(25)} ${(r.commit || "-").slice(0, 10).padEnd(10)}  ${r.summary}`);
      } catch (e) {
        reportCliError(e);
      }
    });

  routing
    .command("diff [from] [to]")
    .description("unified diff of the policy file between two versions (default: parent → served)")
    .addOption(tenantOption("tenant"))
    .option("--color", "force colors")
    .option("--no-color", "no colors")
    .action(async (from: string | undefined, to: string | undefined, opts: { tenant: string; color?: boolean }) => {
      try {
        const { diffRoutingPolicies } = await import("../../registry/diff-routing-policies.js");
        const color = opts.color ?? (process.stdout.isTTY === true && process.stdout.hasColors());
        const f = version(from);
        const t = version(to);
        const result = await withRouting(cliContext(), (deps) => diffRoutingPolicies(deps.store, { tenant: opts.tenant, color, ...(f ? { from: f } : {}), ...(t ? { to: t } : {}) }));
        process.stdout.write(result.diff || `routing policy ${result.from ?? "none"} and ${result.to} are identical\n`);
      } catch (e) {
        reportCliError(e);
      }
    });

  routing
    .command("train")
    .description("train the routing policy from the recorded sub-task traces (REINFORCE, reward = success − λ·cost) and commit it as the next version")
    .addOption(tenantOption("tenant"))
    .option("--dry-run", "train and report, commit nothing")
    .option("--json", "machine-readable output")
    .action(async (opts: { tenant: string; dryRun?: boolean; json?: boolean }) => {
      try {
        const { trainRoutingPolicy } = await import("../../learning/train-routing-policy.js");
        const result = await withRouting(cliContext(), (deps) => trainRoutingPolicy(deps.training, deps, { tenant: opts.tenant, dryRun: opts.dryRun ?? false }), true);
        if (opts.json) return void console.log(JSON.stringify(result, null, 2));
        if (!result.ok) return void console.log(result.message);
        console.log(result.summary);
        console.log(`Utilization (greedy): ${pct(result.policy.training.utilization)}`);
        console.log(result.saved ? `Committed ${result.saved.tag}${result.saved.commit ? ` (${result.saved.commit.slice(0, 10)})` : ""}.` : "Dry run: nothing committed.");
      } catch (e) {
        reportCliError(e);
      }
    });

  routing
    .command("rollback")
    .description("restore an earlier policy version's weights as a new version (committed and tagged; history is kept)")
    .requiredOption("--to <version>", "version to restore")
    .addOption(tenantOption("tenant"))
    .option("--json", "machine-readable output")
    .action(async (opts: { to: string; tenant: string; json?: boolean }) => {
      try {
        const { rollbackRoutingPolicy } = await import("../../registry/rollback-routing-policy.js");
        const to = version(opts.to)!;
        const result = await withRouting(cliContext(), (deps) => rollbackRoutingPolicy(deps.store, { tenant: opts.tenant, to }));
        if (opts.json) return void console.log(JSON.stringify(result, null, 2));
        console.log(`Rolled back the routing policy to ${result.rollbackOf}: new version ${result.version} (parent ${result.parent}), tag ${result.saved.tag}.`);
      } catch (e) {
        reportCliError(e);
      }
    });

  routing
    .command("route <text>")
    .description("the route the served policy picks for a task text (sampled, as sub-tasks are routed), with its probabilities")
    .option("--intent <intent>", "the task's intent (a sub-task kind: reason, compute, research)", "reason")
    .addOption(tenantOption("tenant"))
    .option("--json", "machine-readable output")
    .action(async (text: string, opts: { intent: string; tenant: string; json?: boolean }) => {
      try {
        const decision = await withRouting(cliContext(), (deps) => deps.router.choose(opts.tenant, { text, intent: opts.intent }));
        if (opts.json) return void console.log(JSON.stringify(decision, null, 2));
        console.log(`${decision.arm.id} (${decision.rule === "learned" ? `policy ${decision.policyVersion}, probability ${decision.probability.toFixed(3)}` : `fixed rule: ${decision.reason}`})`);
        if (decision.probabilities) console.log(`Probabilities: ${Object.entries(decision.probabilities).map(([a, p]) => `${a} ${p.toFixed(3)}`).join(", ")}`);
      } catch (e) {
        reportCliError(e);
      }
    });
}
