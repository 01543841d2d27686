// Shape shared by every benchmark module: `export async function run(options): Promise<BenchResult[]>`.

export interface BenchOptions {
  /** Smaller workloads so the whole suite runs in under 2 minutes. */
  quick: boolean;
}

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The same quantity for the baseline measured in the same run (null when there is none). */
  baseline: number | null;
  /** value / baseline (null without a baseline). */
  ratio: number | null;
  /** The target in words, e.g. "≥ 5000 steps/s" or "p50 ≤ 1 ms". */
  target: string;
  /** Whether the target is met (null when the figure is informational). */
  met: boolean | null;
  /** How the value was obtained when that is not obvious (e.g. the per-block figures behind a median). */
  detail?: string;
}

export type BenchModule = { run(options: BenchOptions): Promise<BenchResult[]> };

/** Formats results as an aligned text table. */
export function formatTable(results: BenchResult[]): string {
  const rows = [["benchmark", "value", "unit", "baseline", "ratio", "target", "met", "detail"]];
  for (const r of results) {
    rows.push([
      r.name,
      fmt(r.value),
      r.unit,
      r.baseline === null ? "-" : fmt(r.baseline),
      r.ratio === null ? "-" : fmt(r.ratio),
      r.target,
      r.met === null ? "-" : r.met ? "yes" : "NO",
      r.detail ?? "",
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join("  ")).join("\n");
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toFixed(4);
}

/** Runs a single benchmark module as a script: `tsx bench/x.bench.ts [--quick]`. */
export async function runAsScript(mod: BenchModule): Promise<void> {
  const results = await mod.run({ quick: process.argv.includes("--quick") });
  console.log(formatTable(results));
}
