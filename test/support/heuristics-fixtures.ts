// A team of two agents for the shared heuristics library (tests and bench/heuristics.bench.ts):
// both handle Kubernetes incidents (the same task key). `diagnosis` met OOMKilled incidents,
// failed on some, and the analyzer found why (an actionable finding whose recommendation fixes
// them on the simulator); `triage` has only met DNS incidents and never failed, so nothing of its
// own — no failure, no example — can teach it the OOMKilled lesson.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import type { Example } from "../../src/compiler/example.js";
import { DNS, DNS_WRONG, OOM, OOM_GUIDELINE, OOM_WRONG, diagnosisTraces, ensureTenant, insertTraces, type TraceFixture } from "./compiler-fixtures.js";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));
export const INCIDENT_TASK = "k8s-incident";

/** Copies prompts/ to `dir` and adds `triage`, the same signature under another agent's name. */
export function writeTeamPrompts(dir: string): string {
  cpSync(PROMPTS, dir, { recursive: true });
  const source = readFileSync(path.join(PROMPTS, "diagnosis.yaml"), "utf8");
  writeFileSync(path.join(dir, "triage.yaml"), source.replace(/^name: diagnosis$/m, "name: triage"));
  return dir;
}

const withTask = (task: string, traces: TraceFixture[], signature = "diagnosis"): TraceFixture[] => traces.map((t) => ({ ...t, task, signature, agent: signature }));

/** Plants both agents' runs and diagnosis's finding for `tenant`. */
export async function plantTeamScenario(pool: pg.Pool, tenant: string): Promise<void> {
  await ensureTenant(pool, tenant);
  const oomFailures = diagnosisTraces({ prefix: "oom", symptom: "container OOMKilled, restarts climbing", gold: OOM, wrong: OOM_WRONG, ok: 24, failed: 6 });
  await insertTraces(pool, tenant, [
    ...withTask(INCIDENT_TASK, diagnosisTraces({ prefix: "dns", symptom: "lookup orders-db: NXDOMAIN in logs", gold: DNS, wrong: DNS_WRONG, ok: 24, failed: 6 })),
    ...withTask(INCIDENT_TASK, oomFailures),
    // triage: the same kind of task, DNS incidents only, every run a success.
    ...withTask(INCIDENT_TASK, diagnosisTraces({ prefix: "t-dns", symptom: "payments-api: NXDOMAIN resolving ledger-db", gold: DNS, wrong: DNS_WRONG, ok: 40, failed: 0 }), "triage"),
  ]);
  await pool.query(`INSERT INTO analysis_runs (id, tenant_id, agent, status, mode, started_at, finished_at) VALUES ($1, $2, 'diagnosis', 'succeeded', 'full', $3, $3)`, [`run-team-${tenant}`, tenant, "2026-01-02T00:00:00.000Z"]);
  await pool.query(
    `INSERT INTO patterns (id, tenant_id, run_id, agent, type, key, description, recommendations, support, frequency, effect, baseline, confidence, actionable, evidence_kind, evidence)
     VALUES ($1, $2, $3, 'diagnosis', 'failure_pattern', 'failure_pattern:oom-misread', 'OOMKilled incidents are diagnosed as code bugs', $4, 6, 0.1, -0.8, 0.8, 0.93, true, 'association', $5)`,
    [`pat-oom-${tenant}`, tenant, `run-team-${tenant}`, JSON.stringify([OOM_GUIDELINE]), JSON.stringify({ failure: oomFailures.filter((t) => !t.success).map((t) => t.id), success: [] })],
  );
}

/** Held-out OOMKilled incidents (never in any trace) with their gold answer. */
export function heldOutOomExamples(n: number): Example[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `held-oom-${i}`,
    input: { problemDescription: `checkout pod ${i} OOMKilled under load, exit code 137`, namespace: `shop-${i % 3}` },
    output: OOM,
    success: true,
    score: 1,
    feedback: null,
    startedAt: "2026-02-01T00:00:00.000Z",
  }));
}
