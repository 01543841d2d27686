// The service-tool learning loop on real parts, for the end-to-end tests in test/learning/: the
// HTTP service (embedded database, a temp git repository) serving a `calculator` signature with
// service tools, the model simulator planting a run_program failure for one kind of input,
// production traffic with the outcomes its callers record, and one learning cycle over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
import { createTestRepo, git, type TestRepo } from "./git-fixtures.js";
import { seedDataDir } from "./database-template.js";
import { makeTempDir } from "./temp-dir.js";
import { waitFor } from "./wait-for.js";

export const RUN_PROGRAM_DESCRIPTION = "Runs a JavaScript program in a sandbox and returns what it printed.";
export const SEARCH_LIBRARY_DESCRIPTION = "Searches the team's indexed documents for unit definitions.";
/** The planted failure's error, as the analyzer's failure reasons read it (lower-cased). */
export const HELPER_MISSING = "percentof is not defined";

const RUN_PROGRAM = `  - name: run_program
    description: ${RUN_PROGRAM_DESCRIPTION}
    parameters:
      type: object
      properties:
        code:
          type: string
          description: Plain JavaScript; print the result with console.log.
      required: [code]
`;
const SEARCH_LIBRARY = `  - name: search_library
    description: ${SEARCH_LIBRARY_DESCRIPTION}
`;

/** The signature, with run_program and (optionally) search_library; judged by a rubric, so failed runs can be dev examples too. */
const calculator = (withLibrary: boolean) => `name: calculator
description: Computes exact answers to arithmetic questions${withLibrary ? ", looking up units in the team's documents" : ""}.
inputs:
  - name: question
    description: The question.
outputs:
  - name: answer
    description: The exact result.
tools:
${RUN_PROGRAM}${withLibrary ? SEARCH_LIBRARY : ""}metric:
  name: llm_judge
  rubric: The answer is the exact result of the question.
instructions: Compute every result with run_program${withLibrary ? "; look up units with search_library" : ""}.
`;

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
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const EXPECTED: Record<string, string> = { percent: "the exact percentage", sum: "the exact sum", furlong: "201.168 meters" };

export interface Traffic {
  /** Percentage questions: run_program fails on every one. */
  percent: number;
  /** Sums: run_program works. */
  sum: number;
  /** Unit look-ups with search_library (only when the signature declares it). */
  lookup: number;
}

export type RunBody = { traceId: string; outputs: { answer: string }; toolCalls: { name: string; ok: boolean }[] };
export type ChatBody = { tools?: { function: { name: string; description?: string } }[]; messages: { role: string; content: string | null }[] };
type PatternView = { id: string; key: string; actionable: boolean; confidence: number; evidenceKind: string; recommendations: string[]; stats: Record<string, unknown> };
export type CycleView = {
  status: string;
  verdicts: { signature: string; verdict: string; reason: string; candidateVersion: string | null; score: number | null; parentScore: number | null }[];
  versionsProduced: { signature: string; version: string; commit: string; branch: string; mode: string }[];
};

export interface LoopOptions {
  /** Declare search_library beside run_program (and index a document for it). */
  withLibrary: boolean;
  traffic: Traffic;
  devSetSize: number;
  /** enable_auto_updates false: the version goes to a review branch with a pull-request text. Default false. */
  review?: boolean;
}

