// `meta-agent traces correct` (built bin/meta-agent.js): records a correction on a stored trace,
// keeps the rest of its outcome, shows it in `traces show`, and refuses text that is not a JSON
// object, naming the field.
import { afterAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { makeTrace } from "../support/trace-builder.js";

const work = makeTempDir();
afterAll(() => work.remove());

describe("meta-agent traces correct", () => {
  it("records a correction, keeps the outcome's flag and feedback, and refuses anything but a JSON object", async () => {
    const env = { META_AGENT_DATA_DIR: path.join(work.dir, "db") };
    const file = path.join(work.dir, "traces.json");
    writeFileSync(file, JSON.stringify([makeTrace({ id: "wrong-1", outcome: { success: false, feedback: "customer reopened" } }), makeTrace({ id: "open-1", outcome: undefined })]));
    expect((await runCli(["import", file], env, { cwd: work.dir })).stdout).toMatch(/2 imported/);

    const fixed = await runCli(["traces", "correct", "wrong-1", "--expected", '{"faultType":"network"}', "--json"], env, { cwd: work.dir });
    expect(fixed.stderr).toBe("");
    expect(JSON.parse(fixed.stdout)).toEqual({ success: false, feedback: "customer reopened", expected: { faultType: "network" } });
    expect((await runCli(["traces", "show", "wrong-1"], env, { cwd: work.dir })).stdout).toContain('corrected: {"faultType":"network"}');

    // A trace without an outcome gets a failed one; --feedback replaces the feedback.
    const open = await runCli(["traces", "correct", "open-1", "--expected", '{"faultType":"code_bug"}', "--feedback", "the on-call engineer's diagnosis"], env, { cwd: work.dir });
    expect(open.stdout).toContain('Corrected open-1: expected {"faultType":"code_bug"} (outcome: failure)');

    const notJson = await runCli(["traces", "correct", "wrong-1", "--expected", "network"], env, { cwd: work.dir });
    expect(notJson.code).not.toBe(0);
    expect(notJson.stderr).toMatch(/Invalid expected: not JSON/);
    const notObject = await runCli(["traces", "correct", "wrong-1", "--expected", '"network"'], env, { cwd: work.dir });
    expect(notObject.code).not.toBe(0);
    expect(notObject.stderr).toMatch(/expected: expected an object/);
    // Unchanged by the refused attempts.
    const after = JSON.parse((await runCli(["traces", "show", "wrong-1", "--json"], env, { cwd: work.dir })).stdout);
    expect(after.outcome.expected).toEqual({ faultType: "network" });
  });
});
