// What the analyzer learned about a declared tool lands in that tool's description: the compiler
// against a real embedded database with planted findings, the version file written and read
// back, the served prompt, the diff and the PR text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { insertAnalysisRun, insertTraces, type PatternFixture, type TraceFixture } from "../support/compiler-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";
import { silentLogger } from "../../src/log/logger.js";
import { createInMemoryPromptStore } from "../../src/registry/prompt-store.js";
import { compileSignature, type CompileSettings } from "../../src/compiler/compile-signature.js";
import { parseCompiledVersion, serializeCompiledVersion, type CompiledVersion } from "../../src/domain/compiled-version.js";
import { servedPromptOf } from "../../src/signature/serve-prompt.js";
import { unifiedDiff } from "../../src/registry/prompt-diff.js";
import { pullRequestText } from "../../src/registry/pull-request-text.js";
import { patternsOf } from "../../src/registry/applied-patterns.js";
import { startSimulator } from "../../src/simulator/index.js";
import { OpenAIChatModel } from "../../src/llm/openai-chat-model.js";
import { HashingEmbedder } from "../../src/llm/hashing-embedder.js";
import { createServiceTools } from "../../src/orchestrator/tools/create-service-tools.js";
import { createToolRunner } from "../../src/orchestrator/tools/create-tool-runner.js";
import { runEval } from "../../src/compiler/eval/run-eval.js";
import { loadExamples } from "../../src/compiler/load-examples.js";
import { loadSignature } from "../../src/signature/load-signatures.js";
import { exactMatch } from "../../src/compiler/metrics/exact-match.js";

const CALCULATOR = `name: calculator
description: Computes exact answers to arithmetic questions.
inputs:
  - name: question
    description: The arithmetic question.
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
      required: [code]
instructions: Run a program for every computation.
`;

const RUN_PROGRAM_ERRORS = 'Before calling run_program, rule out its most common failure, "program_no_output: the program printed nothing" (14 of its 20 failed calls).';
const RUN_PROGRAM_RETRY = "When run_program fails, read its error and fix the cause before retrying or moving on.";
const RUN_PROGRAM_EVIDENCE = "direct: run_program fails in 40% of its calls (20/50, 95% CI 28–54%, p 1e-5); 'program_no_output: the program printed nothing' 14/20";
const LAST_TOOL = "Do not finish right after run_program: check its result with a further step first.";
const OTHER_TOOL = "Before calling get_weather, check the city name.";

const settings: CompileSettings = {
  promptsDir: "",
  defaultOptimizer: "guideline-induction",
  devSetSize: 20,
  minImprovement: 0.02,
  promotionConfidence: 0.95,
  confidenceThreshold: 0.7,
  maxLlmCalls: 100,
  maxTokens: 1_000_000,
  maxDemos: 2,
  backupOriginalPrompts: true,
};

/** A prompts dir with the calculator signature and a database holding `count` of its traces and one analysis run with `patterns`. */
async function calculatorWorkspace(dir: string, count: number, success: (i: number) => boolean, patterns: PatternFixture[]): Promise<{ t: TestDatabase; prompts: string }> {
  const prompts = path.join(dir, "prompts");
  mkdirSync(prompts);
  writeFileSync(path.join(prompts, "calculator.yaml"), CALCULATOR);
  const t = await createTestDatabase();
  const traces: TraceFixture[] = [...Array(count).keys()].map((i) => ({ id: `calc-${i}`, signature: "calculator", input: { question: `What is ${i} times 7?` }, output: { answer: String(i * 7) }, success: success(i) }));
  await insertTraces(t.db.pool, "acme", traces);
  await insertAnalysisRun(t.db.pool, { tenant: "acme", agent: "calculator", id: "run-tools", patterns });
  return { t, prompts };
}

