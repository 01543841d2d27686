// The loop for service tools, end to end on real parts: the HTTP service (embedded database, a
// temp git repository) runs a signature whose declared run_program fails for one kind of input
// (the simulated model calls a helper the sandbox does not have); callers record outcomes; one
// learning cycle over HTTP analyzes the traces, learns the failure into run_program's
// description, scores it with the service's tools and commits it; the next run's model receives
// the learned text in the tool's description and, reading it, stops making the failing call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadConfig, type Config } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { createApiKey } from "../../src/tenancy/create-api-key.js";
import { startSimulator, type BankInput, type Simulator } from "../../src/simulator/index.js";
import { indexLibrary } from "../../src/librarian/index-library.js";
import { createEmbedder } from "../../src/llm/create-embedder.js";
import { parseCompiledVersion, type CompiledVersion } from "../../src/domain/compiled-version.js";
import { pullRequestText } from "../../src/registry/pull-request-text.js";
import { patternsOf } from "../../src/registry/applied-patterns.js";
import { versionScope } from "../../src/registry/version-scope.js";
import { createTestRepo, git, type TestRepo } from "../support/git-fixtures.js";
import { seedDataDir } from "../support/database-template.js";
import { makeTempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

// Two service tools: run_program's calls are compared with search_library's (the analyzer's
// direct test of a tool's own errors is against the other tools' calls).
const CALCULATOR = `name: calculator
description: Computes exact answers to arithmetic questions, looking up units in the team's documents.
inputs:
  - name: question
    description: The question.
outputs:
  - name: answer
    description: The exact result.
tools:
  - name: run_program
    description: Runs a JavaScript program in a sandbox and returns what it printed.
    parameters:
      type: object
      properties:
        code:
          type: string
          description: Plain JavaScript; print the result with console.log.
      required: [code]
  - name: search_library
    description: Searches the team's indexed documents for unit definitions.
metric:
  name: llm_judge
  rubric: The answer is the exact result of the question.
instructions: Compute every result with run_program; look up units with search_library.
`;

const HELPER_MISSING = "percentof is not defined";
const BANK: BankInput = {
  families: [
    // The planted failure: for percentages the model calls a helper the sandbox does not have,
    // and answers wrongly. A model that has read why this fails writes the arithmetic out.
    {
      id: "percent",
      match: { regex: "what is (\\d+) percent of (\\d+)" },
      toolCalls: [{ name: "run_program", arguments: { code: "console.log(percentOf($1, $2))" } }],
      fixedToolCalls: [{ name: "run_program", arguments: { code: "console.log($1 * $2 / 100)" } }],
      fixedBy: [HELPER_MISSING],
      answer: { answer: "the exact percentage" },
      wrongAnswer: { answer: "cannot compute" },
      baseAccuracy: 0,
    },
    { id: "sum", match: { regex: "what is the sum of (\\d+) and (\\d+)" }, toolCalls: [{ name: "run_program", arguments: { code: "console.log($1 + $2)" } }], answer: { answer: "the exact sum" }, baseAccuracy: 1 },
    { id: "furlong", match: { keywords: ["furlong"] }, toolCalls: [{ name: "search_library", arguments: { query: "furlong in meters" } }], answer: { answer: "201.168 meters" }, baseAccuracy: 1 },
  ],
};
// Trace ids are the service's (random), so the dev split is too: half of the runs are
// percentages, which puts at least 4 of them among the 20 dev examples — enough for the gate —
// except with a chance of about 1 in 100 000 (hypergeometric, 40 runs, 20 failing, 20 drawn).
const PERCENT_RUNS = 20;
const SUM_RUNS = 8;
const LOOKUP_RUNS = 12;
const EXPECTED: Record<string, string> = { percent: "the exact percentage", sum: "the exact sum", furlong: "201.168 meters" };

type RunBody = { traceId: string; outputs: { answer: string }; toolCalls: { name: string; ok: boolean }[] };
type ChatBody = { tools?: { function: { name: string; description?: string } }[]; messages: { role: string; content: string | null }[] };
type PatternView = { id: string; key: string; actionable: boolean; confidence: number; evidenceKind: string; recommendations: string[]; stats: Record<string, unknown> };
type CycleView = { status: string; verdicts: { signature: string; verdict: string; reason: string; candidateVersion: string | null; score: number | null; parentScore: number | null }[]; versionsProduced: { signature: string; version: string; commit: string; mode: string }[] };

describe("a service tool's failure learned into its description, end to end", () => {
  const data = makeTempDir("meta-agent-tool-loop-");
  let repo: TestRepo;
  let sim: Simulator;
  let service: Service;
  let config: Config;
  let key: string;
  let cycle: CycleView;
  let learned: CompiledVersion;

  const call = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${service.url}${p}`, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  /** One run, and the outcome its caller records: right when the answer is the family's answer. */
  const runAndRecord = async (family: string, question: string): Promise<RunBody> => {
    const { status, body } = await call("POST", "/v1/signatures/calculator/run", { inputs: { question } });
    expect(status, JSON.stringify(body)).toBe(200);
    const run = body as RunBody;
    const success = run.outputs.answer === EXPECTED[family];
    // The trace is written after the answer: the outcome waits until it is there.
    await waitFor(async () => (await call("POST", `/v1/traces/${run.traceId}/outcome`, { success })).status === 200, { what: `outcome of ${run.traceId}` });
    return run;
  };
  const chatBodies = (from: number) => sim.calls.slice(from).filter((c) => c.endpoint === "chat").map((c) => c.body as ChatBody);

  beforeAll(async () => {
    repo = createTestRepo({ prompts: { "calculator.yaml": CALCULATOR } });
    sim = await startSimulator({ bank: BANK });
    config = loadConfig({
      env: {
        META_AGENT_DATA_DIR: path.join(data.dir, "data"),
        PROMPTS_REPO_DIR: repo.dir,
        PORT: "0",
        LLM_BASE_URL: sim.baseURL,
        LLM_MODEL: "sim-chat",
        EMBEDDER: "hash",
        CACHE_ENABLED: "false",
        LEARNING_INTERVAL: "86400",
        COMPILE_OPTIMIZER: "guideline-induction",
        HEURISTICS_ENABLED: "false",
        MIN_TRACES_FOR_ANALYSIS: "10",
        DEV_SET_SIZE: "20",
        LOG_LEVEL: "error",
      },
      cwd: repo.dir,
    });
    seedDataDir(config.dataDir);
    service = await startService(config, silentLogger);
    key = (await createApiKey(service.db, { tenant: "acme" })).key;
    await new Promise((r) => setTimeout(r, 1_100)); // the key check caches for 1 s
    const docs = path.join(data.dir, "docs");
    mkdirSync(docs);
    writeFileSync(path.join(docs, "units.md"), "# Units\n\nA furlong is 201.168 meters, an eighth of a mile.\n");
    await indexLibrary({ db: service.db, embedder: createEmbedder(config) }, { tenant: "acme", dir: docs, baseDir: data.dir });

    // Production traffic: percentages fail in the sandbox every time, sums and look-ups work.
    const runs: { family: string; run: RunBody }[] = [];
    for (let i = 0; i < PERCENT_RUNS; i++) runs.push({ family: "percent", run: await runAndRecord("percent", `What is ${5 * (i + 1)} percent of ${40 + i}?`) });
    for (let i = 0; i < SUM_RUNS; i++) runs.push({ family: "sum", run: await runAndRecord("sum", `What is the sum of ${i + 3} and ${2 * i + 11}?`) });
    for (let i = 0; i < LOOKUP_RUNS; i++) runs.push({ family: "furlong", run: await runAndRecord("furlong", `How many meters are ${i + 2} furlong${i ? "s" : ""} of track number ${i + 1}?`) });
    // What was planted is what happened: every percentage's program failed, every other call worked.
    expect(runs.filter((r) => r.family === "percent").every((r) => r.run.toolCalls.length === 1 && !r.run.toolCalls[0]!.ok && r.run.outputs.answer === "cannot compute")).toBe(true);
    expect(runs.filter((r) => r.family !== "percent").every((r) => r.run.toolCalls.length === 1 && r.run.toolCalls[0]!.ok)).toBe(true);

    // One learning cycle through the door a user (or cron) uses.
    const started = await call("POST", "/v1/learning/cycles", {});
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    cycle = started.body as CycleView;
    const produced = cycle.versionsProduced.find((v) => v.signature === "calculator");
    if (!produced) throw new Error(`no version produced: ${JSON.stringify(cycle.verdicts)}`);
    learned = parseCompiledVersion((await call("GET", `/v1/versions/calculator/${produced.version}`)).body.content as string);
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await sim?.close();
    repo?.remove();
    data.remove();
  });

  it("finds run_program's own failure as direct evidence against search_library's calls, with its counts and reason", async () => {
    const { body } = await call("GET", "/v1/patterns?agent=calculator");
    const finding = (body.patterns as PatternView[]).find((p) => p.key === "failure_pattern:tool_error:run_program")!;
    expect(finding).toMatchObject({ actionable: true, evidenceKind: "direct" });
    expect(finding.confidence).toBeGreaterThanOrEqual(config.confidenceThreshold);
    expect(finding.stats).toMatchObject({ calls: PERCENT_RUNS + SUM_RUNS, errors: PERCENT_RUNS, otherToolsErrorRate: 0 });
    const reasons = finding.stats["failureReasons"] as { reason: string; count: number }[];
    expect(reasons[0]).toMatchObject({ count: PERCENT_RUNS });
    expect(reasons[0]!.reason).toContain(HELPER_MISSING);
    expect(finding.recommendations[0]).toContain(HELPER_MISSING);
  });

  it("promotes a version whose run_program carries the learned text with its finding and evidence, committed to git", async () => {
    const verdict = cycle.verdicts.find((v) => v.signature === "calculator")!;
    expect(verdict.verdict, verdict.reason).toBe("promoted");
    // Scored with the service's tools on the dev set: the parent fails the percentages, the candidate does not.
    expect(verdict.score!).toBeGreaterThan(verdict.parentScore!);
    const tool = learned.tools!.find((t) => t.name === "run_program")!;
    expect(tool.description).toBe("Runs a JavaScript program in a sandbox and returns what it printed.");
    const finding = tool.learned!.find((g) => g.text.includes(HELPER_MISSING))!;
    expect(finding.patternKey).toBe("failure_pattern:tool_error:run_program");
    expect(finding.text).toMatch(new RegExp(`^Before calling run_program, rule out its most common failure, ".*${HELPER_MISSING}" \\(${PERCENT_RUNS} of its ${PERCENT_RUNS} failed calls\\)\\.$`));
    const share = Math.round((100 * PERCENT_RUNS) / (PERCENT_RUNS + SUM_RUNS));
    expect(finding.evidence).toMatch(new RegExp(`^direct: run_program fails in ${share}% of its calls \\(${PERCENT_RUNS}/${PERCENT_RUNS + SUM_RUNS}, 95% CI \\d+%–\\d+%, p [^)]+\\); '.*${HELPER_MISSING}' ${PERCENT_RUNS}/${PERCENT_RUNS}$`));
    expect(finding.confidence).toBeGreaterThanOrEqual(config.confidenceThreshold);
    // Not a guideline of the system prompt, and search_library learned nothing.
    expect(learned.guidelines.some((g) => g.patternKey === "failure_pattern:tool_error:run_program")).toBe(false);
    expect(learned.tools!.find((t) => t.name === "search_library")!.learned).toBeUndefined();

    const produced = cycle.versionsProduced.find((v) => v.signature === "calculator")!;
    expect(produced).toMatchObject({ version: learned.version, mode: "auto" });
    const file = versionScope("acme").file("calculator");
    expect(parseCompiledVersion(git(repo.dir, "show", `${produced.commit}:${file}`))).toEqual(learned);
    expect(git(repo.dir, "log", "-1", "--format=%B", produced.commit)).toContain(`tool run_program: learned from pattern failure_pattern:tool_error:run_program (confidence ${finding.confidence}; ${finding.evidence}): ${finding.text}`);
  });

  it("shows the learned text in the diff and the pull-request text, with its finding", async () => {
    const { body: diff } = await call("GET", `/v1/versions/calculator/diff?from=1.0.0&to=${learned.version}`);
    const text = JSON.stringify(diff);
    expect(text).toContain("+    learned:");
    expect(text).toContain("patternKey: failure_pattern:tool_error:run_program");
    expect(text).toContain(HELPER_MISSING);

    const parent = parseCompiledVersion((await call("GET", "/v1/versions/calculator/1.0.0")).body.content as string);
    const tool = learned.tools!.find((t) => t.name === "run_program")!;
    const g = tool.learned!.find((x) => x.text.includes(HELPER_MISSING))!;
    const pr = pullRequestText({ version: learned, parent, tenant: "acme", summary: "learned", branch: "b", servingBranch: "main", diff: "", patterns: patternsOf(learned) });
    expect(pr).toContain(`- **Learned into the description of tool \`run_program\`**: "${g.text}". Reason: finding \`failure_pattern:tool_error:run_program\` (confidence ${g.confidence!.toFixed(2)}): ${g.evidence}.`);
  });

  it("serves the learned version, and the next run's model receives the learned text in run_program's description and stops failing", async () => {
    const { body } = await call("GET", "/v1/signatures");
    expect((body.signatures as { name: string; version: string }[]).find((s) => s.name === "calculator")!.version).toBe(learned.version);

    const from = sim.calls.length;
    const { status, body: run } = await call("POST", "/v1/signatures/calculator/run", { inputs: { question: "What is 35 percent of 120?" } });
    expect(status).toBe(200);
    const requests = chatBodies(from);
    expect(requests.length).toBeGreaterThan(0);
    const g = learned.tools!.find((t) => t.name === "run_program")!.learned!;
    for (const request of requests) {
      const sent = request.tools!.find((t) => t.function.name === "run_program")!.function.description!;
      expect(sent).toBe(`Runs a JavaScript program in a sandbox and returns what it printed.\n\nLearned from past runs:\n${g.map((x) => `- ${x.text}`).join("\n")}`);
      expect(request.tools!.find((t) => t.function.name === "search_library")!.function.description).toBe("Searches the team's indexed documents for unit definitions.");
    }
    // Reading why its calls failed, the model writes the arithmetic out: the call works, the answer is right.
    expect((run as RunBody).toolCalls).toEqual([{ name: "run_program", ok: true }]);
    expect((run as RunBody).outputs).toEqual({ answer: "the exact percentage" });
    const trace = await waitFor(async () => {
      const res = await call("GET", `/v1/traces/${(run as RunBody).traceId}`);
      return res.status === 200 ? (res.body as { promptVersion?: string; steps: { type: string; response?: string }[] }) : undefined;
    }, { what: "the new run's trace" });
    expect(trace.promptVersion).toBe(learned.version);
    expect(trace.steps.find((s) => s.type === "tool_call")!.response).toBe("42");
  });
});
