// The CLI doors of the collector (built bin/meta-agent.js): import of chat logs and trace files,
// traces list/show, and the file mirror's export → import round trip into a fresh database.
import { afterAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { makeTrace } from "../support/trace-builder.js";
import { makeChatRecord } from "../support/chat-log-builder.js";

const work = makeTempDir();
afterAll(() => work.remove());
const envFor = (name: string) => ({ META_AGENT_DATA_DIR: path.join(work.dir, name) });

describe("meta-agent import / traces", () => {
  it("imports chat logs and trace files, lists and shows them, and round-trips export → import losslessly", async () => {
    const a = envFor("db-a");
    const chat = path.join(work.dir, "chat.jsonl");
    writeFileSync(chat, [makeChatRecord(1), makeChatRecord(2, { failLogs: true, outcome: false }), "not json"].map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n"));
    const imported = await runCli(["import", chat, "--agent", "sre", "--json"], a, { cwd: work.dir });
    expect(imported.stderr).toBe("");
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 2, invalid: 1, files: [{ errors: [{ line: 3 }] }] });

    const traces = [makeTrace({ id: "mirror-1", problem: { id: "problem_123", attributes: { region: "eu" } }, costUsd: 0.0123, parentTraceId: "root-0", signature: "diag", promptVersion: "1.2.0" }), makeTrace({ id: "mirror-2", outcome: undefined, input: "text input" })];
    const traceFile = path.join(work.dir, "traces.json");
    writeFileSync(traceFile, JSON.stringify(traces));
    const second = await runCli(["import", traceFile], a, { cwd: work.dir });
    expect(second.stdout).toMatch(/Total: 2 imported, 0 updated, 0 skipped, 0 invalid/);

    const list = await runCli(["traces", "list", "--agent", "sre"], a, { cwd: work.dir });
    expect(list.stdout).toContain("import-conv-1");
    expect(list.stdout).toMatch(/import-conv-2\s+sre\s+\S+\s+failure/);
    const show = await runCli(["traces", "show", "import-conv-2"], a, { cwd: work.dir });
    expect(show.stdout).toContain("tool get_logs");
    expect(show.stdout).toContain("FAILED");

    const out1 = path.join(work.dir, "out1");
    const exported = await runCli(["traces", "export", "--dir", out1, "--json"], a, { cwd: work.dir });
    expect(JSON.parse(exported.stdout).written).toBe(4);
    const files1 = readdirSync(out1).sort();
    expect(files1).toContain("diagnosis_problem_123_20260131_120000_mirror-1.json");

    const b = envFor("db-b");
    const reimport = await runCli(["import", out1, "--json"], b, { cwd: work.dir });
    expect(JSON.parse(reimport.stdout)).toMatchObject({ imported: 4, invalid: 0 });
    const again = await runCli(["import", out1, "--json"], b, { cwd: work.dir });
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, updated: 0, skipped: 4 });
    const out2 = path.join(work.dir, "out2");
    await runCli(["traces", "export", "--dir", out2], b, { cwd: work.dir });
    expect(readdirSync(out2).sort()).toEqual(files1);
    for (const f of files1) expect(readFileSync(path.join(out2, f), "utf8")).toBe(readFileSync(path.join(out1, f), "utf8"));
    const m1 = JSON.parse(readFileSync(path.join(out1, "diagnosis_problem_123_20260131_120000_mirror-1.json"), "utf8"));
    expect(m1).toEqual({ ...traces[0], schemaVersion: 1 });
  }, 120_000);

  it("exports the SDK from the package root and from meta-agent/sdk, and the service from meta-agent/server", () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const script = [
      'const m = await import("meta-agent"); const s = await import("meta-agent/sdk"); const v = await import("meta-agent/server");',
      "console.log([m.traceAgent, m.traceTool, m.MetaAgentClient, s.collectAgentTrace, v.createInProcessSink, v.startService, v.recordCandidate].map((f) => typeof f).join(','));",
      // The client entries carry no server code: the in-process sink and the service are only in ./server.
      "console.log([m.createInProcessSink, s.createInProcessSink, m.startService, m.recordCandidate].map((f) => typeof f).join(','));",
    ].join(" ");
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(out.trim().split("\n")).toEqual(["function,function,function,function,function,function,function", "undefined,undefined,undefined,undefined"]);
  });
});
