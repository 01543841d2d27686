// `npm run efficacy` on the simulator (as CI runs it, smaller): every family reports baseline and
// compiled success with intervals on held-out tasks; and the generators' answers are right.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FAMILIES, generateTasks, dates, units, inventory } from "../../bench/efficacy/task-families.js";
import { makeTempDir } from "../support/temp-dir.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("npm run efficacy", () => {
  it("compiles each family from training traces and evaluates baseline vs compiled on held-out tasks, with intervals", () => {
    const tmp = makeTempDir("meta-agent-efficacy-test-");
    try {
      const out = path.join(tmp.dir, "efficacy.json");
      const text = execFileSync(process.execPath, ["--import", "tsx", "bench/efficacy/run-efficacy.ts", "--train", "24", "--items", "30", "--family", "date_arithmetic", "--family", "inventory_lookup", "--out", out], { cwd: ROOT, encoding: "utf8", env: { ...process.env, LLM_BASE_URL: "", LLM_MODEL: "" } });
      expect(text).toContain("date_arithmetic");
      const report = JSON.parse(readFileSync(out, "utf8")) as { families: { family: string; report: { dataset: { items: number }; versions: { label: string; quality: { mean: number; ci: [number, number] } }[]; comparisons: { quality: { ci: [number, number] } }[] } }[] };
      expect(report.families.map((f) => f.family)).toEqual(["date_arithmetic", "inventory_lookup"]);
      for (const f of report.families) {
        expect(f.report.dataset.items).toBe(30);
        expect(f.report.versions.map((v) => v.label)).toEqual(["baseline", "compiled"]);
        // The simulator plants "a solved example of the family helps": compiling must find it.
        expect(f.report.comparisons[0]!.quality.ci[0]).toBeGreaterThan(0);
      }
    } finally {
      tmp.remove();
    }
  }, 180_000);

  it("generates tasks whose expected answers are right and whose training and held-out splits do not overlap", () => {
    for (const family of FAMILIES) {
      const train = generateTasks(family, 1, 0, 20);
      const heldOut = generateTasks(family, 1, 20, 20);
      expect(new Set([...train, ...heldOut].map((t) => t.key)).size).toBe(40);
      expect(generateTasks(family, 1, 20, 20)).toEqual(heldOut);
      for (const t of heldOut) expect(t.wrong).not.toEqual(t.expected);
    }
    for (const t of generateTasks(dates, 3, 0, 30)) {
      const m = /(\d+) days (after|before) (\d{4}-\d{2}-\d{2})/.exec(String(t.input["question"]))!;
      const d = new Date(`${m[3]}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + (m[2] === "after" ? 1 : -1) * Number(m[1]));
      expect(t.expected["date"]).toBe(d.toISOString().slice(0, 10));
    }
    for (const t of generateTasks(units, 3, 0, 30)) {
      const m = /Convert (\d+) (miles|pounds)/.exec(String(t.input["request"]));
      if (m) expect(t.expected["value"]).toBeCloseTo(Number(m[1]) * (m[2] === "miles" ? 1.609344 : 0.45359237), 2);
    }
    for (const t of generateTasks(inventory, 3, 0, 30)) {
      const qty = Number(/(\d+) units/.exec(String(t.input["order"]))![1]);
      const stock = JSON.parse(String(t.input["toolResults"]).split("→ ")[1]!) as Record<string, number>;
      expect(t.expected["canShip"]).toBe(Object.values(stock).some((n) => n >= qty));
    }
  });
});