export interface ToolLearningService {
  service: Service;
  sim: Simulator;
  repo: TestRepo;
  config: Config;
  /** An authenticated request as tenant `acme`. */
  call(method: string, p: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The chat requests the simulated model received since `from` (an index into sim.calls). */
  chatBodies(from: number): ChatBody[];
  /** The learning cycle's record. */
  cycle: CycleView;
  /** The version the cycle produced, read back from the registry. */
  learned: CompiledVersion;
  close(): Promise<void>;
}

/**
 * Starts the service, sends `traffic` through POST /v1/signatures/calculator/run as tenant `acme`
 * (recording each run's outcome as its caller would: right when the answer is right), checks the
 * planted behaviour happened, then runs one learning cycle with POST /v1/learning/cycles.
 */
export async function runToolLearningLoop(options: LoopOptions): Promise<ToolLearningService> {
  const data = makeTempDir("meta-agent-tool-loop-");
  const repo = createTestRepo({ prompts: { "calculator.yaml": calculator(options.withLibrary) } });
  const sim = await startSimulator({ bank: BANK });
  let service: Service | undefined;
  const close = async () => {
    await service?.close();
    await sim.close();
    repo.remove();
    data.remove();
  };
  try {
    const config = loadConfig({
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
        DEV_SET_SIZE: String(options.devSetSize),
        ENABLE_AUTO_UPDATES: options.review ? "false" : "true",
        LOG_LEVEL: "error",
      },
      cwd: repo.dir,
    });
    seedDataDir(config.dataDir);
    const started = await startService(config, silentLogger);
    service = started;
    const key = (await createApiKey(started.db, { tenant: "acme" })).key;
    await new Promise((r) => setTimeout(r, 1_100)); // the key check caches for 1 s
    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${started.url}${p}`, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    if (options.withLibrary) {
      const docs = path.join(data.dir, "docs");
      mkdirSync(docs);
      writeFileSync(path.join(docs, "units.md"), "# Units\n\nA furlong is 201.168 meters, an eighth of a mile.\n");
      await indexLibrary({ db: started.db, embedder: createEmbedder(config) }, { tenant: "acme", dir: docs, baseDir: data.dir });
    }

    const runAndRecord = async (family: string, question: string): Promise<{ family: string; run: RunBody }> => {
      const { status, body } = await call("POST", "/v1/signatures/calculator/run", { inputs: { question } });
      expect(status, JSON.stringify(body)).toBe(200);
      const run = body as RunBody;
      const success = run.outputs.answer === EXPECTED[family];
      // The trace is written after the answer: the outcome waits until it is there.
      await waitFor(async () => (await call("POST", `/v1/traces/${run.traceId}/outcome`, { success })).status === 200, { what: `outcome of ${run.traceId}` });
      return { family, run };
    };
    const runs: { family: string; run: RunBody }[] = [];
    const { traffic } = options;
    const trafficFrom = sim.calls.length;
    for (let i = 0; i < traffic.percent; i++) runs.push(await runAndRecord("percent", `What is ${5 * (i + 1)} percent of ${40 + i}?`));
    for (let i = 0; i < traffic.sum; i++) runs.push(await runAndRecord("sum", `What is the sum of ${i + 3} and ${2 * i + 11}?`));
    for (let i = 0; i < traffic.lookup; i++) runs.push(await runAndRecord("furlong", `How many meters are ${i + 2} furlong${i ? "s" : ""} of track number ${i + 1}?`));
    // What was planted is what happened: every percentage's program failed, every other call worked.
    expect(runs.filter((r) => r.family === "percent").every((r) => r.run.toolCalls.length === 1 && !r.run.toolCalls[0]!.ok && r.run.outputs.answer === "cannot compute")).toBe(true);
    expect(runs.filter((r) => r.family !== "percent").every((r) => r.run.toolCalls.length === 1 && r.run.toolCalls[0]!.ok && r.run.outputs.answer === EXPECTED[r.family])).toBe(true);
    // Before learning, the model read the hand-written description alone.
    const sent = sim.calls.slice(trafficFrom).filter((c) => c.endpoint === "chat").map((c) => (c.body as ChatBody).tools?.find((t) => t.function.name === "run_program")?.function.description);
    expect(new Set(sent)).toEqual(new Set([RUN_PROGRAM_DESCRIPTION]));

    // One learning cycle through the door a user (or cron) uses.
    const cycleRes = await call("POST", "/v1/learning/cycles", {});
    expect(cycleRes.status, JSON.stringify(cycleRes.body)).toBe(200);
    const cycle = cycleRes.body as CycleView;
    const produced = cycle.versionsProduced.find((v) => v.signature === "calculator");
    if (!produced) throw new Error(`no version produced: ${JSON.stringify(cycle.verdicts)}`);
    const learned = parseCompiledVersion((await call("GET", `/v1/versions/calculator/${produced.version}`)).body.content as string);
    return {
      service: started,
      sim,
      repo,
      config,
      call,
      chatBodies: (from) => sim.calls.slice(from).filter((c) => c.endpoint === "chat").map((c) => c.body as ChatBody),
      cycle,
      learned,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * The end-to-end story of one scenario: the finding (its comparison checked by `expectComparison`),
 * the promoted version with the learned text in git, the diff and pull-request text, and the next
 * run's model receiving the learned description and no longer failing.
 */
export function describeToolLearningLoop(title: string, options: LoopOptions & { expectComparison: (comparison: unknown) => void }): void {
  describe(title, () => {
    let loop: ToolLearningService;
    const { traffic } = options;
    const calls = traffic.percent + traffic.sum;
    beforeAll(async () => {
      loop = await runToolLearningLoop(options);
    }, 120_000);
    afterAll(async () => {
      await loop?.close();
    });

    it("finds run_program's own failure as direct evidence, with its counts, the comparison made and why it fails", async () => {
      const { body } = await loop.call("GET", "/v1/patterns?agent=calculator");
      const finding = (body.patterns as PatternView[]).find((p) => p.key === "failure_pattern:tool_error:run_program")!;
      expect(finding).toMatchObject({ actionable: true, evidenceKind: "direct" });
      expect(finding.confidence).toBeGreaterThanOrEqual(loop.config.confidenceThreshold);
      expect(finding.stats).toMatchObject({ calls, errors: traffic.percent });
      options.expectComparison(finding.stats["comparison"]);
      const reasons = finding.stats["failureReasons"] as { reason: string; count: number }[];
      expect(reasons[0]).toMatchObject({ count: traffic.percent });
      expect(reasons[0]!.reason).toContain(HELPER_MISSING);
      expect(finding.recommendations[0]).toContain(HELPER_MISSING);
    });

    it("promotes a version whose run_program carries the learned text with its finding and evidence, committed to git", async () => {
      const { cycle, learned, repo } = loop;
      const verdict = cycle.verdicts.find((v) => v.signature === "calculator")!;
      expect(verdict.verdict, verdict.reason).toBe("promoted");
      // Scored with the service's tools on the dev set: the parent fails the percentages, the candidate does not.
      expect(verdict.score!).toBeGreaterThan(verdict.parentScore!);
      const tool = learned.tools!.find((t) => t.name === "run_program")!;
      expect(tool.description).toBe(RUN_PROGRAM_DESCRIPTION);
      const finding = tool.learned!.find((g) => g.text.includes(HELPER_MISSING))!;
      expect(finding.patternKey).toBe("failure_pattern:tool_error:run_program");
      expect(finding.text).toMatch(new RegExp(`^Before calling run_program, rule out its most common failure, ".*${HELPER_MISSING}" \\(${traffic.percent} of its ${traffic.percent} failed calls\\)\\.$`));
      const share = Math.round((100 * traffic.percent) / calls);
      expect(finding.evidence).toMatch(new RegExp(`^direct: run_program fails in ${share}% of its calls \\(${traffic.percent}/${calls}, 95% CI \\d+%–\\d+%.*, p [^)]+\\); '.*${HELPER_MISSING}' ${traffic.percent}/${traffic.percent}$`));
      expect(finding.confidence).toBeGreaterThanOrEqual(loop.config.confidenceThreshold);
      // Not a guideline of the system prompt; no other tool learned anything.
      expect(learned.guidelines.some((g) => g.patternKey === "failure_pattern:tool_error:run_program")).toBe(false);
      expect(learned.tools!.filter((t) => t.name !== "run_program").every((t) => t.learned === undefined)).toBe(true);

      const produced = cycle.versionsProduced.find((v) => v.signature === "calculator")!;
      expect(produced).toMatchObject({ version: learned.version, mode: options.review ? "review" : "auto" });
      expect(parseCompiledVersion(git(repo.dir, "show", `${produced.commit}:${versionScope("acme").file("calculator")}`))).toEqual(learned);
      expect(git(repo.dir, "log", "-1", "--format=%B", produced.commit)).toContain(`tool run_program: learned from pattern failure_pattern:tool_error:run_program (confidence ${finding.confidence}; ${finding.evidence}): ${finding.text}`);
    });

    it("shows the learned text in the diff and the pull-request text, with its finding", async () => {
      const { learned } = loop;
      const { body: diff } = await loop.call("GET", `/v1/versions/calculator/diff?from=1.0.0&to=${learned.version}`);
      const text = JSON.stringify(diff);
      expect(text).toContain("+    learned:");
      expect(text).toContain("patternKey: failure_pattern:tool_error:run_program");
      expect(text).toContain(HELPER_MISSING);

      const g = learned.tools!.find((t) => t.name === "run_program")!.learned!.find((x) => x.text.includes(HELPER_MISSING))!;
      const reason = `- **Learned into the description of tool \`run_program\`**: "${g.text}". Reason: finding \`failure_pattern:tool_error:run_program\` (confidence ${g.confidence!.toFixed(2)}): ${g.evidence}`;
      if (options.review) {
        // The pull-request text the cycle wrote for the reviewer, with example traces of the failure.
        const produced = loop.cycle.versionsProduced.find((v) => v.signature === "calculator")!;
        const pr = readFileSync(path.join(loop.config.dataDir, "pull-requests", `${produced.branch}.md`), "utf8");
        expect(pr).toMatch(new RegExp(`${escapeRegExp(reason)}; e\\.g\\. traces \`[^\`]+\``));
        expect(pr).toContain("+    learned:");
      } else {
        // Auto mode writes no pull request: the text a reviewer would get for the same version.
        const parent = parseCompiledVersion((await loop.call("GET", "/v1/versions/calculator/1.0.0")).body.content as string);
        const pr = pullRequestText({ version: learned, parent, tenant: "acme", summary: "learned", branch: "b", servingBranch: "main", diff: "", patterns: patternsOf(learned) });
        expect(pr).toContain(`${reason}.`);
      }
    });

    it("serves the learned version, and the next run's model receives the learned text in run_program's description and stops failing", async () => {
      const { learned, sim, repo } = loop;
      if (options.review) {
        // Proposed, not served, until the reviewer merges its branch into the serving branch.
        const before = await loop.call("GET", "/v1/signatures");
        expect((before.body.signatures as { name: string; version: string }[]).find((s) => s.name === "calculator")!.version).toBe("1.0.0");
        git(repo.dir, "merge", "-q", "--ff-only", loop.cycle.versionsProduced.find((v) => v.signature === "calculator")!.branch);
        await waitFor(async () => (await loop.call("GET", "/v1/prompts/calculator")).body.version === learned.version, { what: "the merged version to be served" });
      }
      const { body } = await loop.call("GET", "/v1/signatures");
      expect((body.signatures as { name: string; version: string }[]).find((s) => s.name === "calculator")!.version).toBe(learned.version);

      const from = sim.calls.length;
      const { status, body: run } = await loop.call("POST", "/v1/signatures/calculator/run", { inputs: { question: "What is 35 percent of 120?" } });
      expect(status).toBe(200);
      const requests = loop.chatBodies(from);
      expect(requests.length).toBeGreaterThan(0);
      const g = learned.tools!.find((t) => t.name === "run_program")!.learned!;
      for (const request of requests) {
        const sent = request.tools!.find((t) => t.function.name === "run_program")!.function.description!;
        expect(sent).toBe(`${RUN_PROGRAM_DESCRIPTION}\n\nLearned from past runs:\n${g.map((x) => `- ${x.text}`).join("\n")}`);
        if (options.withLibrary) expect(request.tools!.find((t) => t.function.name === "search_library")!.function.description).toBe(SEARCH_LIBRARY_DESCRIPTION);
      }
      // Reading why its calls failed, the model writes the arithmetic out: the call works, the answer is right.
      expect((run as RunBody).toolCalls).toEqual([{ name: "run_program", ok: true }]);
      expect((run as RunBody).outputs).toEqual({ answer: "the exact percentage" });
      const trace = await waitFor(async () => {
        const res = await loop.call("GET", `/v1/traces/${(run as RunBody).traceId}`);
        return res.status === 200 ? (res.body as { promptVersion?: string; steps: { type: string; response?: string }[] }) : undefined;
      }, { what: "the new run's trace" });
      expect(trace.promptVersion).toBe(learned.version);
      expect(trace.steps.find((s) => s.type === "tool_call")!.response).toBe("42");
    });
  });
}