describe("learned tool descriptions", () => {
  const tmp = makeTempDir();
  let t: TestDatabase;
  let prompts: string;

  beforeAll(async () => {
    ({ t, prompts } = await calculatorWorkspace(tmp.dir, 6, (i) => i % 3 !== 0, [
        // Direct evidence about the declared tool: its own call errors.
        { id: "pat-run-errors", key: "failure_pattern:tool_error:run_program", type: "failure_pattern", recommendations: [RUN_PROGRAM_ERRORS, RUN_PROGRAM_RETRY], confidence: 0.97, actionable: true, stats: { evidenceSummary: RUN_PROGRAM_EVIDENCE } },
        // An association about the tool (runs ending with it): stays a guideline of the prompt.
        { id: "pat-last", key: "failure_pattern:last_tool:run_program", type: "failure_pattern", recommendations: [LAST_TOOL], confidence: 0.9, actionable: true },
        // A tool the signature does not declare: a guideline as before.
        { id: "pat-weather", key: "failure_pattern:tool_error:get_weather", type: "failure_pattern", recommendations: [OTHER_TOOL], confidence: 0.9, actionable: true },
        // Not confident enough: nowhere.
        { id: "pat-weak", key: "tool_effectiveness:tool:run_program", type: "tool_effectiveness", recommendations: ["Prefer run_program when it applies."], confidence: 0.5, actionable: true },
    ]));
  });
  afterAll(async () => {
    await t?.close();
    tmp.remove();
  });

  const compile = async (store = createInMemoryPromptStore()) =>
    compileSignature({ db: t.db, store, logger: silentLogger, settings: { ...settings, promptsDir: prompts }, now: () => new Date("2026-02-01T00:00:00Z") }, { tenant: "acme", name: "calculator" });

  it("puts a direct finding about a declared tool into that tool's description, marked as learned, and not into the guidelines", async () => {
    const report = await compile();
    const candidate = report.candidate!;
    const tool = candidate.tools![0]!;
    expect(tool.description).toBe("Runs a JavaScript program in a sandbox and returns what it printed.");
    expect(tool.learned).toEqual([
      { text: RUN_PROGRAM_ERRORS, patternId: "pat-run-errors", patternKey: "failure_pattern:tool_error:run_program", confidence: 0.97, evidence: RUN_PROGRAM_EVIDENCE },
      { text: RUN_PROGRAM_RETRY, patternId: "pat-run-errors", patternKey: "failure_pattern:tool_error:run_program", confidence: 0.97, evidence: RUN_PROGRAM_EVIDENCE },
    ]);
    expect(candidate.guidelines.map((g) => g.text)).toEqual([LAST_TOOL, OTHER_TOOL]);
    expect(report.notes).toContain(`tool run_program: learned from pattern failure_pattern:tool_error:run_program (confidence 0.97; ${RUN_PROGRAM_EVIDENCE}): ${RUN_PROGRAM_ERRORS}`);
    // Only the learned part differs from the parent: not "no change", yet nothing to score it on.
    expect(report.unchanged).toBe(false);

    // The model reads the hand-written description, then the learned text under its heading.
    const served = servedPromptOf(candidate);
    expect(served.tools[0]!.description).toBe(`Runs a JavaScript program in a sandbox and returns what it printed.\n\nLearned from past runs:\n- ${RUN_PROGRAM_ERRORS}\n- ${RUN_PROGRAM_RETRY}`);
  });

  it("writes the learned text into the version file, which reads back to the same version, and the diff and PR text show it with its finding", async () => {
    const report = await compile();
    const candidate = report.candidate!;
    const yaml = serializeCompiledVersion(candidate);
    expect(parseCompiledVersion(yaml, "calculator.yaml")).toEqual(candidate);
    expect(serializeCompiledVersion(parseCompiledVersion(yaml))).toBe(yaml);
    expect(yaml).toMatch(/tools:\n {2}- name: run_program\n {4}description: Runs a JavaScript program[^\n]*\n {4}learned:\n {6}- text: '?Before calling run_program/);

    const diff = unifiedDiff("calculator 1.0.0", serializeCompiledVersion(report.parent), `calculator ${candidate.version}`, yaml);
    expect(diff).toContain("+    learned:");
    expect(diff).toContain(`+      - text: ${RUN_PROGRAM_RETRY}`);
    expect(diff).not.toMatch(/^-\s+description: Runs a JavaScript program/m);

    const text = pullRequestText({ version: candidate, parent: report.parent, tenant: "acme", summary: "tool guidelines", branch: "b", servingBranch: "main", diff, patterns: patternsOf(candidate) });
    expect(text).toContain(`- **Learned into the description of tool \`run_program\`**: "${RUN_PROGRAM_ERRORS}". Reason: finding \`failure_pattern:tool_error:run_program\` (confidence 0.97): ${RUN_PROGRAM_EVIDENCE}.`);
    expect(text).toContain("| `failure_pattern:tool_error:run_program` | 0.97 | (tool `run_program`) ");
  });

  it("takes learned text out again when its finding no longer holds, keeping the hand-written description", async () => {
    const store = createInMemoryPromptStore();
    const first = (await compile(store)).candidate!;
    await store.save("acme", first, { summary: "with learned tool text" });
    await insertAnalysisRun(t.db.pool, { tenant: "acme", agent: "calculator", id: "run-later", finishedAt: "2026-01-03T00:00:00.000Z", patterns: [{ id: "pat-last-2", key: "failure_pattern:last_tool:run_program", type: "failure_pattern", recommendations: [LAST_TOOL], confidence: 0.9, actionable: true }] });
    const report = await compile(store);
    const next: CompiledVersion = report.candidate!;
    expect(next.tools![0]).toEqual({ name: "run_program", description: "Runs a JavaScript program in a sandbox and returns what it printed.", parameters: first.tools![0]!.parameters });
    expect(report.notes).toContain(`tool run_program: learned text dropped, its pattern failure_pattern:tool_error:run_program no longer holds: ${RUN_PROGRAM_ERRORS}`);
    const text = pullRequestText({ version: next, parent: first, tenant: "acme", summary: "s", branch: "b", servingBranch: "main", diff: "", patterns: patternsOf(next) });
    expect(text).toContain(`- **Learned text removed from tool \`run_program\`**: "${RUN_PROGRAM_ERRORS}". Reason: its finding \`failure_pattern:tool_error:run_program\` no longer holds.`);
  });
});

describe("evaluating a signature with the service's tools", () => {
  const tmp = makeTempDir();
  let t: TestDatabase;
  let prompts: string;

  beforeAll(async () => {
    ({ t, prompts } = await calculatorWorkspace(tmp.dir, 24, () => true, [{ id: "pat-eval-errors", key: "failure_pattern:tool_error:run_program", type: "failure_pattern", recommendations: [RUN_PROGRAM_RETRY], confidence: 0.97, actionable: true }]));
  });
  afterAll(async () => {
    await t?.close();
    tmp.remove();
  });

  it("runs the dev set through the tool loop, with each version's own tool descriptions, and without a runner runs it as before", async () => {
    // A model that computes with run_program before it answers.
    const sim = await startSimulator({ bank: { families: [{ id: "calc", match: { keywords: ["times"] }, toolCalls: [{ name: "run_program", arguments: { code: "console.log(6 * 7)" } }], answer: { answer: "42" }, baseAccuracy: 1 }] } });
    try {
      const model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
      const toolRunner = createToolRunner(createServiceTools({ programTimeoutMs: 5000, researchPassages: 3 }, () => ({ db: t.db, embedder: new HashingEmbedder(), logger: silentLogger })), { maxRounds: 3, logger: silentLogger });
      const deps = { db: t.db, store: createInMemoryPromptStore(), model, logger: silentLogger, settings: { ...settings, promptsDir: prompts, devSetSize: 6 }, now: () => new Date("2026-02-01T00:00:00Z") };
      type Body = { tools?: { function: { name: string; description?: string } }[]; messages: { role: string; content: string | null }[] };
      const bodies = (from: number) => sim.calls.slice(from).filter((c) => c.endpoint === "chat").map((c) => c.body as Body);

      const report = await compileSignature({ ...deps, toolRunner }, { tenant: "acme", name: "calculator" });
      expect(report.notes.filter((n) => n.startsWith("evaluated without tools"))).toEqual([]);
      const sent = bodies(0);
      const withTools = sent.filter((b) => b.tools?.some((x) => x.function.name === "run_program"));
      expect(withTools.length).toBeGreaterThan(0);
      // The program the model asked for ran in the sandbox, and its output went back to the model.
      expect(sent.some((b) => b.messages.some((m) => m.role === "tool" && m.content === "42"))).toBe(true);
      // The parent and the candidate were each run with their own descriptions of the tool.
      const described = new Set(withTools.map((b) => b.tools!.find((x) => x.function.name === "run_program")!.function.description));
      expect([...described].some((d) => d?.includes(RUN_PROGRAM_RETRY))).toBe(true);
      expect([...described].some((d) => d === "Runs a JavaScript program in a sandbox and returns what it printed.")).toBe(true);
      expect(report.evaluation.parent).not.toBeNull();
      expect(report.evaluation.candidate).not.toBeNull();

      // `meta-agent eval` runs each version the same way, with its own tool descriptions.
      const fromEval = sim.calls.length;
      const { signature } = await loadSignature(prompts, "calculator");
      const examples = (await loadExamples(t.db.pool, "acme", signature)).examples.slice(0, 2);
      const evalReport = await runEval(model, { tenant: "acme", signature, versions: [{ label: "candidate", version: report.candidate! }], dataset: { source: "inline", examples }, metric: exactMatch("answer"), toolRunner }, { objective: { objective: "quality", tokenPenalty: 0 }, prices: { prompt: 0, completion: 0 } });
      expect(evalReport.items).toHaveLength(2);
      const evalBodies = bodies(fromEval);
      expect(evalBodies.length).toBeGreaterThan(0);
      expect(evalBodies.filter((b) => b.tools).every((b) => b.tools!.find((x) => x.function.name === "run_program")!.function.description!.includes(RUN_PROGRAM_RETRY))).toBe(true);
      expect(evalBodies.some((b) => b.messages.some((m) => m.role === "tool" && m.content === "42"))).toBe(true);

      // Without a runner (a signature whose tools live in the agent) and with no tool calls
      // recorded in its runs, predictions carry no tools.
      // The report (and with it the commit and PR text) says so.
      const before = sim.calls.length;
      const unrun = await compileSignature(deps, { tenant: "acme", name: "calculator" });
      expect(bodies(before).length).toBeGreaterThan(0);
      expect(bodies(before).every((b) => b.tools === undefined)).toBe(true);
      expect(unrun.notes).toContain("evaluated without tools: run_program run in the agent (the SDK's runSignature) and its runs recorded no tool calls, so the dev-set scores measure the prompt without their results");
    } finally {
      await sim.close();
    }
  });
});
