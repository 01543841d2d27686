// `meta-agent history | diff | show | rollback`: versions of compiled signatures (seed 003's
// version operations). Each command calls one registry use case.
import type { Command } from "commander";
import { tenantOption } from "../tenant-option.js";
import { cliContext, reportCliError, withDatabase, withReadDatabase, type CliContext } from "../context.js";
import type { RegistryDeps } from "../../registry/registry-deps.js";


/** Opens the database and the registry, syncs the mirror of `name` with git, and runs `fn`. */
async function withRegistry<T>(ctx: CliContext, tenant: string, name: string, fn: (deps: RegistryDeps) => Promise<T>, options: { readOnly?: boolean } = { readOnly: true }): Promise<T> {
  return (options.readOnly ? withReadDatabase : withDatabase)(ctx, async (db) => {
    const { createRegistryDeps } = await import("../../registry/registry-deps.js");
    const { syncMirror } = await import("../../registry/sync-mirror.js");
    const deps = await createRegistryDeps(ctx.config, db, ctx.logger);
    await syncMirror(deps, tenant, name);
    return fn(deps);
  });
}

const short = (sha: string | null) => (sha ? sha.slice(0, 10) : "-");
const num = (n: number | null) => (n === null ? "-" : n.toFixed(3));

export function registerVersions(program: Command): void {
  program
    .command("history <name>")
    .description("versions of a signature with date, score, status and commit (* = served now)")
    .addOption(tenantOption("tenant"))
    .option("--json", "machine-readable output")
    .action(async (name: string, opts: { tenant: string; json?: boolean }) => {
      try {
        const { listHistory } = await import("../../registry/list-history.js");
        const history = await withRegistry(cliContext(), opts.tenant, name, (deps) => listHistory(deps, { tenant: opts.tenant, name }));
        if (opts.json) return void console.log(JSON.stringify(history, null, 2));
        const rows = history.map((h) => [
          `${h.current ? "*" : " "} ${h.version}`,
          h.status,
          h.date.replace(/\.\d+Z$/, "Z"),
          h.parentScore !== null ? `${num(h.parentScore)} → ${num(h.score)}` : num(h.score),
          short(h.commit),
          h.rollbackOf ? `rollback of ${h.rollbackOf}` : h.summary,
        ]);
        printTable(["  VERSION", "STATUS", "DATE", "SCORE", "COMMIT", "SUMMARY"], rows);
      } catch (e) {
        reportCliError(e);
      }
    });

  program
    .command("diff <name> [from] [to]")
    .description("unified diff of a signature's YAML between two versions (default: parent → latest)")
    .addOption(tenantOption("tenant"))
    .option("--color", "force colors")
    .option("--no-color", "no colors")
    .action(async (name: string, from: string | undefined, to: string | undefined, opts: { tenant: string; color?: boolean }) => {
      try {
        const { diffVersions } = await import("../../registry/diff-versions.js");
        const color = opts.color ?? (process.stdout.isTTY === true && process.stdout.hasColors());
        const result = await withRegistry(cliContext(), opts.tenant, name, (deps) =>
          diffVersions(deps, { tenant: opts.tenant, name, color, ...(from ? { from } : {}), ...(to ? { to } : {}) }),
        );
        process.stdout.write(result.diff || `${name}: ${result.from ?? "none"} and ${result.to} are identical\n`);
      } catch (e) {
        reportCliError(e);
      }
    });

  program
    .command("show <name> [version]")
    .description("print a version's YAML (default: the served version)")
    .addOption(tenantOption("tenant"))
    .option("--json", "metadata and content as JSON")
    .action(async (name: string, version: string | undefined, opts: { tenant: string; json?: boolean }) => {
      try {
        const { showVersion } = await import("../../registry/show-version.js");
        const shown = await withRegistry(cliContext(), opts.tenant, name, (deps) => showVersion(deps, { tenant: opts.tenant, name, ...(version ? { version } : {}) }));
        if (opts.json) return void console.log(JSON.stringify({ ...shown.row, content: shown.content }, null, 2));
        process.stdout.write(shown.content);
      } catch (e) {
        reportCliError(e);
      }
    });

  program
    .command("rollback <name>")
    .description("restore a version's content as a new patch version (committed and tagged; history is kept)")
    .requiredOption("--to <version>", "version to restore")
    .addOption(tenantOption("tenant"))
    .option("--json", "machine-readable output")
    .action(async (name: string, opts: { to: string; tenant: string; json?: boolean }) => {
      try {
        const { rollbackVersion } = await import("../../registry/rollback-version.js");
        const result = await withRegistry(cliContext(), opts.tenant, name, (deps) => rollbackVersion(deps, { tenant: opts.tenant, name, to: opts.to }), { readOnly: false });
        if (opts.json) return void console.log(JSON.stringify(result, null, 2));
        console.log(`Rolled back ${name} to ${result.rollbackOf}: new version ${result.version} (parent ${result.parent}), commit ${short(result.saved.commit)} on ${result.saved.branch}, tag ${result.saved.tag}.`);
      } catch (e) {
        reportCliError(e);
      }
    });
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  console.log([line(header), ...rows.map(line)].join("\n"));
}
