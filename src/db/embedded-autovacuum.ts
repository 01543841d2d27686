// Autovacuum for the embedded database. PGlite is one Postgres backend with no background
// workers, so nothing ever runs VACUUM or ANALYZE: tables keep the "never analyzed" estimates
// of their first minute, and cached plans built then stay. The worst case measured: the
// foreign-key check of trace_steps → traces, planned while `traces` was empty, kept scanning
// the whole table for every inserted step, so ingest slowed linearly with the table
// (340 ms per 2,500 steps at 30k steps; 56 ms after one ANALYZE, flat from then on).
//
// This applies Postgres's own autovacuum rules (the documented formulas and defaults of
// autovacuum_{vacuum,analyze}_{threshold,scale_factor} and autovacuum_freeze_max_age) to the
// statistics the backend keeps in pg_stat_user_tables, every `naptime` milliseconds, one table
// at a time. One rule is left out on purpose: the insert-driven VACUUM of Postgres 13+
// (autovacuum_vacuum_insert_*), which keeps append-only tables' visibility maps current. With a
// single backend every VACUUM blocks every client for its whole run, and the traces tables are
// append-mostly and large, so that rule would stall ingest every time a table grows by a fifth;
// freezing, its other purpose, is still covered by the transaction-id age rule. An external
// PostgreSQL runs its own autovacuum; this runs only for the embedded database this process owns.
import type pg from "pg";
import type { Logger } from "../log/logger.js";

/** Postgres's defaults (postgresql.conf), which the embedded backend would use if it had workers. */
export interface AutovacuumSettings {
  vacuumThreshold: number;
  vacuumScaleFactor: number;
  analyzeThreshold: number;
  analyzeScaleFactor: number;
  freezeMaxAge: number;
}

export const AUTOVACUUM_DEFAULTS: Readonly<AutovacuumSettings> = {
  vacuumThreshold: 50,
  vacuumScaleFactor: 0.2,
  analyzeThreshold: 50,
  analyzeScaleFactor: 0.1,
  freezeMaxAge: 200_000_000,
};

/** One row of the statistics the decision reads. */
export interface TableActivity {
  /** Schema-qualified, quoted as needed (`regclass::text`). */
  table: string;
  /** pg_class.reltuples: -1 while the table has never been vacuumed or analyzed. */
  reltuples: number;
  deadTuples: number;
  modifiedSinceAnalyze: number;
  xidAge: number;
}

export interface MaintenanceAction {
  table: string;
  vacuum: boolean;
  analyze: boolean;
  /** Why, in the terms of Postgres's autovacuum rules. */
  reasons: string[];
}

/** Which tables need VACUUM and/or ANALYZE now, by Postgres's autovacuum formulas. */
export function autovacuumActions(rows: readonly TableActivity[], s: AutovacuumSettings = AUTOVACUUM_DEFAULTS): MaintenanceAction[] {
  const actions: MaintenanceAction[] = [];
  for (const r of rows) {
    const tuples = Math.max(0, r.reltuples);
    const reasons: string[] = [];
    if (r.deadTuples > s.vacuumThreshold + s.vacuumScaleFactor * tuples) reasons.push(`dead tuples ${r.deadTuples}`);
    if (r.xidAge > s.freezeMaxAge) reasons.push(`xid age ${r.xidAge}`);
    const vacuum = reasons.length > 0;
    const analyze = r.modifiedSinceAnalyze > s.analyzeThreshold + s.analyzeScaleFactor * tuples;
    if (analyze) reasons.push(`changes since analyze ${r.modifiedSinceAnalyze}`);
    if (vacuum || analyze) actions.push({ table: r.table, vacuum, analyze, reasons });
  }
  return actions;
}

/** The SQL for one action: VACUUM cannot run inside a transaction, so each is one statement. */
export function maintenanceStatement(a: MaintenanceAction): string {
  if (a.vacuum) return `VACUUM (${a.analyze ? "ANALYZE, " : ""}SKIP_LOCKED) ${a.table}`;
  return `ANALYZE (SKIP_LOCKED) ${a.table}`;
}

const ACTIVITY_SQL = `
  SELECT s.relid::regclass::text AS "table", c.reltuples::float8 AS "reltuples",
         s.n_dead_tup::float8 AS "deadTuples", s.n_mod_since_analyze::float8 AS "modifiedSinceAnalyze",
         age(c.relfrozenxid)::float8 AS "xidAge"
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
   ORDER BY s.relid`;

export interface AutovacuumPass {
  actions: MaintenanceAction[];
  durationMs: number;
}

export interface EmbeddedAutovacuum {
  /** One pass now (waits for a pass already running instead of starting a second). */
  runOnce(): Promise<AutovacuumPass>;
  /** Stops the timer and waits for a running pass. */
  stop(): Promise<void>;
}

export interface EmbeddedAutovacuumOptions {
  /** Milliseconds between passes; 0 runs no timer (runOnce still works). */
  naptimeMs: number;
  logger: Logger;
  settings?: AutovacuumSettings;
}

export function startEmbeddedAutovacuum(pool: pg.Pool, options: EmbeddedAutovacuumOptions): EmbeddedAutovacuum {
  const { logger } = options;
  let running: Promise<AutovacuumPass> | undefined;
  let stopped = false;

  const pass = async (): Promise<AutovacuumPass> => {
    const t0 = performance.now();
    // The backend publishes its table counters at most once a second while idle; ask it to
    // publish at the next opportunity so this pass and the next see current numbers.
    await pool.query("SELECT pg_stat_force_next_flush()");
    const { rows } = await pool.query<TableActivity>(ACTIVITY_SQL);
    const actions = autovacuumActions(rows, options.settings);
    for (const action of actions) {
      if (stopped) break;
      const started = performance.now();
      await pool.query(maintenanceStatement(action));
      logger.debug({ name: "embedded-autovacuum", table: action.table, vacuum: action.vacuum, analyze: action.analyze, reasons: action.reasons, ms: Math.round(performance.now() - started) }, "embedded database maintenance");
    }
    return { actions, durationMs: performance.now() - t0 };
  };

  const runOnce = (): Promise<AutovacuumPass> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer =
    options.naptimeMs > 0
      ? setInterval(() => {
          if (running || stopped) return;
          runOnce().catch((e) => {
            if (!stopped) logger.warn({ name: "embedded-autovacuum-failed", err: e }, "embedded database maintenance failed; retrying next pass");
          });
        }, options.naptimeMs)
      : undefined;
  timer?.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
