import { describe, it, expect } from "vitest";
import { AUTOVACUUM_DEFAULTS, autovacuumActions, maintenanceStatement, type TableActivity } from "./embedded-autovacuum.js";

const row = (over: Partial<TableActivity>): TableActivity => ({ table: "traces", reltuples: 10_000, deadTuples: 0, modifiedSinceAnalyze: 0, xidAge: 1000, ...over });

describe("autovacuumActions (Postgres's autovacuum formulas)", () => {
  it("analyzes past analyze_threshold + analyze_scale_factor × reltuples, and not at it", () => {
    expect(autovacuumActions([row({ modifiedSinceAnalyze: 50 + 0.1 * 10_000 })])).toEqual([]);
    expect(autovacuumActions([row({ modifiedSinceAnalyze: 1051 })])).toEqual([{ table: "traces", vacuum: false, analyze: true, reasons: ["changes since analyze 1051"] }]);
  });

  it("treats a never-analyzed table (reltuples -1) as empty, so 51 changes are enough", () => {
    expect(autovacuumActions([row({ reltuples: -1, modifiedSinceAnalyze: 51 })])[0]?.analyze).toBe(true);
    expect(autovacuumActions([row({ reltuples: -1, modifiedSinceAnalyze: 50 })])).toEqual([]);
  });

  it("vacuums on dead tuples and on transaction-id age, not on inserts alone", () => {
    expect(autovacuumActions([row({ deadTuples: 2051 })])[0]).toMatchObject({ vacuum: true, analyze: false, reasons: ["dead tuples 2051"] });
    expect(autovacuumActions([row({ deadTuples: 2050 })])).toEqual([]);
    expect(autovacuumActions([row({ xidAge: AUTOVACUUM_DEFAULTS.freezeMaxAge + 1 })])[0]).toMatchObject({ vacuum: true, reasons: [`xid age ${AUTOVACUUM_DEFAULTS.freezeMaxAge + 1}`] });
    // A table that only grew is analyzed (its plans need the new size) but not vacuumed.
    expect(autovacuumActions([row({ modifiedSinceAnalyze: 50_000 })])[0]).toMatchObject({ vacuum: false, analyze: true });
  });

  it("honours custom settings", () => {
    const settings = { ...AUTOVACUUM_DEFAULTS, analyzeThreshold: 0, analyzeScaleFactor: 0 };
    expect(autovacuumActions([row({ modifiedSinceAnalyze: 1 })], settings)[0]?.analyze).toBe(true);
  });

  it("writes one statement per table: VACUUM with ANALYZE when both are due", () => {
    expect(maintenanceStatement({ table: "traces", vacuum: true, analyze: true, reasons: [] })).toBe("VACUUM (ANALYZE, SKIP_LOCKED) traces");
    expect(maintenanceStatement({ table: "traces", vacuum: true, analyze: false, reasons: [] })).toBe("VACUUM (SKIP_LOCKED) traces");
    expect(maintenanceStatement({ table: '"Odd Name"', vacuum: false, analyze: true, reasons: [] })).toBe('ANALYZE (SKIP_LOCKED) "Odd Name"');
  });
});
